import type { Db } from "../db/connect.ts";

/**
 * Test fixtures for meetings, written straight through Kysely (no procedures): a series
 * with its participating units and users, and its occurrence rows. For tests of the agenda
 * and minutes that must not depend on how series are created or occurrences opened.
 */
export type MeetingFixture = { seriesId: string; meetingId: string; recurrenceId: string };

export async function createMeetingFixture(
  db: Db,
  options: {
    municipalityId: string;
    organiserUnitId: string;
    createdBy: string;
    participantUnitIds?: string[];
    participantUserIds?: string[];
    chairUserId?: string | null;
    minuteTakerUserId?: string | null;
    kind?: string;
    title?: string;
    /** Local start of the first occurrence. */
    dtstartLocal?: string;
    /** Weekly on that weekday by default; null: a single meeting. */
    rrule?: string | null;
  },
): Promise<MeetingFixture> {
  const dtstartLocal = options.dtstartLocal ?? "2026-03-05T09:00:00";
  const series = await db
    .insertInto("meeting_series")
    .values({
      municipality_id: options.municipalityId,
      kind: options.kind ?? "flyt_mote",
      title: options.title ?? "Flyt-møte",
      organiser_unit_id: options.organiserUnitId,
      chair_user_id: options.chairUserId ?? null,
      minute_taker_user_id: options.minuteTakerUserId ?? null,
      duration_minutes: 60,
      dtstart_local: dtstartLocal,
      rrule: options.rrule === undefined ? "FREQ=WEEKLY;INTERVAL=2" : options.rrule,
      created_by: options.createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const units = [...new Set(options.participantUnitIds ?? [])];
  if (units.length) await db.insertInto("meeting_series_units").values(units.map((unit_id) => ({ series_id: series.id, unit_id }))).execute();
  const users = [...new Set(options.participantUserIds ?? [])];
  if (users.length) await db.insertInto("meeting_series_users").values(users.map((user_id) => ({ series_id: series.id, user_id }))).execute();
  const meetingId = await openOccurrence(db, { seriesId: series.id, municipalityId: options.municipalityId, recurrenceId: dtstartLocal });
  return { seriesId: series.id, meetingId, recurrenceId: dtstartLocal };
}

/** The occurrence row of a series at `recurrenceId`, made if missing. */
export async function openOccurrence(db: Db, o: { seriesId: string; municipalityId: string; recurrenceId: string }): Promise<string> {
  await db
    .insertInto("meetings")
    .values({ series_id: o.seriesId, municipality_id: o.municipalityId, recurrence_id: o.recurrenceId })
    .onConflict((oc) => oc.columns(["series_id", "recurrence_id"]).doNothing())
    .execute();
  const row = await db.selectFrom("meetings").select("id").where("series_id", "=", o.seriesId).where("recurrence_id", "=", o.recurrenceId).executeTakeFirstOrThrow();
  return row.id;
}
