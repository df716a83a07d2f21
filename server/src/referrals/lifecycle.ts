import { lagetCancelReasons, type CancelReason, type ReferralMove } from "@laget/domain";
import { fhirTaskStatus, referralRequirements, referralTransition, type ReferralMover, type ReferralStatus } from "@laget/policy";
import { sql, type Updateable } from "kysely";
import type { Db } from "../db/connect.ts";
import type { ReferralsTable } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { Referral } from "./access.ts";
import { responseDueAt } from "./working-days.ts";

/**
 * Applies one row of the policy's lifecycle table (DESIGN.md §7) to a referral: the
 * transition must exist for this mover, its requirements must be met, and the change is
 * ONE guarded update (`where status = from`), so of two concurrent answers exactly one
 * is applied: the other finds the status moved on (REFERRAL_ALREADY_ANSWERED). The
 * history row is written in the same transaction. Who may move it at all is judged
 * before (decideReferral); this only knows the table.
 */

export type ApplyMove = {
  db: Db;
  referralId: string;
  /** The status the caller saw: the update applies only while it still holds. */
  from: ReferralStatus;
  move: ReferralMove;
  by: ReferralMover;
  /** Null: Laget itself. */
  actorUserId: string | null;
  /** Laget's reason when it cancels (consent_withdrawn, consent_expired, case_closed). */
  cancelReason?: CancelReason;
  /** Sending: the consent that covers the recipient (judged by decideReferral "send"), and the municipality's working days to answer. */
  consent?: { id: string; version: number };
  workingDays?: number;
  /** Also done in the update (a withdrawal's redaction). */
  redact?: boolean;
  now?: Date;
};

/** Runs `fn` in the caller's transaction, or in a new one. */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

const required = () => new AppError("REFERRAL_REASON_REQUIRED");

/** The columns a move sets beside its status, once its requirements are checked. */
function columnsFor(options: ApplyMove, now: Date): { set: Updateable<ReferralsTable>; reason: string | null; reasonText: string | null } {
  const { move, by } = options;
  const set: Updateable<ReferralsTable> = {};
  let reason: string | null = null;
  let reasonText: string | null = null;
  for (const requirement of referralRequirements[move.to] ?? []) {
    switch (requirement) {
      case "consent":
        if (!options.consent) throw new AppError("REFERRAL_CONSENT_MISSING");
        break;
      case "declineReason":
        if (move.to !== "declined" || !move.reason) throw required();
        if (move.reason === "other" && !move.reasonText.trim()) throw required();
        break;
      case "resumeOn":
        if (move.to !== "on_hold" || !move.resumeOn) throw required();
        break;
      case "outcome":
        if (move.to !== "completed" || !move.outcome.trim()) throw required();
        break;
      case "failReason":
        if (move.to !== "failed" || !move.reason) throw required();
        break;
      case "cancelReason":
        if (by === "laget" ? !options.cancelReason || !(lagetCancelReasons as readonly string[]).includes(options.cancelReason) : options.cancelReason && options.cancelReason !== "referrer") throw required();
        break;
    }
  }
  switch (move.to) {
    case "sent": {
      const consent = options.consent!;
      set.consent_id = consent.id;
      set.consent_version = consent.version;
      set.sent_at = now;
      set.response_due_at = responseDueAt({ sentAt: now, workingDays: options.workingDays ?? 5 });
      break;
    }
    case "received":
      set.claimed_by = options.actorUserId;
      break;
    case "declined":
      reason = move.reason;
      reasonText = move.reasonText.trim() || null;
      set.suggested_offer_id = move.suggestedOfferId ?? null;
      break;
    case "on_hold":
      set.resume_on = move.resumeOn;
      break;
    case "completed":
      set.outcome = move.outcome;
      break;
    case "failed":
      reason = move.reason;
      break;
    case "cancelled":
      reason = by === "laget" ? options.cancelReason! : "referrer";
      reasonText = move.reasonText.trim() || null;
      break;
  }
  if (reason !== null) {
    set.status_reason = reason;
    set.status_reason_text = reasonText;
  }
  return { set, reason, reasonText };
}

/** One move of one referral, or an AppError: INVALID_STATE (not in the table), REFERRAL_REASON_REQUIRED, REFERRAL_ALREADY_ANSWERED (lost a race). */
export async function applyMove(options: ApplyMove): Promise<Referral> {
  const { referralId, from, move, by, actorUserId } = options;
  if (!referralTransition(from, move.to, by)) throw new AppError("INVALID_STATE");
  const now = options.now ?? new Date();
  const { set, reason, reasonText } = columnsFor(options, now);
  const fhirStatus = fhirTaskStatus[move.to];
  return inTransaction(options.db, async (trx) => {
    const updated = await trx
      .updateTable("referrals")
      .set({
        ...set,
        status: move.to,
        fhir_status: fhirStatus,
        updated_at: now,
        // The recipient's first answer of any kind (the figures' time to first response).
        ...(by === "recipient" ? { first_response_at: sql<Date>`coalesce(first_response_at, ${now})` } : {}),
        ...(options.redact ? { data: null, redacted_at: now } : {}),
      })
      .where("id", "=", referralId)
      .where("status", "=", from)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new AppError("REFERRAL_ALREADY_ANSWERED");
    await trx
      .insertInto("referral_events")
      .values({ referral_id: referralId, from_status: from, to_status: move.to, fhir_status: fhirStatus, actor_user_id: actorUserId, reason, reason_text: reasonText, at: now })
      .execute();
    return updated;
  });
}
