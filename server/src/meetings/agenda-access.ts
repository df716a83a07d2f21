import {
  agendaCaseBasis,
  agendaUnitsLacking,
  decideAgendaItem,
  mayNameOnAgenda,
  type AgendaItemResource,
  type AgendaItemSubject,
  type CaseFacts,
  type MeetingResource,
  type ResourceActions,
} from "@laget/policy";
import type { Selectable } from "kysely";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit, type AuditEvent } from "../audit/log.ts";
import { policyActor, ruleRefusal, type AccessRequest } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import type { AgendaItemsTable } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { authorizeMeeting, refusal } from "./access.ts";

/**
 * A meeting's agenda (DESIGN.md §4.6, §6): named cases, anonymous discussions, topics and
 * the general section. Every item is judged by the policy's decideAgendaItem on facts
 * loaded here (the meeting's people and, for a named case, the case's consents), and a
 * reader gets only what it allows: items they may not see are left out, never counted.
 * A case is named on an agenda only when every unit of the meeting may see it for purpose
 * `meeting` (agendaUnitsLacking); otherwise it is discussed anonymously.
 *
 * This module is that judging; the reads are agenda-views.ts, the changes agenda.ts, and
 * carry-over and promotion agenda-follow-up.ts.
 */

export type ItemRow = Selectable<AgendaItemsTable>;

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

export const liveItems = (db: Db, meetingId: string) =>
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

/** The adder must see the case themselves, for purpose meeting; audited once the step happens. */
export const namedCaseRequest = (auditAction: string): AccessRequest => ({ category: "identity", action: "read", purpose: "meeting", auditAction, resourceType: "agenda_item", recordAllowed: false });

/** Only one who runs the case names it on an agenda (mayNameOnAgenda): NOT_COORDINATOR otherwise. */
export function requireRunsCase(actor: AsActor["actor"], facts: CaseFacts) {
  const verdict = mayNameOnAgenda(policyActor(actor), facts);
  if (!verdict.allow) throw ruleRefusal(verdict.reason);
}

/** Refuses (and audits the refusal) unless every unit of the meeting may see the case. */
export async function requireConsentOfEveryUnit({ db, actor, facts, meeting, auditAction }: AsActor & { facts: CaseFacts; meeting: MeetingResource; auditAction: string }) {
  const lacking = agendaUnitsLacking(facts, meeting);
  if (lacking.length === 0) return;
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: null, action: `denied:${auditAction}`, resourceType: "meeting", resourceId: meeting.meetingId, caseId: facts.caseId, basis: null, purpose: "meeting" },
  ]);
  throw new AppError("MEETING_CONSENT_MISSING", `units without a basis for purpose meeting: ${lacking.join(", ")}`);
}
