import { feedbackRatings, idSchema, optionalText, type FeedbackRating } from "@laget/domain";
import { decideOffer, mayReadReferralFigures } from "@laget/policy";
import { z } from "zod";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { authorizeReferral } from "./access.ts";

/**
 * How it went (DESIGN.md §7): after completion the referrer records, together with the
 * family, a short rating and words of the family's own. It is recorded once: the family's
 * words as given stand, and a second recording is INVALID_STATE. The organisation reads
 * the feedback on its offers without any name, case or referral (a rating, the words and
 * when), like the figures: its own members, and the municipality's leaders and admins.
 */
export const MAX_FEEDBACK_WORDS = 1000;

export const recordFeedbackInput = z.strictObject({
  referralId: idSchema,
  rating: z.enum(feedbackRatings),
  words: optionalText(MAX_FEEDBACK_WORDS).default(""),
});
export const offerFeedbackInput = z.strictObject({ offerId: idSchema });

export type Feedback = { rating: FeedbackRating; words: string; recordedAt: Date };

export async function recordFeedback({ db, actor, referralId, rating, words }: AsActor & z.infer<typeof recordFeedbackInput>): Promise<Feedback> {
  return db.transaction().execute(async (trx) => {
    // The referring side, on a completed referral (decideReferral "recordFeedback"); hidden ones are NOT_FOUND.
    await authorizeReferral({ db: trx, actor, referralId, action: "recordFeedback", audit: "referral.feedback.record" });
    const row = await trx
      .insertInto("referral_feedback")
      .values({ referral_id: referralId, rating, words, recorded_by: actor.id })
      .onConflict((oc) => oc.column("referral_id").doNothing())
      .returning(["rating", "words", "recorded_at"])
      .executeTakeFirst();
    if (!row) throw new AppError("INVALID_STATE");
    return { rating: row.rating as FeedbackRating, words: row.words, recordedAt: row.recorded_at };
  });
}

/** An offer the actor may read (a hidden or missing one is NOT_FOUND). */
async function readableOffer(db: Db, actor: AsActor["actor"], offerId: string) {
  const offer = await db.selectFrom("offers").select(["id", "municipality_id", "owner_unit_id", "published"]).where("id", "=", offerId).executeTakeFirst();
  const subject = policyActor(actor);
  if (!offer || !decideOffer(subject, { kind: "offer", offerId: offer.id, municipalityId: offer.municipality_id, ownerUnitId: offer.owner_unit_id, published: offer.published }, "read").allow) {
    throw new AppError("NOT_FOUND");
  }
  return offer;
}

/** The feedback on an offer's completed referrals, newest first, naming no one. */
export async function offerFeedback({ db, actor, offerId }: AsActor & z.infer<typeof offerFeedbackInput>): Promise<Feedback[]> {
  const offer = await readableOffer(db, actor, offerId);
  if (!mayReadReferralFigures(policyActor(actor), { municipalityId: offer.municipality_id, unitId: offer.owner_unit_id }).allow) throw new AppError("FORBIDDEN");
  const rows = await db
    .selectFrom("referral_feedback as f")
    .innerJoin("referrals as r", "r.id", "f.referral_id")
    .select(["f.rating", "f.words", "f.recorded_at"])
    .where("r.offer_id", "=", offer.id)
    .where("r.recipient_unit_id", "=", offer.owner_unit_id)
    .where("r.municipality_id", "=", actor.municipalityId)
    // A referral whose personal data was withdrawn is only an anonymous count: its words go with it.
    .where("r.redacted_at", "is", null)
    .orderBy("f.recorded_at", "desc")
    .execute();
  await appendAudit(db, actor.municipalityId, [
    {
      actorUserId: actor.id,
      actorUnitId: actor.memberships.find((m) => m.unitId === offer.owner_unit_id)?.unitId ?? actor.memberships[0]?.unitId ?? null,
      action: "referral.feedback.list",
      resourceType: "offer",
      resourceId: offer.id,
      caseId: null,
      basis: null,
      purpose: null,
    },
  ]);
  return rows.map((r) => ({ rating: r.rating as FeedbackRating, words: r.words, recordedAt: r.recorded_at }));
}
