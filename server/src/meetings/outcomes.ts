import type { OutcomeKind } from "@laget/domain";
import { addMeasure, planDocumentName } from "@laget/plan";
import type { AgendaItemResource, CaseFacts } from "@laget/policy";
import { loadActor, type AsActor } from "../auth/actor.ts";
import { decisionFor } from "../cases/access.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { itemAccess, type ItemRow } from "./agenda-access.ts";

/**
 * What an agenda item concluded (DESIGN.md §6): information, a decision, or an action (what,
 * who in which unit, by when, evaluated when). An action on a named case becomes a measure
 * in that case's live plan in one step, written on the server as an ordinary update so
 * every open editor sees it at once, and linked both ways: the measure names the meeting,
 * the item and the outcome (its `source`), the outcome the plan and the measure.
 */

export type OutcomeView = {
  id: string;
  kind: OutcomeKind;
  text: string;
  responsibleUnitId: string | null;
  responsibleUserId: string | null;
  deadline: string | null;
  evaluationDate: string | null;
  planCaseId: string | null;
  planMeasureId: string | null;
  /** Whether the responsible person may read the case's plan (null: no person, or no named case): the UI warns when false. */
  responsibleMaySeePlan: boolean | null;
};

/** Whether the person may read the case's plan, as the plan's own judge decides (category plan, purpose coordination). */
export async function maySeePlan(db: Db, userId: string, facts: CaseFacts): Promise<boolean> {
  const person = await loadActor(db, userId);
  return person !== null && person.municipalityId === facts.municipalityId && decisionFor(person, facts, "plan", "read", "coordination").allow;
}

/** The outcomes of the given (visible) items, by item id, oldest first. */
export async function outcomeViews({ db, items }: { db: Db; items: readonly { row: ItemRow; resource: AgendaItemResource }[] }): Promise<Map<string, OutcomeView[]>> {
  const out = new Map<string, OutcomeView[]>();
  if (items.length === 0) return out;
  const byId = new Map(items.map((i) => [i.row.id, i.resource]));
  const rows = await db
    .selectFrom("agenda_item_outcomes")
    .selectAll()
    .where("agenda_item_id", "in", [...byId.keys()])
    .where("removed_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const judged = new Map<string, Promise<boolean>>();
  for (const r of rows) {
    const subject = byId.get(r.agenda_item_id)!.subject;
    let may: boolean | null = null;
    if (subject.kind === "case" && r.responsible_user_id) {
      const key = `${subject.caseId}:${r.responsible_user_id}`;
      if (!judged.has(key)) judged.set(key, maySeePlan(db, r.responsible_user_id, subject.case));
      may = await judged.get(key)!;
    }
    const list = out.get(r.agenda_item_id) ?? [];
    list.push({
      id: r.id,
      kind: r.kind as OutcomeKind,
      text: r.text,
      responsibleUnitId: r.responsible_unit_id,
      responsibleUserId: r.responsible_user_id,
      deadline: r.deadline,
      evaluationDate: r.evaluation_date,
      planCaseId: r.plan_measure_id?.startsWith(PENDING) ? null : r.plan_case_id,
      planMeasureId: r.plan_measure_id?.startsWith(PENDING) ? null : r.plan_measure_id,
      responsibleMaySeePlan: may,
    });
    out.set(r.agenda_item_id, list);
  }
  return out;
}

async function requireInMunicipality(db: Db, municipalityId: string, o: { responsibleUnitId?: string; responsibleUserId?: string }) {
  if (o.responsibleUnitId) {
    const unit = await db.selectFrom("units").select("id").where("id", "=", o.responsibleUnitId).where("municipality_id", "=", municipalityId).executeTakeFirst();
    if (!unit) throw new AppError("VALIDATION", "unknown responsible unit");
  }
  if (o.responsibleUserId) {
    const user = await db.selectFrom("users").select("id").where("id", "=", o.responsibleUserId).where("municipality_id", "=", municipalityId).executeTakeFirst();
    if (!user) throw new AppError("VALIDATION", "unknown responsible person");
  }
}

/** Outcomes are part of the minutes: written by whoever may write the item's minutes now. */
export async function addOutcome({
  db,
  actor,
  agendaItemId,
  kind,
  text,
  responsibleUnitId,
  responsibleUserId,
  deadline,
  evaluationDate,
}: AsActor & { agendaItemId: string; kind: OutcomeKind; text: string; responsibleUnitId?: string; responsibleUserId?: string; deadline?: string; evaluationDate?: string }) {
  await itemAccess({ db, actor, agendaItemId, action: "writeMinutes" });
  await requireInMunicipality(db, actor.municipalityId, { responsibleUnitId, responsibleUserId });
  const row = await db
    .insertInto("agenda_item_outcomes")
    .values({
      agenda_item_id: agendaItemId,
      kind,
      text,
      responsible_unit_id: responsibleUnitId ?? null,
      responsible_user_id: responsibleUserId ?? null,
      deadline: deadline ?? null,
      evaluation_date: evaluationDate ?? null,
      created_by: actor.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { outcomeId: row.id };
}

async function outcomeRow(db: Db, outcomeId: string) {
  const row = await db.selectFrom("agenda_item_outcomes").selectAll().where("id", "=", outcomeId).where("removed_at", "is", null).executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

export async function removeOutcome({ db, actor, outcomeId }: AsActor & { outcomeId: string }) {
  const row = await outcomeRow(db, outcomeId);
  await itemAccess({ db, actor, agendaItemId: row.agenda_item_id, action: "writeMinutes" });
  await db.updateTable("agenda_item_outcomes").set({ removed_at: new Date() }).where("id", "=", outcomeId).execute();
  return { outcomeId };
}

const MAX_MEASURE_TITLE = 200;

/**
 * An action on a named case becomes a measure in `plan:<case id>`, once: the outcome is
 * claimed first (a pending mark set only where none is), so two clicks make one measure,
 * and no database transaction is held while the plan changes. The plan's own judge decides
 * whether the actor may write it (ctx.liveDocuments.transact), and audits the change.
 */
export async function toMeasure({ db, liveDocuments, actor, outcomeId }: AsActor & { liveDocuments: LiveDocuments; outcomeId: string }): Promise<{ caseId: string; measureId: string }> {
  const row = await outcomeRow(db, outcomeId);
  const { row: item, access } = await itemAccess({ db, actor, agendaItemId: row.agenda_item_id, action: "read" });
  if (item.kind !== "case" || !item.case_id) throw new AppError("INVALID_STATE", "only an action on a named case becomes a measure");
  if (row.kind !== "action") throw new AppError("INVALID_STATE", "only an action becomes a measure");
  const caseId = item.case_id;
  const pending = `${PENDING}${crypto.randomUUID()}`;
  const claimed = await db
    .updateTable("agenda_item_outcomes")
    .set({ plan_case_id: caseId, plan_measure_id: pending })
    .where("id", "=", outcomeId)
    .where("plan_measure_id", "is", null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) {
    const done = await outcomeRow(db, outcomeId);
    if (!done.plan_case_id || !done.plan_measure_id || done.plan_measure_id.startsWith(PENDING)) throw new AppError("INVALID_STATE", "the measure is being made");
    return { caseId: done.plan_case_id, measureId: done.plan_measure_id };
  }
  const title = row.text.length > MAX_MEASURE_TITLE ? `${row.text.slice(0, MAX_MEASURE_TITLE - 1).trimEnd()}…` : row.text;
  let measureId = "";
  try {
    await liveDocuments.transact({
      documentName: planDocumentName(caseId),
      actor,
      change: (doc) => {
        measureId = addMeasure(doc, {
          title,
          description: row.text.length > MAX_MEASURE_TITLE ? row.text : "",
          responsibleUnitId: row.responsible_unit_id,
          responsiblePersonId: row.responsible_user_id,
          deadline: row.deadline,
          evaluationDate: row.evaluation_date,
          source: { meetingId: access.meeting.id, agendaItemId: item.id, outcomeId },
        });
      },
    });
  } catch (err) {
    await db.updateTable("agenda_item_outcomes").set({ plan_case_id: null, plan_measure_id: null }).where("id", "=", outcomeId).where("plan_measure_id", "=", pending).execute();
    throw err;
  }
  await db.updateTable("agenda_item_outcomes").set({ plan_measure_id: measureId }).where("id", "=", outcomeId).where("plan_measure_id", "=", pending).execute();
  return { caseId, measureId };
}

/** The mark of a measure being made (never shown: a view reads it as none yet). */
const PENDING = "pending:";
