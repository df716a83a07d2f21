import type { CancelReason } from "@laget/domain";
import { referralConsentCovers, terminalReferralStatuses, type ConsentSnapshot, type ReferralStatus } from "@laget/policy";
import { appendAudit } from "../audit/log.ts";
import { consentSnapshotColumns, consentSnapshotOf } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import { referralResource, type Referral } from "./access.ts";
import { applyMove } from "./lifecycle.ts";
import { announceMove } from "./referrals.ts";

/**
 * When a referral's basis ends, Laget cancels it (DESIGN.md §7): a consent withdrawn,
 * invalidated, superseded or expired, or the case closed. Called by those changes before
 * they return. Each open referral of the case (drafts too) whose consent no longer
 * covers its recipient is cancelled by Laget with `reason` (a closed case cancels them
 * all), its minimum data replaced by nothing (`data` null, `redacted_at`: the recipient
 * sees "Henvisningen er trukket", and only an anonymous row remains). A referral whose
 * consent was superseded by a version that still covers its recipient moves to that
 * version instead (audited). Both sides hear of each cancel live; the recipient unit is
 * notified (`referral_withdrawn`).
 */

type Reason = Extract<CancelReason, "consent_withdrawn" | "consent_expired" | "case_closed">;

const openStatuses = ["draft", "sent", "received", "accepted", "on_hold", "in_progress"] as const satisfies readonly ReferralStatus[];

async function consentById(db: Db, consentId: string): Promise<(ConsentSnapshot & { supersededBy: ConsentSnapshot | null }) | null> {
  const row = await db
    .selectFrom("consents")
    .select(consentSnapshotColumns)
    .where("id", "=", consentId)
    .executeTakeFirst();
  if (!row) return null;
  const successor = await db
    .selectFrom("consents")
    .select(consentSnapshotColumns)
    .where("supersedes_id", "=", consentId)
    .where("status", "=", "active")
    .orderBy("version", "desc")
    .executeTakeFirst();
  return { ...consentSnapshotOf(row), supersededBy: row.status === "superseded" && successor ? consentSnapshotOf(successor) : null };
}

/** Laget's own audit event about a referral (no actor). */
const auditLaget = (db: Db, referral: Referral, action: string) =>
  appendAudit(db, referral.municipality_id, [
    { actorUserId: null, actorUnitId: null, action, resourceType: "referral", resourceId: referral.id, caseId: referral.case_id, basis: null, purpose: "referral" },
  ]);

/** Cancels (or moves to a covering successor consent) every open referral of the case that lost its basis; returns the ids cancelled. */
export async function cancelReferralsWithoutBasis({ db, bus, caseId, reason, now = new Date() }: { db: Db; bus: EventBus; caseId: string; reason: Reason; now?: Date }): Promise<string[]> {
  const open = await db.selectFrom("referrals").select("id").where("case_id", "=", caseId).where("status", "in", openStatuses).execute();
  const cancelled: string[] = [];
  for (const { id } of open) {
    // A concurrent answer may move it meanwhile: the guarded update then fails, and it is judged again from where it is.
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await referralResource({ db, referralId: id });
      if (!found || terminalReferralStatuses.includes(found.resource.status)) break;
      const { referral, resource } = found;
      if (reason !== "case_closed") {
        const consent = await consentById(db, referral.consent_id);
        if (consent && referralConsentCovers({ ...resource, consent }, now)) break;
        const successor = consent?.supersededBy;
        if (successor && referralConsentCovers({ ...resource, consentId: successor.id, consentVersion: successor.version, consent: successor }, now)) {
          const moved = await db.transaction().execute(async (trx) => {
            const row = await trx
              .updateTable("referrals")
              .set({ consent_id: successor.id, consent_version: successor.version, updated_at: now })
              .where("id", "=", id)
              .where("consent_id", "=", referral.consent_id)
              .returningAll()
              .executeTakeFirst();
            if (row) await auditLaget(trx, row, "referral.consent_moved");
            return row;
          });
          if (moved) break;
          continue;
        }
      }
      const from = resource.status;
      try {
        const row = await db.transaction().execute(async (trx) => {
          const updated = await applyMove({
            db: trx,
            referralId: id,
            from,
            move: { to: "cancelled", reasonText: "" },
            by: "laget",
            actorUserId: null,
            cancelReason: reason,
            redact: true,
            now,
          });
          await auditLaget(trx, updated, "referral.cancel");
          return updated;
        });
        cancelled.push(id);
        await announceMove({ db, bus, referral: row, from, actorUserId: null });
        break;
      } catch (e) {
        if (e instanceof AppError && e.code === "REFERRAL_ALREADY_ANSWERED") continue;
        throw e;
      }
    }
  }
  return cancelled;
}
