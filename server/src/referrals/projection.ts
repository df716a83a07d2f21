import { lagetCancelReasons, referralDataFields, type FeedbackRating, type ReferralData, type ReferralHistoryEntry, type ReferralSummary, type ReferralView, type SupportScheme } from "@laget/domain";
import { decideReferral, referralMovesFrom, type ReferralResource, type ReferralStatus } from "@laget/policy";
import type { Actor } from "../auth/actor.ts";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import { moverOf, type Referral } from "./access.ts";

/**
 * What each side sees of a referral (DESIGN.md §7). The recipient's view holds exactly
 * the fields of `recipientReferralViewFields`: the minimum data, the offer, who referred
 * (a person's name, never a unit) and the answers; nothing of the case, no unit of the
 * referrer, no consent. The referring side also gets `referrer` (the case, the unit, the
 * consent it was sent under). A withdrawn referral has `data` null: only an anonymous
 * row remains.
 */

const names = async (db: Db, ids: readonly (string | null)[]) => {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
};

const offerTitles = async (db: Db, ids: readonly (string | null)[]) => {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom("offers").select(["id", "title"]).where("id", "in", wanted).execute();
  return new Map(rows.map((r) => [r.id, r.title]));
};

const unitNames = async (db: Db, ids: readonly string[]) => {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom("units").select(["id", "name"]).where("id", "in", wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
};

/** The moves the actor may make from here: the table's rows for their side, while the policy lets them act at all. */
export function abilitiesOf(actor: Actor, resource: ReferralResource, hasFeedback: boolean): ReferralView["abilities"] {
  const subject = policyActor(actor);
  const by = moverOf(actor, resource);
  let moves: ReferralStatus[] = [];
  if (by === "recipient" && decideReferral(subject, resource, "respond").allow) moves = referralMovesFrom(resource.status, "recipient");
  if (by === "referrer" && decideReferral(subject, resource, "update").allow) moves = referralMovesFrom(resource.status, "referrer");
  return { moves, recordFeedback: by === "referrer" && resource.status === "completed" && !hasFeedback };
}

/** The stored minimum data, field by field in the form's order (nothing else a row might hold); null once withdrawn. */
export function minimumData(stored: unknown): ReferralData | null {
  if (stored === null || stored === undefined) return null;
  const data = stored as ReferralData;
  return Object.fromEntries(referralDataFields.map((f) => [f, data[f]])) as ReferralData;
}

const pick = <T,>(map: Map<string, T>, id: string | null) => (id === null ? null : (map.get(id) ?? null));

/**
 * A reason as the recipient may read it. Laget's own cancel reasons (the consent withdrawn
 * or expired, the case closed) would tell an organisation that a case and a consent exist;
 * the recipient learns only that the referral was withdrawn (`withdrawn`).
 */
const reasonForRecipient = (reason: string | null) => (reason !== null && (lagetCancelReasons as readonly string[]).includes(reason) ? null : reason);

/** The view of one referral for the actor (the side decided by moverOf). */
export async function referralView({ db, actor, referral, resource }: { db: Db; actor: Actor; referral: Referral; resource: ReferralResource }): Promise<ReferralView> {
  const [events, feedback] = await Promise.all([
    db.selectFrom("referral_events").selectAll().where("referral_id", "=", referral.id).orderBy("at").orderBy("id").execute(),
    db.selectFrom("referral_feedback").select(["rating", "words"]).where("referral_id", "=", referral.id).executeTakeFirst(),
  ]);
  const recipientSide = moverOf(actor, resource) === "recipient";
  const shownEvents = recipientSide ? events.filter((e) => e.to_status !== "draft") : events;
  const [people, offers, units] = await Promise.all([
    names(db, [referral.referred_by, referral.claimed_by, ...shownEvents.map((e) => e.actor_user_id)]),
    offerTitles(db, [referral.offer_id, referral.suggested_offer_id]),
    unitNames(db, [referral.recipient_unit_id, referral.referring_unit_id]),
  ]);
  const history: ReferralHistoryEntry[] = shownEvents.map((e) => ({
    to: e.to_status as ReferralStatus,
    fhirStatus: e.fhir_status,
    at: e.at,
    by: pick(people, e.actor_user_id),
    reason: recipientSide ? reasonForRecipient(e.reason) : e.reason,
  }));
  const offer = (id: string | null) => (id === null ? null : { id, title: offers.get(id) ?? "" });
  const view: ReferralView = {
    id: referral.id,
    status: referral.status as ReferralStatus,
    fhirStatus: referral.fhir_status,
    offer: offer(referral.offer_id),
    recipientUnit: { id: referral.recipient_unit_id, name: units.get(referral.recipient_unit_id) ?? "" },
    data: minimumData(referral.data),
    withdrawn: referral.redacted_at !== null,
    supportScheme: referral.support_scheme as SupportScheme | null,
    referredBy: { name: people.get(referral.referred_by) ?? "" },
    claimedBy: referral.claimed_by ? { id: referral.claimed_by, name: people.get(referral.claimed_by) ?? "" } : null,
    statusReason: recipientSide ? reasonForRecipient(referral.status_reason) : referral.status_reason,
    statusReasonText: referral.status_reason_text,
    suggestedOffer: offer(referral.suggested_offer_id),
    resumeOn: referral.resume_on,
    outcome: referral.outcome,
    sentAt: referral.sent_at,
    responseDueAt: referral.response_due_at,
    createdAt: referral.created_at,
    updatedAt: referral.updated_at,
    history,
    feedback: feedback ? { rating: feedback.rating as FeedbackRating, words: feedback.words } : null,
    abilities: abilitiesOf(actor, resource, feedback !== undefined),
  };
  if (recipientSide) return view;
  return {
    ...view,
    referrer: {
      caseId: referral.case_id,
      subjectId: referral.subject_id,
      referringUnit: { id: referral.referring_unit_id, name: units.get(referral.referring_unit_id) ?? "" },
      consentId: referral.consent_id,
      consentVersion: referral.consent_version,
    },
  };
}

/** Rows of a list (inbox or sent), the same for both sides. */
export async function referralSummaries(db: Db, referrals: readonly Referral[]): Promise<ReferralSummary[]> {
  const [offers, units] = await Promise.all([offerTitles(db, referrals.map((r) => r.offer_id)), unitNames(db, referrals.map((r) => r.recipient_unit_id))]);
  return referrals.map((r) => ({
    id: r.id,
    status: r.status as ReferralStatus,
    fhirStatus: r.fhir_status,
    firstName: (r.data as ReferralData | null)?.firstName ?? null,
    offerTitle: pick(offers, r.offer_id),
    recipientUnitName: units.get(r.recipient_unit_id) ?? "",
    sentAt: r.sent_at,
    updatedAt: r.updated_at,
    withdrawn: r.redacted_at !== null,
  }));
}
