import type { AgendaItemInput } from "@laget/domain";
import {
  agendaCaseBasis,
  agendaUnitsLacking,
  decideAgendaItem,
  mayNameOnAgenda,
  type AgendaItemResource,
  type AgendaItemSubject,
  type Basis,
  type CaseFacts,
  type MeetingResource,
  type MinutesState,
  type ResourceActions,
} from "@laget/policy";
import type { Selectable } from "kysely";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit, type AuditEvent } from "../audit/log.ts";
import { authorizeCase, policyActor, recordAccess, ruleRefusal, type AccessRequest } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import type { AgendaItemsTable } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import { authorizeMeeting, occurrenceResource, refusal, seriesResource, type Meeting, type Series } from "./access.ts";
import { minutesDocumentName } from "./minutes-kind.ts";
import { outcomeViews, type OutcomeView } from "./outcomes.ts";
import { expandSeries, instantOfLocal, type HolidayPolicy, type RecurrenceSpec } from "./recurrence.ts";

/**
 * A meeting's agenda (DESIGN.md §4.6, §6): named cases, anonymous discussions, topics and
 * the general section. Every item is judged by the policy's decideAgendaItem on facts
 * loaded here (the meeting's people and, for a named case, the case's consents), and a
 * reader gets only what it allows: items they may not see are left out, never counted.
 * A case is named on an agenda only when every unit of the meeting may see it for purpose
 * `meeting` (agendaUnitsLacking); otherwise it is discussed anonymously.
 */

export type ItemRow = Selectable<AgendaItemsTable>;

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

export type MeetingAccess = Awaited<ReturnType<typeof authorizeMeeting>>;

/** The policy's view of each item (an item whose named case is gone is left out). */
export async function itemResources(db: Db, meeting: MeetingResource, rows: readonly ItemRow[]): Promise<Map<string, { row: ItemRow; resource: AgendaItemResource }>> {
  const caseIds = rows.flatMap((r) => [r.case_id, r.linked_case_id]).filter((id): id is string => id !== null);
  const facts = await loadCaseFacts(db, caseIds);
  const out = new Map<string, { row: ItemRow; resource: AgendaItemResource }>();
  for (const row of rows) {
    const subject = subjectOf(row, facts);
    if (!subject) continue;
    out.set(row.id, { row, resource: { kind: "agenda_item", agendaItemId: row.id, meeting, subject, createdByUserId: row.created_by } });
  }
  return out;
}

function subjectOf(row: ItemRow, facts: Map<string, CaseFacts>): AgendaItemSubject | null {
  switch (row.kind) {
    case "case": {
      const f = row.case_id ? facts.get(row.case_id) : undefined;
      return f ? { kind: "case", caseId: f.caseId, case: f } : null;
    }
    case "anonymous": {
      const f = row.linked_case_id ? facts.get(row.linked_case_id) : undefined;
      return { kind: "anonymous", pseudonym: row.pseudonym ?? "", linkedCase: f ? { caseId: f.caseId, municipalityId: f.municipalityId, coordinatorUserId: f.coordinatorUserId } : null };
    }
    case "topic":
      return { kind: "topic" };
    case "general":
      return { kind: "general" };
  }
  return null;
}

const liveItems = (db: Db, meetingId: string) =>
  db.selectFrom("agenda_items").selectAll().where("meeting_id", "=", meetingId).where("removed_at", "is", null).orderBy("position").orderBy("created_at").orderBy("id");

/** The items of a meeting this actor may read, in order, with their judged resources. */
export async function visibleItems({ db, actor, access }: AsActor & { access: MeetingAccess }) {
  const rows = await liveItems(db, access.meeting.id).execute();
  const resources = await itemResources(db, access.resource, rows);
  const subject = policyActor(actor);
  return rows.flatMap((row) => {
    const r = resources.get(row.id);
    return r && decideAgendaItem(subject, r.resource, "read").allow ? [r] : [];
  });
}

/** One item the actor may act on: hidden (or missing) is NOT_FOUND, otherwise the action is judged. */
export async function itemAccess({ db, actor, agendaItemId, action }: AsActor & { agendaItemId: string; action: ResourceActions["agenda_item"] }) {
  const row = await db.selectFrom("agenda_items").selectAll().where("id", "=", agendaItemId).where("removed_at", "is", null).executeTakeFirst();
  if (!row || row.municipality_id !== actor.municipalityId) throw new AppError("NOT_FOUND");
  const access = await authorizeMeeting({ db, actor, meetingId: row.meeting_id, action: "read" });
  const resource = (await itemResources(db, access.resource, [row])).get(row.id)?.resource;
  const subject = policyActor(actor);
  if (!resource || !decideAgendaItem(subject, resource, "read").allow) throw new AppError("NOT_FOUND");
  if (action !== "read") {
    const judged = decideAgendaItem(subject, resource, action);
    if (!judged.allow) throw refusal(judged);
  }
  return { row, resource, access };
}

/** The audit event for reading a named item: against its case, on the basis it is read under. */
export function namedItemEvent(actor: AsActor["actor"], resource: AgendaItemResource, action: string): AuditEvent | null {
  if (resource.subject.kind !== "case") return null;
  const basis = agendaCaseBasis(policyActor(actor), resource.subject.case);
  return { actorUserId: actor.id, actorUnitId: basis?.unitId ?? null, action, resourceType: "agenda_item", resourceId: resource.agendaItemId, caseId: resource.subject.caseId, basis, purpose: "meeting" };
}

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

/** The meeting's units lacking a basis for the case, by id and name. */
async function lackingUnits(db: Db, facts: CaseFacts, meeting: MeetingResource) {
  const ids = agendaUnitsLacking(facts, meeting);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("units").select(["id", "name"]).where("id", "in", ids).execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return ids.map((id) => ({ id, name: names.get(id) ?? "" }));
}

/** The adder must see the case themselves, for purpose meeting; audited once the step happens. */
const namedCaseRequest = (auditAction: string): AccessRequest => ({ category: "identity", action: "read", purpose: "meeting", auditAction, resourceType: "agenda_item", recordAllowed: false });

/** Whether the case may be named on this meeting's agenda, and which of its units lack the basis. */
export async function agendaEligibility({ db, actor, meetingId, caseId }: AsActor & { meetingId: string; caseId: string }) {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "read" });
  const req = namedCaseRequest("agenda.eligibility");
  const { facts, basis } = await authorizeCase(db, actor, caseId, req);
  requireRunsCase(actor, facts);
  await recordAccess(db, actor, caseId, { ...req, resourceId: meetingId, resourceType: "meeting" }, basis);
  const lacking = await lackingUnits(db, facts, access.resource);
  return { allowed: lacking.length === 0, lackingUnits: lacking };
}

/** Only one who runs the case names it on an agenda (mayNameOnAgenda): NOT_COORDINATOR otherwise. */
function requireRunsCase(actor: AsActor["actor"], facts: CaseFacts) {
  const verdict = mayNameOnAgenda(policyActor(actor), facts);
  if (!verdict.allow) throw ruleRefusal(verdict.reason);
}

/** Refuses (and audits the refusal) unless every unit of the meeting may see the case. */
async function requireConsentOfEveryUnit({ db, actor, facts, meeting, auditAction }: AsActor & { facts: CaseFacts; meeting: MeetingResource; auditAction: string }) {
  const lacking = agendaUnitsLacking(facts, meeting);
  if (lacking.length === 0) return;
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: null, action: `denied:${auditAction}`, resourceType: "meeting", resourceId: meeting.meetingId, caseId: facts.caseId, basis: null, purpose: "meeting" },
  ]);
  throw new AppError("MEETING_CONSENT_MISSING", `units without a basis for purpose meeting: ${lacking.join(", ")}`);
}

async function requirePresenter(db: Db, municipalityId: string, userId: string | null | undefined) {
  if (!userId) return;
  const user = await db.selectFrom("users").select("id").where("id", "=", userId).where("municipality_id", "=", municipalityId).executeTakeFirst();
  if (!user) throw new AppError("VALIDATION", "unknown presenter");
}

async function nextPosition(db: Db, meetingId: string): Promise<number> {
  const row = await db.selectFrom("agenda_items").select((eb) => eb.fn.max("position").as("max")).where("meeting_id", "=", meetingId).executeTakeFirst();
  return (row?.max ?? 0) + 1;
}

export async function addAgendaItem({
  db,
  actor,
  meetingId,
  item,
  plannedMinutes,
  presenterUserId,
}: AsActor & { meetingId: string; item: AgendaItemInput; plannedMinutes?: number; presenterUserId?: string }): Promise<{ agendaItemId: string }> {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "writeAgenda" });
  await requirePresenter(db, actor.municipalityId, presenterUserId);
  const base = {
    meeting_id: meetingId,
    municipality_id: access.meeting.municipality_id,
    planned_minutes: plannedMinutes ?? null,
    presenter_user_id: presenterUserId ?? null,
    created_by: actor.id,
  };
  let audited: { caseId: string; req: AccessRequest; basis: Basis } | null = null;
  let values;
  switch (item.kind) {
    case "case": {
      const req = namedCaseRequest("agenda.add_case");
      const { facts, basis } = await authorizeCase(db, actor, item.caseId, req);
      requireRunsCase(actor, facts);
      await requireConsentOfEveryUnit({ db, actor, facts, meeting: access.resource, auditAction: req.auditAction });
      values = { ...base, kind: "case", case_id: item.caseId };
      audited = { caseId: item.caseId, req, basis };
      break;
    }
    case "anonymous": {
      if (item.linkedCaseId) {
        // Linking is the coordinator's private note of which case it was: no consent crosses.
        const req: AccessRequest = { category: "identity", action: "read", purpose: "coordination", auditAction: "agenda.add_anonymous", resourceType: "agenda_item", recordAllowed: false };
        const { basis } = await authorizeCase(db, actor, item.linkedCaseId, req);
        audited = { caseId: item.linkedCaseId, req, basis };
      }
      values = { ...base, kind: "anonymous", pseudonym: item.pseudonym, description: item.description, linked_case_id: item.linkedCaseId ?? null };
      break;
    }
    case "topic":
      values = { ...base, kind: "topic", title: item.title, description: item.description };
      break;
  }
  const row = await db
    .insertInto("agenda_items")
    .values({ ...values, position: await nextPosition(db, meetingId) })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (audited) await recordAccess(db, actor, audited.caseId, { ...audited.req, resourceId: row.id }, audited.basis);
  return { agendaItemId: row.id };
}

/** Re-judges the open minutes connections of these items on every node (a removal closes them). */
export async function invalidateMinutes(bus: EventBus, agendaItemIds: readonly string[], reason: string) {
  await Promise.all(agendaItemIds.map((id) => bus.publish({ type: "documentsInvalidated", scope: { documentName: minutesDocumentName(id) }, reason })));
}

/**
 * Re-judges every open minutes connection of these series' meetings: a changed series
 * (a unit or person taken out, another minute-taker) must not leave anyone writing or
 * reading minutes they no longer may.
 */
export async function invalidateSeriesMinutes({ db, bus, seriesIds, reason }: { db: Db; bus: EventBus; seriesIds: readonly string[]; reason: string }) {
  if (seriesIds.length === 0) return;
  const items = await db
    .selectFrom("agenda_items")
    .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
    .select("agenda_items.id")
    .where("meetings.series_id", "in", seriesIds)
    .where("agenda_items.removed_at", "is", null)
    .execute();
  await invalidateMinutes(bus, items.map((i) => i.id), reason);
}

export async function updateAgendaItem({
  db,
  actor,
  agendaItemId,
  ...changes
}: AsActor & { agendaItemId: string; title?: string; description?: string; plannedMinutes?: number | null; presenterUserId?: string | null; status?: "open" | "done" }) {
  const { row } = await itemAccess({ db, actor, agendaItemId, action: "edit" });
  if (changes.title !== undefined && row.kind !== "topic") throw new AppError("VALIDATION", "only a topic has a title");
  await requirePresenter(db, actor.municipalityId, changes.presenterUserId);
  const set = {
    ...(changes.title !== undefined ? { title: changes.title } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.plannedMinutes !== undefined ? { planned_minutes: changes.plannedMinutes } : {}),
    ...(changes.presenterUserId !== undefined ? { presenter_user_id: changes.presenterUserId } : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {}),
  };
  if (Object.keys(set).length) await db.updateTable("agenda_items").set(set).where("id", "=", agendaItemId).execute();
  return { agendaItemId };
}

export async function removeAgendaItem({ db, bus, actor, agendaItemId }: AsActor & { bus: EventBus; agendaItemId: string }) {
  const { resource } = await itemAccess({ db, actor, agendaItemId, action: "edit" });
  await db.updateTable("agenda_items").set({ removed_at: new Date() }).where("id", "=", agendaItemId).where("removed_at", "is", null).execute();
  const event = namedItemEvent(actor, resource, "agenda.remove");
  if (event) await appendAudit(db, actor.municipalityId, [event]);
  await invalidateMinutes(bus, [agendaItemId], "agenda_item_removed");
  return { agendaItemId };
}

/**
 * A new order of the items the actor sees (the general section stays first): they take
 * the places those items held, in the new order, so items hidden from the actor keep theirs.
 */
export async function reorderAgenda({ db, actor, meetingId, orderedIds }: AsActor & { meetingId: string; orderedIds: string[] }) {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "edit" });
  if (access.meeting.minutes_state === "approved") throw new AppError("MINUTES_LOCKED");
  const movable = (await visibleItems({ db, actor, access })).map((i) => i.row).filter((r) => r.kind !== "general");
  const ids = new Set(movable.map((r) => r.id));
  if (orderedIds.length !== ids.size || new Set(orderedIds).size !== ids.size || orderedIds.some((id) => !ids.has(id))) {
    throw new AppError("VALIDATION", "orderedIds must list every item of the agenda once");
  }
  const slots = movable.map((r) => r.position).sort((a, b) => a - b);
  // Distinct places even where two items shared one.
  for (let i = 1; i < slots.length; i++) if (slots[i]! <= slots[i - 1]!) slots[i] = slots[i - 1]! + 1;
  await db.transaction().execute(async (trx) => {
    for (const [i, id] of orderedIds.entries()) await trx.updateTable("agenda_items").set({ position: slots[i]! }).where("id", "=", id).execute();
  });
  return { meetingId };
}

/** The series' recurrence as the engine takes it. */
export function specOf(series: Series): RecurrenceSpec {
  const exdates = Array.isArray(series.exdates) ? series.exdates.filter((d): d is string => typeof d === "string") : [];
  return { dtstartLocal: series.dtstart_local, tzid: series.tzid, rrule: series.rrule, exdates, holidayPolicy: series.holiday_policy as HolidayPolicy, durationMinutes: series.duration_minutes };
}

/** The RECURRENCE-ID of the first occurrence after this one that is not skipped or cancelled, or null. */
export async function nextOccurrenceOf({ db, series, meeting }: { db: Db; series: Series; meeting: Meeting }): Promise<string | null> {
  const overrides = await db.selectFrom("meetings").select(["recurrence_id", "moved_to_local", "duration_minutes", "status"]).where("series_id", "=", series.id).execute();
  const after = instantOfLocal(meeting.recurrence_id, series.tzid);
  const occurrences = expandSeries({
    spec: specOf(series),
    overrides: overrides.map((o) => ({ recurrenceId: o.recurrence_id, movedToLocal: o.moved_to_local, durationMinutes: o.duration_minutes, status: o.status as "planned" | "held" | "cancelled" })),
    // From the day before (a moved occurrence may sit earlier than its RECURRENCE-ID), two years on.
    from: new Date(after.getTime() - 24 * 3600_000),
    to: new Date(after.getTime() + 2 * 366 * 24 * 3600_000),
    limit: 400,
  });
  const next = occurrences.find((o) => o.recurrenceId > meeting.recurrence_id && o.status !== "cancelled" && o.skipped === null);
  return next?.recurrenceId ?? null;
}

/**
 * Carries the unfinished (open) items to the next occurrence in one step: each becomes a new
 * item there that names the one it continues (carried_from_id), and the old one is marked
 * carried. A named case is carried only while every unit may still see it (otherwise it
 * stays open here, to be discussed anonymously). `carried` counts what the actor sees.
 */
export async function carryOver({ db, actor, meetingId }: AsActor & { meetingId: string }): Promise<{ meetingId: string; carried: number }> {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "edit" });
  const next = await nextOccurrenceOf({ db, series: access.series, meeting: access.meeting });
  if (!next) throw new AppError("INVALID_STATE", "the series has no later occurrence");
  await db
    .insertInto("meetings")
    .values({ series_id: access.series.id, municipality_id: access.meeting.municipality_id, recurrence_id: next })
    .onConflict((oc) => oc.columns(["series_id", "recurrence_id"]).doNothing())
    .execute();
  const target = await db.selectFrom("meetings").selectAll().where("series_id", "=", access.series.id).where("recurrence_id", "=", next).executeTakeFirstOrThrow();
  if (target.minutes_state === "approved") throw new AppError("MINUTES_LOCKED");
  const targetResource = occurrenceResource(access.resource, target);
  const rows = await liveItems(db, meetingId).where("status", "=", "open").where("kind", "!=", "general").execute();
  const resources = await itemResources(db, access.resource, rows);
  const subject = policyActor(actor);
  const carriedIds: string[] = [];
  let seen = 0;
  let position = await nextPosition(db, target.id);
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const r = resources.get(row.id);
      if (!r) continue;
      if (r.resource.subject.kind === "case" && agendaUnitsLacking(r.resource.subject.case, targetResource).length > 0) continue;
      // Marked carried only if still open: two carry-overs at once carry each item once.
      const marked = await trx.updateTable("agenda_items").set({ status: "carried" }).where("id", "=", row.id).where("status", "=", "open").executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) continue;
      await trx
        .insertInto("agenda_items")
        .values({
          meeting_id: target.id,
          municipality_id: target.municipality_id,
          kind: row.kind,
          case_id: row.case_id,
          linked_case_id: row.linked_case_id,
          pseudonym: row.pseudonym,
          title: row.title,
          description: row.description,
          position: position++,
          planned_minutes: row.planned_minutes,
          presenter_user_id: row.presenter_user_id,
          carried_from_id: row.id,
          created_by: row.created_by,
        })
        .execute();
      carriedIds.push(row.id);
      if (decideAgendaItem(subject, r.resource, "read").allow) seen++;
    }
  });
  const events = carriedIds.flatMap((id) => {
    const r = resources.get(id)!.resource;
    return decideAgendaItem(subject, r, "read").allow ? (namedItemEvent(actor, r, "agenda.carry_over") ?? []) : [];
  });
  await appendAudit(db, actor.municipalityId, events);
  return { meetingId: target.id, carried: seen };
}

/**
 * Moves an anonymous item to named follow-up: the same consent as naming it at once (every
 * unit of the meeting), and the actor must see the case. An item linked to a case is moved
 * only to that case, by one who may follow the link (its coordinator).
 */
export async function promoteAgendaItem({ db, bus, actor, agendaItemId, caseId }: AsActor & { bus: EventBus; agendaItemId: string; caseId: string }) {
  const { row, resource, access } = await itemAccess({ db, actor, agendaItemId, action: "edit" });
  if (row.kind !== "anonymous") throw new AppError("INVALID_STATE", "only an anonymous item is moved to named follow-up");
  if (row.linked_case_id && (row.linked_case_id !== caseId || !decideAgendaItem(policyActor(actor), resource, "followCaseLink").allow)) throw new AppError("FORBIDDEN");
  const req = namedCaseRequest("agenda.promote");
  const { facts, basis } = await authorizeCase(db, actor, caseId, req);
  requireRunsCase(actor, facts);
  await requireConsentOfEveryUnit({ db, actor, facts, meeting: access.resource, auditAction: req.auditAction });
  await db
    .updateTable("agenda_items")
    .set({ kind: "case", case_id: caseId, linked_case_id: null, pseudonym: null })
    .where("id", "=", agendaItemId)
    .where("kind", "=", "anonymous")
    .execute();
  await recordAccess(db, actor, caseId, { ...req, resourceId: agendaItemId }, basis);
  // Open minutes are judged again, now as the case's: a later withdrawal closes them.
  await invalidateMinutes(bus, [agendaItemId], "agenda_item_named");
  return { agendaItemId };
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
