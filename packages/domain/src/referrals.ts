import { z } from "./zod.ts";
import { idSchema } from "./org.ts";
import { referralStatuses, type ReferralStatus } from "@laget/policy";
import { calendarDate, optionalText, text } from "./text.ts";

/**
 * The offers directory and referrals to volunteer organisations (DESIGN.md §7): the words
 * shared by the server, the policy's lifecycle table and the client.
 */

export const offerCategories = ["sport", "culture", "holiday", "equipment_lending", "homework_help", "meeting_place", "other"] as const;
export type OfferCategory = (typeof offerCategories)[number];
export const supportSchemes = ["free", "fritidskort", "activity_support", "equipment_lending"] as const;
export type SupportScheme = (typeof supportSchemes)[number];
export const costPeriods = ["once", "month", "term", "season", "year"] as const;
export type CostPeriod = (typeof costPeriods)[number];

/** How the family wants to be contacted: by the organisation directly, or through the referrer. */
export const contactPreferences = ["phone", "sms", "email", "via_referrer"] as const;
export type ContactPreference = (typeof contactPreferences)[number];

export const MAX_REFERRAL_NEED = 1000;
export const MAX_REFERRAL_FIELD = 300;

/**
 * The minimum data a referral carries, and all the recipient ever sees of the child:
 * first name, age, how to make contact, the need in plain words, when they can, the
 * language and whether an interpreter is needed. No surname, no birth date, no reason in
 * agency terms.
 */
export const referralDataSchema = z.strictObject({
  firstName: text(60),
  age: z.number().int().min(0).max(25),
  contactPreference: z.enum(contactPreferences),
  /** A phone number or an e-mail address; empty when contact goes through the referrer. */
  contactDetails: optionalText(MAX_REFERRAL_FIELD).default(""),
  /** The need in plain words ("Vil gjerne spille fotball med jevnaldrende"). */
  need: text(MAX_REFERRAL_NEED),
  availability: optionalText(MAX_REFERRAL_FIELD).default(""),
  /** ISO 639-1 code of the language the family prefers. */
  language: z.string().regex(/^[a-z]{2}$/),
  interpreterNeeded: z.boolean(),
});
export type ReferralData = z.infer<typeof referralDataSchema>;
/** The fields of ReferralData, in the order the form and the recipient's view show them. */
export const referralDataFields = ["firstName", "age", "contactPreference", "contactDetails", "need", "availability", "language", "interpreterNeeded"] as const satisfies readonly (keyof ReferralData)[];

/** Why a recipient declines (FHIR Task statusReason, coded). */
export const declineReasons = ["no_capacity", "not_eligible", "outside_offer", "not_enough_information", "other"] as const;
export type DeclineReason = (typeof declineReasons)[number];
/** Why it did not work out after acceptance. */
export const failReasons = ["could_not_reach", "family_declined", "no_longer_interested"] as const;
export type FailReason = (typeof failReasons)[number];
/** Who or what cancelled it: the referrer, or Laget when its basis ended. */
export const cancelReasons = ["referrer", "consent_withdrawn", "consent_expired", "case_closed"] as const;
export type CancelReason = (typeof cancelReasons)[number];
/** The reasons Laget itself cancels with (never chosen by a user). */
export const lagetCancelReasons = ["consent_withdrawn", "consent_expired", "case_closed"] as const satisfies readonly CancelReason[];

export const feedbackRatings = ["good", "mixed", "poor"] as const;
export type FeedbackRating = (typeof feedbackRatings)[number];

/**
 * One change of a referral's status, as a caller asks for it. Each target names what it
 * requires (the policy's transition table decides whether it may happen from where it is).
 */
export const referralMoveSchema = z.discriminatedUnion("to", [
  z.strictObject({ to: z.literal("sent") }),
  z.strictObject({ to: z.literal("received") }),
  z.strictObject({ to: z.literal("accepted") }),
  z.strictObject({
    to: z.literal("declined"),
    reason: z.enum(declineReasons),
    /** Required for reason "other". */
    reasonText: optionalText(MAX_REFERRAL_FIELD).default(""),
    suggestedOfferId: idSchema.optional(),
  }),
  z.strictObject({ to: z.literal("on_hold"), resumeOn: calendarDate }),
  z.strictObject({ to: z.literal("in_progress") }),
  z.strictObject({ to: z.literal("completed"), outcome: text(MAX_REFERRAL_NEED) }),
  z.strictObject({ to: z.literal("failed"), reason: z.enum(failReasons) }),
  z.strictObject({ to: z.literal("cancelled"), reasonText: optionalText(MAX_REFERRAL_FIELD).default("") }),
]);
export type ReferralMove = z.infer<typeof referralMoveSchema>;

// --- The referrals API (server/src/referrals): its inputs, and what it returns.

export const referralBoxes = ["inbox", "sent"] as const;
export type ReferralBox = (typeof referralBoxes)[number];

export const referralCaseInput = z.strictObject({ caseId: idSchema });
export const referralPrefillInput = z.strictObject({ caseId: idSchema, subjectId: idSchema });
export const createReferralInput = z.strictObject({
  caseId: idSchema,
  subjectId: idSchema,
  recipientUnitId: idSchema,
  offerId: idSchema.optional(),
  data: referralDataSchema,
  supportScheme: z.enum(supportSchemes).nullable(),
  /** Send at once (else it stays a draft the referrer sends later). */
  send: z.boolean(),
});
export type CreateReferralInput = z.input<typeof createReferralInput>;
export const referralIdInput = z.strictObject({ referralId: idSchema });
export const moveReferralInput = z.strictObject({ referralId: idSchema, move: referralMoveSchema });
export const listReferralsInput = z.strictObject({ box: z.enum(referralBoxes), statuses: z.array(z.enum(referralStatuses)).max(referralStatuses.length).optional() });

/** A unit a case's child may be referred to, its published offers, and the consent that covers sending to it (null: none yet). */
export type ReferralRecipient = {
  unitId: string;
  unitName: string;
  offers: { id: string; title: string }[];
  consent: { consentId: string; consentVersion: number } | null;
};

/** One change in a referral's history; `by` is a person's name, null when Laget itself made it. */
export type ReferralHistoryEntry = { to: ReferralStatus; fhirStatus: string; at: Date; by: string | null; reason: string | null };

/**
 * A referral as the recipient sees it, field by field and nothing more: no case, no unit
 * of the referrer, no consent. `data` is null once withdrawn ("Henvisningen er trukket").
 */
export type ReferralView = {
  id: string;
  status: ReferralStatus;
  fhirStatus: string;
  offer: { id: string; title: string } | null;
  recipientUnit: { id: string; name: string };
  data: ReferralData | null;
  withdrawn: boolean;
  supportScheme: SupportScheme | null;
  referredBy: { name: string };
  claimedBy: { id: string; name: string } | null;
  statusReason: string | null;
  statusReasonText: string | null;
  suggestedOffer: { id: string; title: string } | null;
  resumeOn: string | null;
  outcome: string | null;
  sentAt: Date | null;
  responseDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  history: ReferralHistoryEntry[];
  feedback: { rating: FeedbackRating; words: string } | null;
  abilities: { moves: ReferralStatus[]; recordFeedback: boolean };
  /** The referring side only. */
  referrer?: { caseId: string; subjectId: string | null; referringUnit: { id: string; name: string }; consentId: string; consentVersion: number };
};

/** The fields of the recipient's view, in order: all a volunteer organisation gets. */
export const recipientReferralViewFields = [
  "id", "status", "fhirStatus", "offer", "recipientUnit", "data", "withdrawn", "supportScheme", "referredBy", "claimedBy",
  "statusReason", "statusReasonText", "suggestedOffer", "resumeOn", "outcome", "sentAt", "responseDueAt", "createdAt", "updatedAt",
  "history", "feedback", "abilities",
] as const satisfies readonly (keyof ReferralView)[];

/** One row of an inbox or a sent list. */
export type ReferralSummary = {
  id: string;
  status: ReferralStatus;
  fhirStatus: string;
  firstName: string | null;
  offerTitle: string | null;
  recipientUnitName: string;
  sentAt: Date | null;
  updatedAt: Date;
  withdrawn: boolean;
};
