import { storableText } from "@laget/domain";
import type { Plan } from "@laget/plan";

/**
 * The relational projection of a plan's measures: one row per measure, kept equal to
 * the document with every snapshot, so reminders, "Mine tiltak", search and reports
 * never decode Yjs. `readPlan` has already validated every field (ids are uuids,
 * dates calendar days). A row's `updated_at` is when the measure last changed.
 */
export function measureRows(caseId: string, municipalityId: string, plan: Plan, now: Date) {
  return plan.measures.map((m) => ({
    case_id: caseId,
    measure_id: m.id,
    municipality_id: municipalityId,
    domain_id: m.domainId,
    // Typed live, never through zod: a NUL would fail every store of the plan.
    title: storableText(m.title),
    status: m.status,
    responsible_unit_id: m.responsibleUnitId,
    responsible_user_id: m.responsiblePersonId,
    start_date: m.start,
    deadline: m.deadline,
    evaluation_date: m.evaluationDate,
    updated_at: now,
  }));
}

export type MeasureRow = ReturnType<typeof measureRows>[number];

/** What a node last wrote to the projection of one plan: measure id → the row's content (without `updated_at`). */
export type Projection = ReadonlyMap<string, string>;

const rowKey = (r: MeasureRow) =>
  JSON.stringify([r.municipality_id, r.domain_id, r.title, r.status, r.responsible_unit_id, r.responsible_user_id, r.start_date, r.deadline, r.evaluation_date]);

export function projectionOf(rows: readonly MeasureRow[]): Projection {
  return new Map(rows.map((r) => [r.measure_id, rowKey(r)]));
}

/** The measures to delete and the rows to insert or update to go from `previous` to `next`. */
export function diffProjection(previous: Projection, next: Projection, rows: readonly MeasureRow[]) {
  const removed = [...previous.keys()].filter((id) => !next.has(id));
  const changed = rows.filter((r) => previous.get(r.measure_id) !== next.get(r.measure_id));
  return { removed, changed };
}
