import { storableText } from "@laget/domain";
import type { Plan } from "@laget/plan";
import type { Db } from "../db/connect.ts";

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

/**
 * Writes the projection in the snapshot's transaction: only the measures that changed since
 * `previous` (what this node wrote at the row's current version), or the whole projection
 * when that is unknown (a first store, or another node wrote in between).
 */
export async function writeProjection({ trx, caseId, municipalityId, plan, previous, now }: {
  trx: Db;
  caseId: string;
  municipalityId: string;
  plan: Plan;
  previous: Projection | undefined;
  now: Date;
}): Promise<Projection> {
  const rows = measureRows(caseId, municipalityId, plan, now);
  const projection = projectionOf(rows);
  if (!previous) {
    await trx.deleteFrom("plan_measures").where("case_id", "=", caseId).execute();
    if (rows.length) await trx.insertInto("plan_measures").values(rows).execute();
    return projection;
  }
  const { removed, changed } = diffProjection(previous, projection, rows);
  if (removed.length) await trx.deleteFrom("plan_measures").where("case_id", "=", caseId).where("measure_id", "in", removed).execute();
  if (changed.length) {
    await trx
      .insertInto("plan_measures")
      .values(changed)
      .onConflict((oc) =>
        oc.columns(["case_id", "measure_id"]).doUpdateSet((eb) => ({
          municipality_id: eb.ref("excluded.municipality_id"),
          domain_id: eb.ref("excluded.domain_id"),
          title: eb.ref("excluded.title"),
          status: eb.ref("excluded.status"),
          responsible_unit_id: eb.ref("excluded.responsible_unit_id"),
          responsible_user_id: eb.ref("excluded.responsible_user_id"),
          start_date: eb.ref("excluded.start_date"),
          deadline: eb.ref("excluded.deadline"),
          evaluation_date: eb.ref("excluded.evaluation_date"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
  return projection;
}
