import type { MeetingStatus, OccurrenceSummary } from "@laget/domain";
import { decideMeeting, type ResourceActions } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import { AppError } from "../errors.ts";
import { authorizeMeeting, authorizeSeries, recordMeetingAccess, visibleSeriesIds, type Meeting, type Series } from "./access.ts";
import { publishMeetingEvent, seriesAudience } from "./events.ts";
import { instantOfLocal } from "./local-time.ts";
import { expandSeries, isOccurrence, type OccurrenceOverride } from "./recurrence.ts";
import { FieldError, kindNameOf, kindsOf, participantsOf, seriesHeadOf, specOf } from "./series-values.ts";
import { addMinutes } from "./time.ts";

/**
 * Occurrences (DESIGN.md §6): expanded from their series on demand and made rows only
 * when something is recorded for them (a move, a cancellation, attendance, an agenda),
 * keyed by their original local start (RECURRENCE-ID).
 */

/** The longest range one list may ask for. */
export const MAX_LIST_DAYS = 400;
const DAY_MS = 86_400_000;

export function overrideOf(m: Pick<Meeting, "recurrence_id" | "moved_to_local" | "duration_minutes" | "status">): OccurrenceOverride {
  return { recurrenceId: m.recurrence_id, movedToLocal: m.moved_to_local, durationMinutes: m.duration_minutes, status: m.status as MeetingStatus };
}

/**
 * The occurrences of the series the actor may read in [from, to), with their overrides,
 * sorted by start; cancelled ones included with status cancelled (shown struck through).
 * The series are filtered in SQL (visibleSeriesIds) before anything is expanded. One
 * audit event for the list.
 */
export async function listOccurrences({ db, actor, from, to }: AsActor & { from: string; to: string }): Promise<{ occurrences: OccurrenceSummary[] }> {
  const fromAt = new Date(from);
  const toAt = new Date(to);
  if (!(toAt > fromAt)) throw new FieldError("VALIDATION", "to", "must be after from");
  if (toAt.getTime() - fromAt.getTime() > MAX_LIST_DAYS * DAY_MS) throw new FieldError("VALIDATION", "to", `the range is at most ${MAX_LIST_DAYS} days`);
  // A series that starts after the range (with a day's margin for the zone) cannot have occurrences in it.
  const latestStart = new Date(toAt.getTime() + DAY_MS).toISOString().slice(0, 19);
  const series = await db
    .selectFrom("meeting_series")
    .selectAll()
    .where("id", "in", visibleSeriesIds({ db, actor }))
    .where("dtstart_local", "<=", latestStart)
    .execute();
  const occurrences: OccurrenceSummary[] = [];
  if (series.length) {
    const [rows, kinds] = await Promise.all([
      db
        .selectFrom("meetings")
        .select(["id", "series_id", "recurrence_id", "moved_to_local", "duration_minutes", "status", "place", "video_link"])
        .where("series_id", "in", series.map((s) => s.id))
        .execute(),
      kindsOf(db, actor.municipalityId),
    ]);
    const bySeries = new Map<string, typeof rows>();
    for (const r of rows) bySeries.set(r.series_id, [...(bySeries.get(r.series_id) ?? []), r]);
    for (const s of series) {
      const own = bySeries.get(s.id) ?? [];
      const byRecurrence = new Map(own.map((r) => [r.recurrence_id, r]));
      const expanded = expandSeries({ spec: specOf(s), overrides: own.map(overrideOf), from: fromAt, to: toAt, includeSkipped: true });
      for (const o of expanded) {
        if (o.skipped !== null && o.skipped !== "cancelled") continue;
        const row = byRecurrence.get(o.recurrenceId);
        const cancelled = o.skipped === "cancelled" || (s.cancelled_at !== null && o.start >= s.cancelled_at);
        occurrences.push({
          seriesId: s.id,
          recurrenceId: o.recurrenceId,
          meetingId: row?.id ?? null,
          kind: s.kind,
          kindName: kindNameOf(kinds, s.kind),
          title: s.title,
          start: o.start.toISOString(),
          end: o.end.toISOString(),
          status: cancelled ? "cancelled" : o.status,
          moved: o.moved,
          place: row?.place ?? s.place,
          videoLink: row?.video_link ?? s.video_link,
          organiserUnitId: s.organiser_unit_id,
        });
      }
    }
  }
  occurrences.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.seriesId < b.seriesId ? -1 : 1));
  await appendAudit(db, actor.municipalityId, [
    {
      actorUserId: actor.id,
      actorUnitId: actor.memberships[0]?.unitId ?? null,
      action: "meeting.list",
      resourceType: "meeting_series",
      resourceId: null,
      caseId: null,
      basis: null,
      purpose: "meeting",
    },
  ]);
  return { occurrences };
}

/** Whether the recurrence id names an occurrence of the series (a row for it, or the rule makes it). */
function assertOccurrence(series: Series, recurrenceId: string, existing: Meeting | undefined): void {
  if (existing) return;
  let occurs = false;
  try {
    occurs = isOccurrence({ spec: specOf(series), recurrenceId });
  } catch {
    occurs = false;
  }
  if (!occurs) throw new AppError("NOT_AN_OCCURRENCE");
}

const meetingRow = (db: Db, seriesId: string, recurrenceId: string) =>
  db.selectFrom("meetings").selectAll().where("series_id", "=", seriesId).where("recurrence_id", "=", recurrenceId).executeTakeFirst();

/** Makes the occurrence a row (once, whoever asks first) and returns it. */
async function materialise(db: Db, series: Series, recurrenceId: string): Promise<Meeting> {
  await db
    .insertInto("meetings")
    .values({ series_id: series.id, municipality_id: series.municipality_id, recurrence_id: recurrenceId })
    .onConflict((oc) => oc.columns(["series_id", "recurrence_id"]).doNothing())
    .execute();
  return (await meetingRow(db, series.id, recurrenceId))!;
}

/** The occurrence as a meeting (a row), for its agenda, minutes and attendance. Idempotent. */
export async function openMeeting({ db, actor, seriesId, recurrenceId }: AsActor & { seriesId: string; recurrenceId: string }): Promise<{ meetingId: string }> {
  const { series } = await authorizeSeries({ db, actor, seriesId, action: "read" });
  const existing = await meetingRow(db, seriesId, recurrenceId);
  assertOccurrence(series, recurrenceId, existing);
  const meeting = existing ?? (await materialise(db, series, recurrenceId));
  await recordMeetingAccess({ db, actor, seriesId, meetingId: meeting.id, action: "meeting.open" });
  return { meetingId: meeting.id };
}

/**
 * "Only this": moves one occurrence (or gives it another length, place or link), or
 * cancels or restores it; SEQUENCE of that occurrence is raised. Null resets a field
 * to what the series says.
 */
export async function updateOccurrence({
  db,
  bus,
  actor,
  seriesId,
  recurrenceId,
  ...changes
}: AsActor & {
  bus: EventBus;
  seriesId: string;
  recurrenceId: string;
  movedToLocal?: string | null | undefined;
  durationMinutes?: number | null | undefined;
  place?: string | null | undefined;
  videoLink?: string | null | undefined;
  status?: MeetingStatus | undefined;
}): Promise<{ meetingId: string }> {
  const { series } = await authorizeSeries({ db, actor, seriesId, action: "edit" });
  if (series.cancelled_at !== null) throw new AppError("INVALID_STATE", "the series is cancelled");
  const existing = await meetingRow(db, seriesId, recurrenceId);
  assertOccurrence(series, recurrenceId, existing);
  const set: { moved_to_local?: string | null; duration_minutes?: number | null; place?: string | null; video_link?: string | null; status?: string } = {};
  if (changes.movedToLocal !== undefined) set.moved_to_local = changes.movedToLocal === recurrenceId ? null : changes.movedToLocal;
  if (changes.durationMinutes !== undefined) set.duration_minutes = changes.durationMinutes;
  if (changes.place !== undefined) set.place = changes.place || null;
  if (changes.videoLink !== undefined) set.video_link = changes.videoLink;
  if (changes.status !== undefined) set.status = changes.status;
  const meetingId = await db.transaction().execute(async (trx) => {
    const meeting = existing ?? (await materialise(trx, series, recurrenceId));
    await trx
      .updateTable("meetings")
      .set((eb) => ({ ...set, sequence: eb("sequence", "+", 1), updated_at: new Date() }))
      .where("id", "=", meeting.id)
      .execute();
    await recordMeetingAccess({ db: trx, actor, seriesId, meetingId: meeting.id, action: "meeting.update" });
    return meeting.id;
  });
  await publishMeetingEvent({
    db,
    bus,
    userIds: await seriesAudience({ db, seriesId }),
    exceptUserId: actor.id,
    type: changes.status === "cancelled" ? "meeting.cancelled" : "meeting.changed",
    seriesId,
    recurrenceId,
    change: "occurrence",
  });
  return { meetingId };
}

/** Where and when the occurrence actually is: moved by its row or by a holiday, or as the rule says. */
export function occurrenceTimes(series: Series, meeting: Pick<Meeting, "recurrence_id" | "moved_to_local" | "duration_minutes" | "status">): { start: Date; end: Date } {
  const duration = meeting.duration_minutes ?? series.duration_minutes;
  if (meeting.moved_to_local) {
    const start = instantOfLocal(meeting.moved_to_local, series.tzid);
    return { start, end: addMinutes(start, duration) };
  }
  const original = instantOfLocal(meeting.recurrence_id, series.tzid);
  try {
    // A holiday move pushes it at most a week forward (Easter).
    const found = expandSeries({ spec: specOf(series), overrides: [overrideOf(meeting)], from: new Date(original.getTime() - 60_000), to: new Date(original.getTime() + 10 * DAY_MS), includeSkipped: true }).find(
      (o) => o.recurrenceId === meeting.recurrence_id,
    );
    if (found) return { start: found.start, end: found.end };
  } catch {
    // Not (any longer) an occurrence of the rule: it stays where it was.
  }
  return { start: original, end: addMinutes(original, duration) };
}

/** The meeting page: the occurrence, its series, its people, attendance and what the reader may do. */
export async function getMeeting({ db, actor, meetingId }: AsActor & { meetingId: string }) {
  const { meeting, series, resource } = await authorizeMeeting({ db, actor, meetingId, action: "read", audit: "meeting.read" });
  const [participants, attendance, kinds] = await Promise.all([
    participantsOf(db, series.id),
    db.selectFrom("meeting_attendance").select(["user_id", "external_participant_id", "status"]).where("meeting_id", "=", meetingId).orderBy("recorded_at").execute(),
    kindsOf(db, series.municipality_id),
  ]);
  const { start, end } = occurrenceTimes(series, meeting);
  const subject = policyActor(actor);
  const may = (action: ResourceActions["meeting"]) => decideMeeting(subject, resource, action).allow;
  const edit = may("edit");
  const cancelled = meeting.status === "cancelled" || (series.cancelled_at !== null && start >= series.cancelled_at);
  return {
    meeting: {
      id: meeting.id,
      seriesId: series.id,
      recurrenceId: meeting.recurrence_id,
      start: start.toISOString(),
      end: end.toISOString(),
      status: (cancelled ? "cancelled" : meeting.status) as MeetingStatus,
      place: meeting.place ?? series.place,
      videoLink: meeting.video_link ?? series.video_link,
      minutesState: meeting.minutes_state as "draft" | "review" | "approved",
      minutesVersion: meeting.minutes_version,
      sequence: meeting.sequence,
    },
    series: seriesHeadOf(series, kinds),
    participants,
    attendance: attendance.map((a) => ({ userId: a.user_id, externalParticipantId: a.external_participant_id, status: a.status as "present" | "absent" | "excused" })),
    abilities: {
      edit,
      recordAttendance: may("recordAttendance"),
      approveMinutes: may("approveMinutes"),
      submitMinutes: may("submitMinutes"),
      writeAgenda: may("writeAgenda"),
    },
  };
}

