import { loadActor, type Actor } from "../auth/actor.ts";
import { decisionFor } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import { scheduleExclusiveJob } from "../jobs/schedule.ts";
import type { Logger } from "../log.ts";
import { notifyNow } from "../notifications/notifications.ts";
import type { EventBus } from "../events/bus.ts";
import { addDays, osloToday } from "./dates.ts";

export const DUE_REMINDER_DAYS = 7;
/** A missed day (a node down, the job late) is caught up within this many days. */
const CATCH_UP_DAYS = 7;
const ACTIVE = ["planned", "in_progress"] as const;

/**
 * Plan reminders from the measure projection (never Yjs): the responsible person 7 days
 * before a measure's deadline and on its evaluation date (the case's coordinator when no
 * one is named: the stafettholder holds the plan together), the coordinator when a
 * measure is overdue. Notifications are neutral (a kind and a case link, DESIGN.md §1)
 * and carry a dedupe key per measure and date, so a changed deadline reminds again and
 * nothing is sent twice. Only to people decide() still lets read the plan, in open cases.
 */
export async function runPlanJobs({ db, bus, now = new Date() }: { db: Db; bus: EventBus; now?: Date }): Promise<{ due: number; evaluation: number; overdue: number }> {
  const today = osloToday(now);
  const base = db
    .selectFrom("plan_measures")
    .innerJoin("cases", "cases.id", "plan_measures.case_id")
    .select([
      "plan_measures.case_id",
      "plan_measures.measure_id",
      "plan_measures.responsible_user_id",
      "plan_measures.deadline",
      "plan_measures.evaluation_date",
      "cases.coordinator_user_id",
    ])
    .where("cases.status", "!=", "closed");

  const [due, evaluation, overdue] = await Promise.all([
    base
      .where("plan_measures.status", "in", ACTIVE)
      .where("plan_measures.deadline", ">", today)
      .where("plan_measures.deadline", "<=", addDays(today, DUE_REMINDER_DAYS))
      .execute(),
    base
      .where("plan_measures.status", "!=", "ended")
      .where("plan_measures.evaluation_date", "<=", today)
      .where("plan_measures.evaluation_date", ">", addDays(today, -CATCH_UP_DAYS))
      .execute(),
    base.where("plan_measures.status", "in", ACTIVE).where("plan_measures.deadline", "<", today).execute(),
  ]);

  const facts = await loadCaseFacts(db, [...due, ...evaluation, ...overdue].map((r) => r.case_id));
  const actors = new Map<string, Actor | null>();
  const mayRead = async (userId: string, caseId: string) => {
    if (!actors.has(userId)) actors.set(userId, await loadActor(db, userId));
    const actor = actors.get(userId);
    const f = facts.get(caseId);
    return !!actor && !!f && decisionFor(actor, f, "identity", "read", "coordination").allow && decisionFor(actor, f, "plan", "read", "coordination").allow;
  };

  const responsible = (r: (typeof due)[number]) => r.responsible_user_id ?? r.coordinator_user_id;
  const counts = { due: 0, evaluation: 0, overdue: 0 };
  for (const r of due) {
    if (!(await mayRead(responsible(r), r.case_id))) continue;
    await notifyNow({ db, bus, userIds: [responsible(r)], kind: "measure_due", caseId: r.case_id, dedupeKey: `measure-due:${r.case_id}:${r.measure_id}:${r.deadline}` });
    counts.due++;
  }
  for (const r of evaluation) {
    if (!(await mayRead(responsible(r), r.case_id))) continue;
    await notifyNow({ db, bus, userIds: [responsible(r)], kind: "measure_evaluation", caseId: r.case_id, dedupeKey: `measure-evaluation:${r.case_id}:${r.measure_id}:${r.evaluation_date}` });
    counts.evaluation++;
  }
  for (const r of overdue) {
    if (!(await mayRead(r.coordinator_user_id, r.case_id))) continue;
    await notifyNow({ db, bus, userIds: [r.coordinator_user_id], kind: "measure_overdue", caseId: r.case_id, dedupeKey: `measure-overdue:${r.case_id}:${r.measure_id}:${r.deadline}` });
    counts.overdue++;
  }
  return counts;
}

/** Runs the plan jobs every minute on whichever node holds the lock (like the consent jobs). */
export function schedulePlanJobs({ db, bus, log, intervalMs = 60_000 }: { db: Db; bus: EventBus; log: Logger; intervalMs?: number }): () => void {
  return scheduleExclusiveJob({
    db,
    log,
    name: "plan-jobs",
    run: async (conn) => {
      const result = await runPlanJobs({ db: conn, bus });
      if (result.due || result.evaluation || result.overdue) log.info(result, "plan reminders sent");
    },
    intervalMs,
  });
}
