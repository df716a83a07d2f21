import type { HolidayPolicy, RecurrenceInput } from "@laget/domain";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { Series } from "./access.ts";
import type { SeriesChanges, SeriesInput } from "./inputs.ts";
import { RecurrenceError } from "./local-time.ts";
import { isOccurrence, type RecurrenceSpec } from "./recurrence.ts";
import { recurrenceInputOf, rruleOf } from "./rrule-text.ts";

/**
 * What a meeting series is made of as its procedures (series.ts) handle it: the values of
 * a series with its rule as RRULE text, their check against the municipality (its meeting
 * kinds, units and people), and the series' participants as stored. A row of
 * meeting_series becomes the recurrence engine's spec here (specOf), for every caller.
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

/** The series' recurrence as the engine takes it: the one reading of a meeting_series row for it. */
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
export function recurrenceError(err: unknown): never {
  if (err instanceof RecurrenceError) {
    const field = ["dtstartLocal", "exdates", "holidayPolicy", "durationMinutes"].some((f) => err.field.startsWith(f)) ? err.field : `recurrence.${err.field}`;
    throw new FieldError("INVALID_RECURRENCE", field, err.message);
  }
  throw err;
}

export function ruleOf(recurrence: RecurrenceInput, dtstartLocal: string): string | null {
  try {
    return rruleOf(recurrence, dtstartLocal);
  } catch (err) {
    recurrenceError(err);
  }
}

/** A series as stored: the input with its rule as RRULE text. */
export type SeriesValues = Omit<SeriesInput, "recurrence" | "chairUserId" | "minuteTakerUserId" | "place" | "videoLink"> & {
  chairUserId: string | null;
  minuteTakerUserId: string | null;
  place: string | null;
  videoLink: string | null;
  rrule: string | null;
};

export const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

/**
 * Checks what a series names against the municipality: its kind, its units (active units
 * of the municipality), its people (active users of it), and that the chair and the
 * minute-taker take part (named, or members of a participating or the organiser unit).
 */
export async function checkSeries(db: Db, municipalityId: string, v: SeriesValues, currentKind?: string): Promise<void> {
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

export function valuesOf(series: Series, participants: { unitIds: string[]; userIds: string[]; externals: { name: string; role: string }[] }): SeriesValues {
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

export async function participantIds(db: Db, seriesId: string) {
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
export function applyChanges(current: SeriesValues, changes: SeriesChanges): SeriesValues {
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

export async function writeParticipants(db: Db, seriesId: string, v: SeriesValues): Promise<void> {
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

export function rowOf(v: SeriesValues) {
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

