import { confidentialUnitKinds, decideMeeting, type MeetingResource } from "@laget/policy";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical, { ICalCalendarMethod, ICalEventClass, ICalEventStatus, type ICalCalendar } from "ical-generator";
import { Temporal } from "temporal-polyfill";
import type { AsActor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import { policyActor } from "../cases/access.ts";
import { authorizeMeeting, visibleSeriesIds, type Meeting, type Series } from "../meetings/access.ts";
import { overrideOf } from "../meetings/occurrences.ts";
import { expandSeries, type Occurrence, type RecurrenceSpec } from "../meetings/recurrence.ts";
import { specOf } from "../meetings/series-values.ts";
import { CALENDAR_NAME, summaryOfKind } from "./labels.ts";

/**
 * The user's meetings as iCalendar (RFC 5545; DESIGN.md §6), for Outlook and Google:
 *
 * - one VEVENT per series, UID `<series id>@laget`, DTSTART in local time with
 *   TZID=Europe/Oslo and the series' RRULE (UNTIL in UTC), so clients keep 09:00 across DST;
 * - EXDATE for every occurrence that does not take place: the series' exdates, cancelled
 *   occurrences and those a holiday drops (EXDATE, not STATUS:CANCELLED overrides, which
 *   Outlook and Google show inconsistently);
 * - a VEVENT with RECURRENCE-ID for every occurrence that is moved (by hand or off a
 *   holiday) or changed (length, place);
 * - SEQUENCE is the series' (plus the occurrence's, for an override), LAST-MODIFIED and
 *   DTSTAMP its last change (without METHOD, DTSTAMP means exactly that);
 * - a VTIMEZONE for Europe/Oslo, CRLF line ends, lines folded at 75 octets.
 *
 * It says only when and where: SUMMARY is a neutral label by kind (never the title, which
 * may name a child), no attendees, no description, no unit names, CLASS:PRIVATE.
 */

/**
 * How far ahead holidays and moves are written out (EXDATE, RECURRENCE-ID) for a series
 * without an end. Clients re-read a feed at least daily, so the horizon moves with time;
 * beyond it a holiday occurrence shows as planned until then. Expanding costs about 1 ms
 * per series-year (rrule-temporal), which bounds it.
 */
export const HOLIDAY_HORIZON_DAYS = 2 * 366;
const EXPANSION_LIMIT = 5_000;

const zoned = (local: string, tzid: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(tzid);
const zonedInstant = (at: Date, tzid: string) => Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(tzid);
const latest = (...dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/** "20261231T225959Z" from a local "20261231T235959" or a date "20261231" (its end) in `tzid`. */
function untilInUtc(value: string, tzid: string): string {
  if (value.endsWith("Z")) return value;
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?$/.exec(value);
  if (!m) return value;
  const [, y, mo, d, h = "23", mi = "59", s = "59"] = m;
  const instant = zoned(`${y}-${mo}-${d}T${h}:${mi}:${s}`, tzid).toInstant();
  return instant.toString({ smallestUnit: "second" }).replace(/[-:]/g, "");
}

/** The series' RRULE value as a feed carries it: UNTIL in UTC, as RFC 5545 requires with a zoned DTSTART. */
export function feedRrule(rrule: string, tzid: string): string {
  return rrule
    .replace(/^RRULE:/i, "")
    .split(";")
    .map((part) => {
      const [key, value] = part.split("=");
      return key?.toUpperCase() === "UNTIL" && value ? `UNTIL=${untilInUtc(value, tzid)}` : part;
    })
    .join(";");
}

const icsLocal = (local: string) => local.replace(/[-:]/g, "");

type SeriesWithOverrides = { series: Series; meetings: Meeting[] };

function newCalendar(): ICalCalendar {
  const calendar = ical({ name: CALENDAR_NAME, prodId: { company: "Laget", product: "Laget", language: "NB" } });
  // A zone generator but no calendar-level zone name: DTSTAMP and UNTIL keep their Z (DESIGN.md §11).
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  return calendar;
}

/** RFC 5545 ends every content line, the last one too, with CRLF (ical-generator stops short of the last). */
function finish(calendar: ICalCalendar): string {
  const text = calendar.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}

/** Says whether a place may go in a calendar: one that names a confidential unit (or barnevern) would reveal who takes part. */
type PlaceGuard = (text: string) => boolean;

/** The guard for a municipality: the names of its units of a confidential kind (child welfare, police and its own additions). */
export async function placeGuard({ db, municipalityId }: { db: Db; municipalityId: string }): Promise<PlaceGuard> {
  const municipality = await db.selectFrom("municipalities").select("confidential_unit_kinds").where("id", "=", municipalityId).executeTakeFirstOrThrow();
  const kinds = [...confidentialUnitKinds(Array.isArray(municipality.confidential_unit_kinds) ? (municipality.confidential_unit_kinds as string[]) : [])];
  const units = await db.selectFrom("units").select("name").where("municipality_id", "=", municipalityId).where("kind", "in", kinds).execute();
  const words = ["barnevern", ...units.map((u) => u.name.trim().toLocaleLowerCase("nb"))].filter((w) => w.length >= 3);
  return (text) => {
    const lower = text.toLocaleLowerCase("nb");
    return !words.some((w) => lower.includes(w));
  };
}

function placeOf(series: Series, meeting: Meeting | undefined, safe: PlaceGuard) {
  const place = meeting?.place ?? series.place;
  const videoLink = meeting?.video_link ?? series.video_link;
  const url = videoLink && safe(videoLink) ? videoLink : null;
  return { location: place && safe(place) ? place : url, url };
}

/** Is this occurrence row more than a record (attendance, agenda): does it change what a calendar shows? */
const changesCalendar = (m: Meeting | undefined) => !!m && (m.moved_to_local !== null || m.duration_minutes !== null || m.place !== null || m.video_link !== null);

/**
 * Without a holiday policy only the occurrence rows change what the RRULE says: each is
 * looked up where it is (a cancelled one at its original time), instead of expanding the
 * whole series, which costs about a millisecond per series-year.
 */
function changedOccurrences(spec: RecurrenceSpec, meetings: Meeting[]): Occurrence[] {
  const out: Occurrence[] = [];
  for (const m of meetings) {
    if (m.status !== "cancelled" && !changesCalendar(m)) continue;
    const at = zoned(m.status === "cancelled" ? m.recurrence_id : (m.moved_to_local ?? m.recurrence_id), spec.tzid).epochMilliseconds;
    const found = expandSeries({ spec, overrides: [overrideOf(m)], from: new Date(at), to: new Date(at + 1), includeSkipped: true }).find((o) => o.recurrenceId === m.recurrence_id);
    if (found) out.push(found);
  }
  return out;
}

function addSeries(calendar: ICalCalendar, { series, meetings }: SeriesWithOverrides, now: Date, safe: PlaceGuard) {
  const tzid = series.tzid;
  const spec = specOf(series);
  const byRecurrence = new Map(meetings.map((m) => [m.recurrence_id, m]));
  const first = zoned(series.dtstart_local, tzid);
  const horizon = new Date(now.getTime() + HOLIDAY_HORIZON_DAYS * 86_400_000);
  const lastOverride = meetings.reduce((max, m) => Math.max(max, zoned(m.moved_to_local ?? m.recurrence_id, tzid).epochMilliseconds), 0);
  const occurrences: Occurrence[] =
    series.rrule && spec.holidayPolicy === "none"
      ? changedOccurrences(spec, meetings)
      : expandSeries({
          spec,
          overrides: meetings.map(overrideOf),
          from: new Date(first.epochMilliseconds),
          to: new Date(Math.max(horizon.getTime(), lastOverride + 86_400_000)),
          includeSkipped: true,
          limit: EXPANSION_LIMIT,
        });
  const uid = `${series.id}@laget`;
  const summary = summaryOfKind(series.kind);
  const common = { summary, class: ICalEventClass.PRIVATE, timezone: tzid };

  if (!series.rrule) {
    // A single meeting: one VEVENT where it actually is, or none if it does not take place.
    const o = occurrences[0];
    if (!o || o.skipped) return;
    const meeting = byRecurrence.get(o.recurrenceId);
    const changed = latest(series.updated_at, ...(meeting ? [meeting.updated_at] : []));
    calendar.createEvent({
      ...common,
      ...placeOf(series, meeting, safe),
      id: uid,
      sequence: series.sequence + (meeting?.sequence ?? 0),
      start: zoned(o.startLocal, tzid),
      end: zonedInstant(o.end, tzid),
      stamp: changed,
      lastModified: changed,
    });
    return;
  }

  const exdates = new Set(spec.exdates);
  const overrides: { o: Occurrence; meeting: Meeting | undefined }[] = [];
  for (const o of occurrences) {
    const meeting = byRecurrence.get(o.recurrenceId);
    if (o.skipped) exdates.add(o.recurrenceId);
    else if (o.moved || changesCalendar(meeting)) overrides.push({ o, meeting });
  }
  const exdateLines = [...exdates].sort().map((local) => `EXDATE;TZID=${tzid}:${icsLocal(local)}`);
  calendar.createEvent({
    ...common,
    ...placeOf(series, undefined, safe),
    id: uid,
    sequence: series.sequence,
    start: first,
    end: first.add({ minutes: series.duration_minutes }),
    repeating: [`RRULE:${feedRrule(series.rrule, tzid)}`, ...exdateLines].join("\n"),
    stamp: series.updated_at,
    lastModified: series.updated_at,
  });
  for (const { o, meeting } of overrides) {
    const changed = latest(series.updated_at, ...(meeting ? [meeting.updated_at] : []));
    calendar.createEvent({
      ...common,
      ...placeOf(series, meeting, safe),
      id: uid,
      recurrenceId: zoned(o.recurrenceId, tzid),
      sequence: series.sequence + (meeting?.sequence ?? 0),
      start: zoned(o.startLocal, tzid),
      end: zonedInstant(o.end, tzid),
      stamp: changed,
      lastModified: changed,
    });
  }
}

/** The series the actor may read (filtered in SQL, then judged by decideMeeting), with their occurrence rows. */
async function readableSeries({ db, actor }: AsActor): Promise<SeriesWithOverrides[]> {
  const rows = await db
    .selectFrom("meeting_series")
    .selectAll()
    .where("id", "in", visibleSeriesIds({ db, actor }))
    .where("cancelled_at", "is", null)
    .orderBy("dtstart_local")
    .orderBy("id")
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((s) => s.id);
  const [units, users, meetings] = await Promise.all([
    db.selectFrom("meeting_series_units").select(["series_id", "unit_id"]).where("series_id", "in", ids).execute(),
    db.selectFrom("meeting_series_users").select(["series_id", "user_id"]).where("series_id", "in", ids).execute(),
    db.selectFrom("meetings").selectAll().where("series_id", "in", ids).orderBy("recurrence_id").execute(),
  ]);
  const judged = policyActor(actor);
  return rows
    .filter((s) => {
      const resource: MeetingResource = {
        kind: "meeting",
        meetingId: s.id,
        municipalityId: s.municipality_id,
        organiserUnitId: s.organiser_unit_id,
        participantUnitIds: units.filter((u) => u.series_id === s.id).map((u) => u.unit_id),
        participantUserIds: users.filter((u) => u.series_id === s.id).map((u) => u.user_id),
        chairUserId: s.chair_user_id,
        minuteTakerUserId: s.minute_taker_user_id,
      };
      return decideMeeting(judged, resource, "read").allow;
    })
    .map((series) => ({ series, meetings: meetings.filter((m) => m.series_id === series.id) }));
}

/** The actor's feed: every series they may read, as one VCALENDAR. */
export async function buildFeed({ db, actor, now = new Date() }: AsActor & { now?: Date }): Promise<{ ics: string; seriesCount: number }> {
  const calendar = newCalendar();
  const [series, safe] = await Promise.all([readableSeries({ db, actor }), placeGuard({ db, municipalityId: actor.municipalityId })]);
  for (const s of series) addSeries(calendar, s, now, safe);
  return { ics: finish(calendar), seriesCount: series.length };
}

/**
 * One meeting as an .ics to import (METHOD:PUBLISH): a standalone event with a UID of its
 * own, so it does not clash with the same occurrence in a subscribed feed. NOT_FOUND
 * unless decideMeeting lets the actor read it.
 */
export async function buildMeetingIcs({ db, actor, meetingId }: AsActor & { meetingId: string }): Promise<string> {
  const { meeting, series } = await authorizeMeeting({ db, actor, meetingId, action: "read", audit: "meeting.ics_download" });
  const tzid = series.tzid;
  const original = zoned(meeting.recurrence_id, tzid);
  const occurrence = expandSeries({
    spec: specOf(series),
    overrides: [overrideOf(meeting)],
    from: new Date(original.epochMilliseconds - 86_400_000),
    to: new Date(original.epochMilliseconds + 40 * 86_400_000),
    includeSkipped: true,
  }).find((o) => o.recurrenceId === meeting.recurrence_id);
  const startLocal = occurrence?.startLocal ?? meeting.moved_to_local ?? meeting.recurrence_id;
  const start = zoned(startLocal, tzid);
  const calendar = newCalendar();
  calendar.method(ICalCalendarMethod.PUBLISH);
  const changed = latest(series.updated_at, meeting.updated_at);
  const safe = await placeGuard({ db, municipalityId: series.municipality_id });
  const cancelled = series.cancelled_at !== null || meeting.status === "cancelled" || (occurrence?.skipped ?? null) !== null;
  calendar.createEvent({
    ...placeOf(series, meeting, safe),
    id: `meeting-${meeting.id}@laget`,
    summary: summaryOfKind(series.kind),
    class: ICalEventClass.PRIVATE,
    timezone: tzid,
    sequence: series.sequence + meeting.sequence,
    start,
    end: occurrence ? zonedInstant(occurrence.end, tzid) : start.add({ minutes: meeting.duration_minutes ?? series.duration_minutes }),
    stamp: changed,
    lastModified: changed,
    ...(cancelled ? { status: ICalEventStatus.CANCELLED } : {}),
  });
  return finish(calendar);
}

