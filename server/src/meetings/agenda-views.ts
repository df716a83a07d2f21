import { decideAgendaItem, type AgendaItemResource, type MeetingResource, type MinutesState, type ResourceActions } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { authorizeCase, policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import { authorizeMeeting, seriesResource, type Meeting } from "./access.ts";
import { namedItemEvent, visibleItems, type ItemRow } from "./agenda-access.ts";
import { instantOfLocal } from "./local-time.ts";
import { minutesDocumentName } from "./minutes-kind.ts";
import { outcomeViews, type OutcomeView } from "./outcomes.ts";

/**
 * The agenda as its readers get it (DESIGN.md §6): each item the reader may see
 * (visibleItems), with its outcomes and what the reader may do with it; and the meetings
 * where a case was discussed by name.
 */

export type AgendaItemView = {
  id: string;
  kind: "case" | "anonymous" | "topic" | "general";
  title: string | null;
  pseudonym: string | null;
  caseId: string | null;
  caseLabel: string | null;
  linkedCaseId: string | null;
  description: string;
  position: number;
  plannedMinutes: number | null;
  presenterUserId: string | null;
  status: "open" | "done" | "carried";
  carriedFromId: string | null;
  documentName: string;
  outcomes: OutcomeView[];
  abilities: { writeMinutes: boolean; edit: boolean; followCaseLink: boolean; promote: boolean };
};

/** "Emma Hansen": the names of the people a named case is about, for those who may see it. */
export async function caseLabels(db: Db, caseIds: readonly string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  if (caseIds.length === 0) return labels;
  const rows = await db.selectFrom("case_subjects").select(["case_id", "name"]).where("case_id", "in", [...new Set(caseIds)]).orderBy("created_at").orderBy("id").execute();
  for (const r of rows) labels.set(r.case_id, labels.has(r.case_id) ? `${labels.get(r.case_id)}, ${r.name}` : r.name);
  return labels;
}

/** The general section exists from the first time a meeting's agenda is read: one per meeting, first. */
async function ensureGeneralSection(db: Db, meeting: Meeting, actorId: string) {
  const exists = await db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meeting.id).where("kind", "=", "general").executeTakeFirst();
  if (exists) return;
  await db.transaction().execute(async (trx) => {
    // The meeting row's lock makes a concurrent first read wait, then see the section.
    await trx.selectFrom("meetings").select("id").where("id", "=", meeting.id).forUpdate().execute();
    const again = await trx.selectFrom("agenda_items").select("id").where("meeting_id", "=", meeting.id).where("kind", "=", "general").executeTakeFirst();
    if (again) return;
    await trx.insertInto("agenda_items").values({ meeting_id: meeting.id, municipality_id: meeting.municipality_id, kind: "general", position: 0, created_by: actorId }).execute();
  });
}

/** The views of visible items, with their outcomes and the actor's abilities; named items' reads audited. */
export async function itemViews({ db, actor, items }: AsActor & { items: { row: ItemRow; resource: AgendaItemResource }[] }): Promise<AgendaItemView[]> {
  const subject = policyActor(actor);
  const named = items.flatMap((i) => (i.resource.subject.kind === "case" ? [i.resource.subject.caseId] : []));
  const [labels, outcomes] = await Promise.all([caseLabels(db, named), outcomeViews({ db, items })]);
  return items.map(({ row, resource }) => {
    const may = (action: ResourceActions["agenda_item"]) => decideAgendaItem(subject, resource, action).allow;
    const follow = may("followCaseLink");
    const edit = may("edit");
    return {
      id: row.id,
      kind: row.kind as AgendaItemView["kind"],
      title: row.title,
      pseudonym: row.kind === "anonymous" ? row.pseudonym : null,
      caseId: row.kind === "case" ? row.case_id : null,
      caseLabel: row.kind === "case" && row.case_id ? (labels.get(row.case_id) ?? null) : null,
      // Only that case's coordinator ever learns which case an anonymous item is about.
      linkedCaseId: row.kind === "anonymous" && follow ? row.linked_case_id : null,
      description: row.description,
      position: row.position,
      plannedMinutes: row.planned_minutes,
      presenterUserId: row.presenter_user_id,
      status: row.status as AgendaItemView["status"],
      carriedFromId: row.carried_from_id,
      documentName: minutesDocumentName(row.id),
      outcomes: outcomes.get(row.id) ?? [],
      abilities: { writeMinutes: may("writeMinutes"), edit, followCaseLink: follow, promote: row.kind === "anonymous" && edit },
    };
  });
}

export async function listAgenda({ db, actor, meetingId }: AsActor & { meetingId: string }): Promise<{ items: AgendaItemView[] }> {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "read", audit: "agenda.list" });
  await ensureGeneralSection(db, access.meeting, actor.id);
  const items = await visibleItems({ db, actor, access });
  const events = items.flatMap((i) => namedItemEvent(actor, i.resource, "agenda.read") ?? []);
  await appendAudit(db, actor.municipalityId, events);
  return { items: await itemViews({ db, actor, items }) };
}

/** Meetings where the case was discussed as a named item, to those who may see that item. */
export async function agendaOfCase({ db, actor, caseId }: AsActor & { caseId: string }) {
  const { facts } = await authorizeCase(db, actor, caseId, { category: "identity", action: "read", purpose: "meeting", auditAction: "agenda.of_case", resourceType: "case" });
  const rows = await db
    .selectFrom("agenda_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .innerJoin("meeting_series as s", "s.id", "m.series_id")
    .selectAll("i")
    .select(["m.series_id", "m.recurrence_id", "m.moved_to_local", "m.minutes_state", "s.title as series_title", "s.kind as series_kind", "s.tzid"])
    .where("i.case_id", "=", caseId)
    .where("i.removed_at", "is", null)
    .where("m.municipality_id", "=", actor.municipalityId)
    .orderBy("m.recurrence_id", "desc")
    .execute();
  const series = new Map<string, MeetingResource | null>();
  const subject = policyActor(actor);
  const out: { meetingId: string; seriesId: string; title: string; kind: string; start: string; agendaItemId: string }[] = [];
  for (const r of rows) {
    if (!series.has(r.series_id)) series.set(r.series_id, (await seriesResource({ db, seriesId: r.series_id }))?.resource ?? null);
    const s = series.get(r.series_id);
    if (!s) continue;
    const meeting = { ...s, meetingId: r.meeting_id, minutesState: r.minutes_state as MinutesState };
    const item: AgendaItemResource = { kind: "agenda_item", agendaItemId: r.id, meeting, subject: { kind: "case", caseId, case: facts }, createdByUserId: r.created_by };
    if (!decideAgendaItem(subject, item, "read").allow) continue;
    out.push({ meetingId: r.meeting_id, seriesId: r.series_id, title: r.series_title, kind: r.series_kind, start: instantOfLocal(r.moved_to_local ?? r.recurrence_id, r.tzid).toISOString(), agendaItemId: r.id });
  }
  return { meetings: out };
}
