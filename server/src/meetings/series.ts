import { decideMeeting } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import { AppError } from "../errors.ts";
import { authorizeSeries, recordMeetingAccess, type Series } from "./access.ts";
import { announceSeriesChange, publishMeetingEvent, seriesAudience } from "./events.ts";
import type { SeriesChanges, SeriesInput } from "./inputs.ts";
import {
  expandSeries,
  isOccurrence,
  recurrenceInputOf,
  RecurrenceError,
  rruleOf,
  splitSeries,
  type HolidayPolicy,
  type RecurrenceInput,
  type RecurrenceSpec,
  instantOfLocal,
} from "./recurrence.ts";

/**
 * Meeting series (DESIGN.md §6): created by a member of the organiser unit, changed by
 * its chair or the organiser unit's members (decideMeeting "edit"). The recurrence is
 * kept as RFC 5545 text (RRULE from the editor's RecurrenceInput, EXDATEs) with DTSTART
 * as local time in Europe/Oslo. Edits are "all" (the series, SEQUENCE+1) or "this and
 * following" (the old series ends with UNTIL, a new one continues from the occurrence).
 */

export const TZID = "Europe/Oslo";
export const defaultMeetingKinds = ["flyt_mote", "ansvarsgruppe", "slt_koordineringsgruppe", "politirad", "forum", "overforingsmote", "annet"] as const;

export type MeetingKind = { key: string; name: string | null };

/** An AppError naming the field it is about, shown as the response's fieldErrors. */
export class FieldError extends AppError {
  readonly issues: { path: string[]; message: string }[];
  constructor(code: "VALIDATION" | "INVALID_RECURRENCE", field: string, message: string) {
    super(code, `${field}: ${message}`);
    this.issues = [{ path: field.split("."), message }];
  }
}

/** The municipality's meeting kinds: its own (meeting_settings), or the Norwegian defaults. */
export async function meetingKinds({ db, actor }: AsActor): Promise<{ kinds: MeetingKind[] }> {
  return { kinds: await kindsOf(db, actor.municipalityId) };
}

export async function kindsOf(db: Db, municipalityId: string): Promise<MeetingKind[]> {
  const row = await db.selectFrom("meeting_settings").select("kinds").where("municipality_id", "=", municipalityId).executeTakeFirst();
  const own = Array.isArray(row?.kinds)
    ? (row.kinds as unknown[]).flatMap((k) => {
        const entry = k as { key?: unknown; name?: unknown };
        return typeof entry?.key === "string" ? [{ key: entry.key, name: typeof entry.name === "string" ? entry.name : null }] : [];
      })
    : [];
  return own.length ? own : defaultMeetingKinds.map((key) => ({ key, name: null }));
}

export const kindNameOf = (kinds: readonly MeetingKind[], key: string) => kinds.find((k) => k.key === key)?.name ?? null;

export function exdatesOf(series: Pick<Series, "exdates">): string[] {
  return Array.isArray(series.exdates) ? (series.exdates as unknown[]).filter((d): d is string => typeof d === "string") : [];
}

export function specOf(series: Pick<Series, "dtstart_local" | "tzid" | "rrule" | "exdates" | "holiday_policy" | "duration_minutes">): RecurrenceSpec {
  return {
    dtstartLocal: series.dtstart_local,
    tzid: series.tzid,
    rrule: series.rrule,
    exdates: exdatesOf(series),
    holidayPolicy: series.holiday_policy as HolidayPolicy,
    durationMinutes: series.duration_minutes,
  };
}

/** The recurrence engine's refusal, as the field of the input it is about. */
function recurrenceError(err: unknown): never {
  if (err instanceof RecurrenceError) {
    const field = ["dtstartLocal", "exdates", "holidayPolicy", "durationMinutes"].some((f) => err.field.startsWith(f)) ? err.field : `recurrence.${err.field}`;
    throw new FieldError("INVALID_RECURRENCE", field, err.message);
  }
  throw err;
}

function ruleOf(recurrence: RecurrenceInput, dtstartLocal: string): string | null {
  try {
    return rruleOf(recurrence, dtstartLocal);
  } catch (err) {
    recurrenceError(err);
  }
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

/** A series as stored: the input with its rule as RRULE text. */
type SeriesValues = Omit<SeriesInput, "recurrence" | "chairUserId" | "minuteTakerUserId" | "place" | "videoLink"> & {
  chairUserId: string | null;
  minuteTakerUserId: string | null;
  place: string | null;
  videoLink: string | null;
  rrule: string | null;
};

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

/**
 * Checks what a series names against the municipality: its kind, its units (active units
 * of the municipality), its people (active users of it), and that the chair and the
 * minute-taker take part (named, or members of a participating or the organiser unit).
 */
async function checkSeries(db: Db, municipalityId: string, v: SeriesValues, currentKind?: string): Promise<void> {
  const kinds = await kindsOf(db, municipalityId);
  // A series keeps its kind though the municipality no longer offers it for new ones.
  if (v.kind !== currentKind && !kinds.some((k) => k.key === v.kind)) throw new FieldError("VALIDATION", "kind", "not a meeting kind of the municipality");
  const unitIds = uniq([v.organiserUnitId, ...v.participantUnitIds]);
  const units = await db.selectFrom("units").select(["id", "kind"]).where("id", "in", unitIds).where("municipality_id", "=", municipalityId).where("valid_to", "is", null).execute();
  const activeUnits = new Set(units.map((u) => u.id));
  if (!activeUnits.has(v.organiserUnitId)) throw new FieldError("VALIDATION", "organiserUnitId", "not an active unit of the municipality");
  if (units.find((u) => u.id === v.organiserUnitId)?.kind === "volunteer") throw new FieldError("VALIDATION", "organiserUnitId", "a volunteer organisation cannot organise meetings");
  const badUnit = v.participantUnitIds.findIndex((id) => !activeUnits.has(id));
  if (badUnit >= 0) throw new FieldError("VALIDATION", `participantUnitIds.${badUnit}`, "not an active unit of the municipality");

  const people = uniq([...v.participantUserIds, v.chairUserId, v.minuteTakerUserId].filter((id): id is string => id !== null));
  const active = new Set(
    people.length
      ? (await db.selectFrom("users").select("id").where("id", "in", people).where("municipality_id", "=", municipalityId).where("deactivated_at", "is", null).execute()).map((u) => u.id)
      : [],
  );
  const badUser = v.participantUserIds.findIndex((id) => !active.has(id));
  if (badUser >= 0) throw new FieldError("VALIDATION", `participantUserIds.${badUser}`, "not an active user of the municipality");
  for (const [field, userId] of [["chairUserId", v.chairUserId], ["minuteTakerUserId", v.minuteTakerUserId]] as const) {
    if (userId === null) continue;
    if (!active.has(userId)) throw new FieldError("VALIDATION", field, "not an active user of the municipality");
    if (v.participantUserIds.includes(userId)) continue;
    const member = await db
      .selectFrom("memberships")
      .select("unit_id")
      .where("user_id", "=", userId)
      .where("unit_id", "in", uniq([v.organiserUnitId, ...v.participantUnitIds]))
      .executeTakeFirst();
    if (!member) throw new FieldError("VALIDATION", field, "must take part in the meeting (named, or in a participating or the organiser unit)");
  }
  // The rule must give at least something sensible to expand.
  try {
    isOccurrence({ spec: { dtstartLocal: v.dtstartLocal, tzid: TZID, rrule: v.rrule, exdates: v.exdates, holidayPolicy: v.holidayPolicy, durationMinutes: v.durationMinutes }, recurrenceId: v.dtstartLocal });
  } catch (err) {
    recurrenceError(err);
  }
}

/**
 * Who may organise: a member of the organiser unit in any staff role (not a volunteer
 * contact). A small rule kept here rather than in packages/policy, which judges existing
 * series (decideMeeting); creating one has no resource yet.
 */
function mayOrganise(actor: AsActor["actor"], unitId: string): boolean {
  return actor.memberships.some((m) => m.unitId === unitId && m.role !== "volunteer_contact");
}

function valuesOf(series: Series, participants: { unitIds: string[]; userIds: string[]; externals: { name: string; role: string }[] }): SeriesValues {
  return {
    kind: series.kind,
    title: series.title,
    organiserUnitId: series.organiser_unit_id,
    chairUserId: series.chair_user_id,
    minuteTakerUserId: series.minute_taker_user_id,
    participantUnitIds: participants.unitIds,
    participantUserIds: participants.userIds,
    externalParticipants: participants.externals,
    place: series.place,
    videoLink: series.video_link,
    durationMinutes: series.duration_minutes,
    dtstartLocal: series.dtstart_local,
    rrule: series.rrule,
    exdates: exdatesOf(series),
    holidayPolicy: series.holiday_policy as HolidayPolicy,
  };
}

async function participantIds(db: Db, seriesId: string) {
  const [units, users, externals] = await Promise.all([
    db.selectFrom("meeting_series_units").select("unit_id").where("series_id", "=", seriesId).execute(),
    db.selectFrom("meeting_series_users").select("user_id").where("series_id", "=", seriesId).execute(),
    db.selectFrom("meeting_external_participants").select(["id", "name", "role"]).where("series_id", "=", seriesId).where("removed_at", "is", null).orderBy("name").execute(),
  ]);
  return { unitIds: units.map((u) => u.unit_id), userIds: users.map((u) => u.user_id), externals };
}

/** The series' people with their names, for the editor and the meeting page. */
export async function participantsOf(db: Db, seriesId: string) {
  const [units, users, externals] = await Promise.all([
    db
      .selectFrom("meeting_series_units")
      .innerJoin("units", "units.id", "meeting_series_units.unit_id")
      .select(["units.id", "units.name"])
      .where("meeting_series_units.series_id", "=", seriesId)
      .orderBy("units.name")
      .execute(),
    db
      .selectFrom("meeting_series_users")
      .innerJoin("users", "users.id", "meeting_series_users.user_id")
      .select(["users.id", "users.display_name as name"])
      .where("meeting_series_users.series_id", "=", seriesId)
      .orderBy("users.display_name")
      .execute(),
    db.selectFrom("meeting_external_participants").select(["id", "name", "role"]).where("series_id", "=", seriesId).where("removed_at", "is", null).orderBy("name").execute(),
  ]);
  return { units, users, externals };
}

/** The values applied with the changes: the rule made again when the recurrence or the start changed. */
function applyChanges(current: SeriesValues, changes: SeriesChanges): SeriesValues {
  const { recurrence, ...rest } = changes;
  const next: SeriesValues = { ...current };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  if (recurrence) next.rrule = ruleOf(recurrence, next.dtstartLocal);
  else if (changes.dtstartLocal !== undefined && changes.dtstartLocal !== current.dtstartLocal && current.rrule !== null) {
    let input: RecurrenceInput;
    try {
      input = recurrenceInputOf(current.rrule);
    } catch (err) {
      recurrenceError(err);
    }
    next.rrule = ruleOf(input, next.dtstartLocal);
  }
  next.exdates = uniq(next.exdates).sort();
  return next;
}

async function writeParticipants(db: Db, seriesId: string, v: SeriesValues): Promise<void> {
  await db.deleteFrom("meeting_series_units").where("series_id", "=", seriesId).execute();
  await db.deleteFrom("meeting_series_users").where("series_id", "=", seriesId).execute();
  const unitIds = uniq(v.participantUnitIds);
  const userIds = uniq(v.participantUserIds);
  if (unitIds.length) await db.insertInto("meeting_series_units").values(unitIds.map((unit_id) => ({ series_id: seriesId, unit_id }))).execute();
  if (userIds.length) await db.insertInto("meeting_series_users").values(userIds.map((user_id) => ({ series_id: seriesId, user_id }))).execute();
  // External participants keep their ids (attendance points at them): same name and role is the same person.
  const existing = await db.selectFrom("meeting_external_participants").select(["id", "name", "role"]).where("series_id", "=", seriesId).where("removed_at", "is", null).execute();
  const wanted = [...v.externalParticipants];
  const kept = new Set<string>();
  for (const e of existing) {
    const i = wanted.findIndex((w) => w.name === e.name && w.role === e.role);
    if (i >= 0) {
      kept.add(e.id);
      wanted.splice(i, 1);
    }
  }
  const removed = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
  if (removed.length) await db.updateTable("meeting_external_participants").set({ removed_at: new Date() }).where("id", "in", removed).execute();
  if (wanted.length) await db.insertInto("meeting_external_participants").values(wanted.map((w) => ({ series_id: seriesId, name: w.name, role: w.role }))).execute();
}

function rowOf(v: SeriesValues) {
  return {
    kind: v.kind,
    title: v.title,
    organiser_unit_id: v.organiserUnitId,
    chair_user_id: v.chairUserId,
    minute_taker_user_id: v.minuteTakerUserId,
    place: v.place,
    video_link: v.videoLink,
    duration_minutes: v.durationMinutes,
    dtstart_local: v.dtstartLocal,
    rrule: v.rrule,
    exdates: JSON.stringify(v.exdates),
    holiday_policy: v.holidayPolicy,
  };
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

/** What every view of a series names: its kind, title, organiser, chair and minute-taker. */
export function seriesHeadOf(series: Series, kinds: Awaited<ReturnType<typeof kindsOf>>) {
  return {
    id: series.id,
    kind: series.kind,
    kindName: kindNameOf(kinds, series.kind),
    title: series.title,
    organiserUnitId: series.organiser_unit_id,
    chairUserId: series.chair_user_id,
    minuteTakerUserId: series.minute_taker_user_id,
  };
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
