import { caseLapse, type CaseLapse } from "../cases/lapse.ts";
import type { Db } from "../db/connect.ts";
import { scheduleExclusiveJob } from "../jobs/schedule.ts";
import { accessChanged, type EventBus } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import { notifyNow } from "../notifications/notifications.ts";
import { cancelReferralsWithoutBasis } from "../referrals/basis.ts";
import type { Provision } from "@laget/policy";

const DAY = 24 * 60 * 60 * 1000;

/**
 * Expires consents past their period, tells those who lost a case with a disclosure's
 * end, and reminds coordinators 30 and 7 days ahead.
 * Safe to run on every node at once: each expiry is a conditional update, each
 * reminder has a dedupe key, and a session advisory lock lets one node do the work.
 * Live connections closed already at the end moment (each node's lapse timer); this
 * records the expiry, tells every node once more and tells those who lost the case.
 */
export async function runConsentJobs(db: Db, bus: EventBus, now = new Date()): Promise<{ expired: number; reminded: number }> {
  // Who could see each case just before its consent's end, to name those who lost it.
  const due = await db.selectFrom("consents").select(["case_id", "period_end"]).where("status", "=", "active").where("period_end", "<=", now).execute();
  const lapses = new Map<string, CaseLapse>();
  for (const d of due) if (!lapses.has(d.case_id)) lapses.set(d.case_id, await caseLapse(db, [d.case_id], { before: d.period_end }));
  const expired = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable("consents")
      .set({ status: "expired", ended_at: now, end_reason: "period ended" })
      .where("status", "=", "active")
      .where("period_end", "<=", now)
      .returning(["id", "case_id", "provisions"])
      .execute();
    for (const r of rows) {
      await trx.insertInto("consent_history").values({ consent_id: r.id, actor_user_id: null, from_status: "active", to_status: "expired", reason: "period ended" }).execute();
    }
    return rows;
  });
  for (const r of expired) {
    const c = await db.selectFrom("cases").select(["municipality_id", "coordinator_user_id"]).where("id", "=", r.case_id).executeTakeFirstOrThrow();
    const event = accessChanged(r.case_id, c.municipality_id, "consent_expired", (r.provisions as Provision[]).map((p) => p.unitId));
    const lapse = lapses.get(r.case_id);
    lapses.delete(r.case_id);
    if (lapse) await lapse.publish(bus, event);
    else await bus.publish(event);
    await notifyNow({ db, bus, userIds: [c.coordinator_user_id], kind: "consent_ended", caseId: r.case_id, dedupeKey: `consent-ended:${r.id}` });
    // Referrals sent under it are cancelled with it.
    await cancelReferralsWithoutBasis({ db, bus, caseId: r.case_id, reason: "consent_expired", now });
  }

  // A disclosure past its validUntil: live connections closed at that moment (the lapse
  // timers); those who lost the case with it are told once (the dedupe key), within a day.
  const endedDisclosures = await db
    .selectFrom("disclosures")
    .select(["id", "case_id", "valid_until"])
    .where("revoked_at", "is", null)
    .where("valid_until", "<=", now)
    .where("valid_until", ">", new Date(now.getTime() - DAY))
    .execute();
  for (const d of endedDisclosures) {
    await (await caseLapse(db, [d.case_id], { before: d.valid_until! })).notify(bus, d.case_id, `disclosure-ended:${d.id}`);
  }

  let reminded = 0;
  // Each reminder covers its own window, so a consent gets the 30-day one, then the 7-day one.
  for (const [days, after] of [[30, 7], [7, 0]] as const) {
    const due = await db
      .selectFrom("consents")
      .innerJoin("cases", "cases.id", "consents.case_id")
      .select(["consents.id", "consents.case_id", "cases.coordinator_user_id"])
      .where("consents.status", "=", "active")
      .where("consents.period_end", ">", new Date(now.getTime() + after * DAY))
      .where("consents.period_end", "<=", new Date(now.getTime() + days * DAY))
      .execute();
    for (const d of due) {
      await notifyNow({ db, bus, userIds: [d.coordinator_user_id], kind: "consent_expiring", caseId: d.case_id, dedupeKey: `consent-expiring-${days}:${d.id}` });
      reminded++;
    }
  }
  return { expired: expired.length, reminded };
}

/** Runs the consent jobs every minute on whichever node holds the lock. */
export function scheduleConsentJobs(db: Db, bus: EventBus, log: Logger, intervalMs = 60_000): () => void {
  return scheduleExclusiveJob({
    db,
    log,
    name: "consent-jobs",
    run: async (conn) => {
      const result = await runConsentJobs(conn, bus);
      if (result.expired) log.info(result, "consents expired");
    },
    intervalMs,
  });
}
