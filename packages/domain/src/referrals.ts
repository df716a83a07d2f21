import { z } from "zod";
import { idSchema } from "./org.ts";
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
