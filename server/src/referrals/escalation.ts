import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import type { Delivery } from "../events/user-events.ts";
import { scheduleExclusiveJob } from "../jobs/schedule.ts";
import type { Logger } from "../log.ts";
import { notify } from "../notifications/notifications.ts";

/**
 * The response deadline (DESIGN.md §7): a referral still `sent` (nobody at the recipient
 * has answered it) once its `response_due_at` has passed is escalated to the coordinator
 * of the case it was made from, once. The stamp on `escalated_at` is a guarded update
 * (only where it is still null), so of two scans at the same moment, on one node or two,
 * only one claims each referral, and the notification is written in that same transaction
 * (with a dedupe key per referral as well). The notification is neutral: its kind and the
 * case, never the recipient, the offer or the child.
 */
export async function runReferralEscalation({ db, bus, now = new Date() }: { db: Db; bus: EventBus; now?: Date }): Promise<{ escalated: number }> {
  const deliveries: Delivery[] = [];
  const escalated = await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable("referrals")
      .set({ escalated_at: now })
      .where("status", "=", "sent")
      .where("first_response_at", "is", null)
      .where("escalated_at", "is", null)
      .where("response_due_at", "<=", now)
      .returning(["id", "case_id"])
      .execute();
    if (claimed.length === 0) return 0;
    const cases = await trx
      .selectFrom("cases")
      .select(["id", "coordinator_user_id"])
      .where("id", "in", [...new Set(claimed.map((r) => r.case_id))])
      .execute();
    const coordinatorOf = new Map(cases.map((c) => [c.id, c.coordinator_user_id]));
    for (const r of claimed) {
      const coordinator = coordinatorOf.get(r.case_id);
      if (coordinator) deliveries.push(...(await notify({ db: trx, userIds: [coordinator], kind: "referral_unanswered", caseId: r.case_id, dedupeKey: `referral-unanswered:${r.id}` })));
    }
    return claimed.length;
  });
  if (deliveries.length) await bus.publish({ type: "userEventsCommitted", deliveries });
  return { escalated };
}

/** Scans every minute on whichever node holds the job's lock (the guarded stamp makes each escalation once anyway). */
export function scheduleReferralEscalation({ db, bus, log, intervalMs = 60_000 }: { db: Db; bus: EventBus; log: Logger; intervalMs?: number }): () => void {
  return scheduleExclusiveJob({
    db,
    log,
    name: "referral-escalation",
    run: async (conn) => {
      const result = await runReferralEscalation({ db: conn, bus });
      if (result.escalated) log.info(result, "unanswered referrals escalated");
    },
    intervalMs,
  });
}
