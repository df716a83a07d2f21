import type { AgendaItemInput } from "@laget/domain";
import { agendaUnitsLacking, type Basis, type CaseFacts, type MeetingResource } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { authorizeCase, recordAccess, type AccessRequest } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import { authorizeMeeting } from "./access.ts";
import { itemAccess, namedCaseRequest, namedItemEvent, requireConsentOfEveryUnit, requireRunsCase, visibleItems } from "./agenda-access.ts";
import { minutesDocumentName } from "./minutes-kind.ts";

/**
 * Changing a meeting's agenda (DESIGN.md §6): adding items (a named case only with every
 * unit's consent, agenda-access.ts), editing, removing and reordering them, and closing
 * the open minutes connections a change leaves behind.
 */

/** The meeting's units lacking a basis for the case, by id and name. */
async function lackingUnits(db: Db, facts: CaseFacts, meeting: MeetingResource) {
  const ids = agendaUnitsLacking(facts, meeting);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("units").select(["id", "name"]).where("id", "in", ids).execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return ids.map((id) => ({ id, name: names.get(id) ?? "" }));
}

/** Whether the case may be named on this meeting's agenda, and which of its units lack the basis. */
export async function agendaEligibility({ db, actor, meetingId, caseId }: AsActor & { meetingId: string; caseId: string }) {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "read" });
  const req = namedCaseRequest("agenda.eligibility");
  const { facts, basis } = await authorizeCase(db, actor, caseId, req);
  requireRunsCase(actor, facts);
  await recordAccess({ db, actor, caseId, req: { ...req, resourceId: meetingId, resourceType: "meeting" }, basis });
  const lacking = await lackingUnits(db, facts, access.resource);
  return { allowed: lacking.length === 0, lackingUnits: lacking };
}

async function requirePresenter(db: Db, municipalityId: string, userId: string | null | undefined) {
  if (!userId) return;
  const user = await db.selectFrom("users").select("id").where("id", "=", userId).where("municipality_id", "=", municipalityId).executeTakeFirst();
  if (!user) throw new AppError("VALIDATION", "unknown presenter");
}

/** The place after the meeting's last item (removed ones included: places are not reused). */
export async function nextPosition(db: Db, meetingId: string): Promise<number> {
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
  if (audited) await recordAccess({ db, actor, caseId: audited.caseId, req: { ...audited.req, resourceId: row.id }, basis: audited.basis });
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

