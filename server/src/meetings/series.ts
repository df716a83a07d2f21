import { decideMeeting } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { policyActor } from "../cases/access.ts";
import type { EventBus } from "../events/bus.ts";
import { AppError } from "../errors.ts";
import { authorizeSeries, recordMeetingAccess, type Series } from "./access.ts";
import { announceSeriesChange, publishMeetingEvent, seriesAudience } from "./events.ts";
import type { SeriesChanges, SeriesInput } from "./inputs.ts";
import { instantOfLocal } from "./local-time.ts";
import { expandSeries, isOccurrence, splitSeries, type HolidayPolicy, type RecurrenceInput, type RecurrenceSpec } from "./recurrence.ts";
import { recurrenceInputOf } from "./rrule-text.ts";
import {
  applyChanges,
  checkSeries,
  exdatesOf,
  FieldError,
  kindsOf,
  participantIds,
  participantsOf,
  recurrenceError,
  rowOf,
  ruleOf,
  seriesHeadOf,
  specOf,
  TZID,
  uniq,
  valuesOf,
  writeParticipants,
  type MeetingKind,
  type SeriesValues,
} from "./series-values.ts";

/**
 * Meeting series (DESIGN.md §6): created by a member of the organiser unit, changed by
 * its chair or the organiser unit's members (decideMeeting "edit"). The recurrence is
 * kept as RFC 5545 text (RRULE from the editor's RecurrenceInput, EXDATEs) with DTSTART
 * as local time in Europe/Oslo. Edits are "all" (the series, SEQUENCE+1) or "this and
 * following" (the old series ends with UNTIL, a new one continues from the occurrence).
 */

/** The `meetings.kinds` procedure: the municipality's meeting kinds (kindsOf). */
export async function meetingKinds({ db, actor }: AsActor): Promise<{ kinds: MeetingKind[] }> {
  return { kinds: await kindsOf(db, actor.municipalityId) };
}

/** The ten next dates a rule gives from its start, skipped ones included (the editor marks holidays). */
export function previewRecurrence(input: { dtstartLocal: string; recurrence: RecurrenceInput; exdates: string[]; holidayPolicy: HolidayPolicy; durationMinutes: number }) {
  const rrule = ruleOf(input.recurrence, input.dtstartLocal);
  const spec: RecurrenceSpec = { dtstartLocal: input.dtstartLocal, tzid: TZID, rrule, exdates: input.exdates, holidayPolicy: input.holidayPolicy, durationMinutes: input.durationMinutes };
  const from = instantOfLocal(input.dtstartLocal, TZID);
  let occurrences;
  try {
    occurrences = expandSeries({ spec, from, to: new Date(from.getTime() + 20 * 366 * 86_400_000), includeSkipped: true, limit: 10 });
  } catch (err) {
    recurrenceError(err);
  }
  return {
    occurrences: occurrences.slice(0, 10).map((o) => ({
      recurrenceId: o.recurrenceId,
      startLocal: o.startLocal,
      start: o.start.toISOString(),
      skipped: o.skipped,
      holiday: o.holiday,
      moved: o.moved,
    })),
  };
}

/**
 * Who may organise: a member of the organiser unit in any staff role (not a volunteer
 * contact). A small rule kept here rather than in packages/policy, which judges existing
 * series (decideMeeting); creating one has no resource yet.
 */
function mayOrganise(actor: AsActor["actor"], unitId: string): boolean {
  return actor.memberships.some((m) => m.unitId === unitId && m.role !== "volunteer_contact");
}

type WithBus = AsActor & { bus: EventBus };

export async function createSeries({ db, bus, actor, ...input }: WithBus & SeriesInput): Promise<{ seriesId: string }> {
  if (!mayOrganise(actor, input.organiserUnitId)) throw new AppError("FORBIDDEN", "only the organiser unit's staff may create its meetings");
  const { recurrence, ...rest } = input;
  const values: SeriesValues = {
    ...rest,
    chairUserId: input.chairUserId ?? null,
    minuteTakerUserId: input.minuteTakerUserId ?? null,
    place: input.place || null,
    videoLink: input.videoLink ?? null,
    exdates: uniq(input.exdates).sort(),
    rrule: ruleOf(recurrence, input.dtstartLocal),
  };
  await checkSeries(db, actor.municipalityId, values);
  const seriesId = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("meeting_series")
      .values({ ...rowOf(values), municipality_id: actor.municipalityId, tzid: TZID, created_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeParticipants(trx, id, values);
    await recordMeetingAccess({ db: trx, actor, seriesId: id, action: "meeting_series.create" });
    return id;
  });
  await publishMeetingEvent({ db, bus, userIds: await seriesAudience({ db, seriesId }), exceptUserId: actor.id, type: "meeting.invited", seriesId, change: "series" });
  return { seriesId };
}

export async function getSeries({ db, actor, seriesId }: AsActor & { seriesId: string }) {
  const { series, resource } = await authorizeSeries({ db, actor, seriesId, action: "read", audit: "meeting_series.read" });
  const [participants, kinds] = await Promise.all([participantsOf(db, seriesId), kindsOf(db, series.municipality_id)]);
  return {
    series: {
      ...seriesHeadOf(series, kinds),
      place: series.place,
      videoLink: series.video_link,
      durationMinutes: series.duration_minutes,
      dtstartLocal: series.dtstart_local,
      rrule: series.rrule,
      recurrence: recurrenceInputOf(series.rrule),
      exdates: exdatesOf(series),
      holidayPolicy: series.holiday_policy as HolidayPolicy,
      sequence: series.sequence,
      cancelled: series.cancelled_at !== null,
    },
    participants,
    abilities: { edit: decideMeeting(policyActor(actor), resource, "edit").allow },
  };
}

export async function updateSeries({
  db,
  bus,
  actor,
  seriesId,
  scope,
  recurrenceId,
  changes,
}: WithBus & { seriesId: string; scope: "all" | "following"; recurrenceId?: string | undefined; changes: SeriesChanges }): Promise<{ seriesId: string }> {
  const { series } = await authorizeSeries({ db, actor, seriesId, action: "edit" });
  if (series.cancelled_at !== null) throw new AppError("INVALID_STATE", "the series is cancelled");
  if (changes.organiserUnitId !== undefined && changes.organiserUnitId !== series.organiser_unit_id && !mayOrganise(actor, changes.organiserUnitId)) {
    throw new AppError("FORBIDDEN", "only the new organiser unit's staff may hand the series to it");
  }
  const current = valuesOf(series, await participantIds(db, seriesId));
  if (scope === "following") {
    if (!recurrenceId) throw new FieldError("VALIDATION", "recurrenceId", "required for scope following");
    const spec = specOf(series);
    let occurs: boolean;
    try {
      occurs = isOccurrence({ spec, recurrenceId });
    } catch (err) {
      recurrenceError(err);
    }
    if (!occurs) throw new AppError("NOT_AN_OCCURRENCE");
    // From the first occurrence on, "this and following" is the whole series.
    if (recurrenceId > series.dtstart_local && series.rrule !== null) return splitAt({ db, bus, actor, series, current, recurrenceId, changes });
  }
  const next = applyChanges(current, changes);
  await checkSeries(db, actor.municipalityId, next, series.kind);
  const before = await seriesAudience({ db, seriesId });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("meeting_series")
      .set((eb) => ({ ...rowOf(next), sequence: eb("sequence", "+", 1), updated_at: new Date() }))
      .where("id", "=", seriesId)
      .execute();
    await writeParticipants(trx, seriesId, next);
    await recordMeetingAccess({ db: trx, actor, seriesId, action: "meeting_series.update" });
  });
  await announceSeriesChange({ db, bus, actorId: actor.id, seriesId, before, after: await seriesAudience({ db, seriesId }), type: "meeting.changed", change: "series" });
  return { seriesId };
}

/**
 * "This and following" (RFC 5545 clients do not honour RANGE=THISANDFUTURE): the old
 * series gets UNTIL just before `recurrenceId` and SEQUENCE+1; a new series starts at it
 * with the changes, its people copied and changed. Occurrence rows from then on that
 * are occurrences of the new series move to it with their agendas and attendance.
 */
async function splitAt({
  db,
  bus,
  actor,
  series,
  current,
  recurrenceId,
  changes,
}: WithBus & { series: Series; current: SeriesValues; recurrenceId: string; changes: SeriesChanges }): Promise<{ seriesId: string }> {
  let parts: { before: RecurrenceSpec; after: RecurrenceSpec };
  try {
    parts = splitSeries({ spec: specOf(series), recurrenceId });
  } catch (err) {
    recurrenceError(err);
  }
  const { before, after } = parts;
  const continued: SeriesValues = { ...current, dtstartLocal: after.dtstartLocal, rrule: after.rrule, exdates: [...after.exdates], holidayPolicy: after.holidayPolicy };
  const next = applyChanges(continued, changes);
  next.exdates = next.exdates.filter((d) => d >= next.dtstartLocal);
  await checkSeries(db, actor.municipalityId, next, series.kind);
  const nextSpec: RecurrenceSpec = { dtstartLocal: next.dtstartLocal, tzid: series.tzid, rrule: next.rrule, exdates: next.exdates, holidayPolicy: next.holidayPolicy, durationMinutes: next.durationMinutes };
  const oldAudience = await seriesAudience({ db, seriesId: series.id });

  const newSeriesId = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("meeting_series")
      .set((eb) => ({ rrule: before.rrule, exdates: JSON.stringify(before.exdates), sequence: eb("sequence", "+", 1), updated_at: new Date() }))
      .where("id", "=", series.id)
      .execute();
    const { id } = await trx
      .insertInto("meeting_series")
      .values({ ...rowOf(next), municipality_id: series.municipality_id, tzid: series.tzid, split_from_series_id: series.id, created_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeParticipants(trx, id, next);

    // The occurrences from the split on that the new series has: their rows (agenda, attendance) follow.
    const later = await trx.selectFrom("meetings").select(["id", "recurrence_id"]).where("series_id", "=", series.id).where("recurrence_id", ">=", recurrenceId).execute();
    const moving = later.filter((m) => isOccurrence({ spec: nextSpec, recurrenceId: m.recurrence_id })).map((m) => m.id);
    if (moving.length) {
      await trx.updateTable("meetings").set((eb) => ({ series_id: id, sequence: eb("sequence", "+", 1), updated_at: new Date() })).where("id", "in", moving).execute();
      // Attendance of the same external people points at their rows in the new series.
      const [oldExternals, newExternals] = await Promise.all(
        [series.id, id].map((s) => trx.selectFrom("meeting_external_participants").select(["id", "name", "role"]).where("series_id", "=", s).where("removed_at", "is", null).execute()),
      );
      for (const o of oldExternals!) {
        const n = newExternals!.find((e) => e.name === o.name && e.role === o.role);
        if (n) {
          await trx.updateTable("meeting_attendance").set({ external_participant_id: n.id }).where("meeting_id", "in", moving).where("external_participant_id", "=", o.id).execute();
        } else {
          await trx.deleteFrom("meeting_attendance").where("meeting_id", "in", moving).where("external_participant_id", "=", o.id).execute();
        }
      }
    }
    await recordMeetingAccess({ db: trx, actor, seriesId: series.id, action: "meeting_series.update" });
    await recordMeetingAccess({ db: trx, actor, seriesId: id, action: "meeting_series.split" });
    return id;
  });

  await publishMeetingEvent({ db, bus, userIds: oldAudience, exceptUserId: actor.id, type: "meeting.changed", seriesId: series.id, recurrenceId, change: "split", newSeriesId });
  await announceSeriesChange({
    db,
    bus,
    actorId: actor.id,
    seriesId: newSeriesId,
    before: oldAudience,
    after: await seriesAudience({ db, seriesId: newSeriesId }),
    type: "meeting.changed",
    change: "split",
    recurrenceId,
  });
  return { seriesId: newSeriesId };
}

export async function cancelSeries({ db, bus, actor, seriesId }: WithBus & { seriesId: string }): Promise<{ seriesId: string }> {
  const { series } = await authorizeSeries({ db, actor, seriesId, action: "edit" });
  if (series.cancelled_at !== null) return { seriesId };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("meeting_series")
      .set((eb) => ({ cancelled_at: new Date(), sequence: eb("sequence", "+", 1), updated_at: new Date() }))
      .where("id", "=", seriesId)
      .execute();
    await recordMeetingAccess({ db: trx, actor, seriesId, action: "meeting_series.cancel" });
  });
  const audience = await seriesAudience({ db, seriesId });
  await publishMeetingEvent({ db, bus, userIds: audience, exceptUserId: actor.id, type: "meeting.cancelled", seriesId, change: "series" });
  return { seriesId };
}
