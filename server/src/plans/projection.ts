import type { Plan } from "@laget/plan";

/**
 * The relational projection of a plan's measures: one row per measure, replaced with
 * every snapshot, so reminders, "Mine tiltak", search and reports never decode Yjs.
 * `readPlan` has already validated every field (ids are uuids, dates calendar days).
 */
export function measureRows(caseId: string, municipalityId: string, plan: Plan, now: Date) {
  return plan.measures.map((m) => ({
    case_id: caseId,
    measure_id: m.id,
    municipality_id: municipalityId,
    domain_id: m.domainId,
    title: m.title,
    status: m.status,
    responsible_unit_id: m.responsibleUnitId,
    responsible_user_id: m.responsiblePersonId,
    start_date: m.start,
    deadline: m.deadline,
    evaluation_date: m.evaluationDate,
    updated_at: now,
  }));
}
