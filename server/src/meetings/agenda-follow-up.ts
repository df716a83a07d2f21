import { agendaUnitsLacking, decideAgendaItem } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { authorizeCase, policyActor, recordAccess } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import { authorizeMeeting, occurrenceResource, type Meeting, type Series } from "./access.ts";
import { itemAccess, itemResources, liveItems, namedCaseRequest, namedItemEvent, requireConsentOfEveryUnit, requireRunsCase } from "./agenda-access.ts";
import { invalidateMinutes, nextPosition } from "./agenda.ts";
import { instantOfLocal } from "./local-time.ts";
import { overrideOf } from "./occurrences.ts";
import { expandSeries } from "./recurrence.ts";
import { specOf } from "./series-values.ts";

/**
 * What follows an agenda item beyond its meeting (DESIGN.md §6): carried over to the next
 * occurrence while unfinished, or moved from anonymous to named follow-up of a case.
 */

/** The RECURRENCE-ID of the first occurrence after this one that is not skipped or cancelled, or null. */
export async function nextOccurrenceOf({ db, series, meeting }: { db: Db; series: Series; meeting: Meeting }): Promise<string | null> {
  const overrides = await db.selectFrom("meetings").select(["recurrence_id", "moved_to_local", "duration_minutes", "status"]).where("series_id", "=", series.id).execute();
  const after = instantOfLocal(meeting.recurrence_id, series.tzid);
  const occurrences = expandSeries({
    spec: specOf(series),
    overrides: overrides.map(overrideOf),
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
  await recordAccess({ db, actor, caseId, req: { ...req, resourceId: agendaItemId }, basis });
  // Open minutes are judged again, now as the case's: a later withdrawal closes them.
  await invalidateMinutes(bus, [agendaItemId], "agenda_item_named");
  return { agendaItemId };
}

