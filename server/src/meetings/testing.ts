import type { Db } from "../db/connect.ts";
import { unitIdsByName } from "../testing/case-fixtures.ts";
import { createCaseWithConsent, userIdByEmail } from "../testing/factories.ts";
import type { TrpcClient } from "../testing/http-client.ts";

export { unitIdsByName };

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

/**
 * The agenda tests' world in Demo kommune: a biweekly flyt-møte organised by Fjellheim skole
 * with Helsestasjonen, NAV and Barneverntjenesten taking part and the SLT coordinator
 * invited by name (SLT itself does not take part); Kari (koordinator) chairs, the health
 * nurse takes the minutes. Two cases of the school's: one whose consent for purpose meeting
 * covers Helsestasjonen and NAV only, one whose consent covers every unit of the meeting
 * (NAV and Helsestasjonen get the plan too, Barneverntjenesten only identity and minutes).
 */
export async function agendaWorld(db: Db, koordinator: TrpcClient, tag = "") {
  const units = await unitIdsByName(koordinator);
  const emails = ["koordinator", "helsesykepleier", "nav", "barnevern", "slt", "leder"] as const;
  const users = Object.fromEntries(await Promise.all(emails.map(async (e) => [e, await userIdByEmail(db, `${e}@demo.laget.no`)] as const))) as Record<(typeof emails)[number], string>;
  const { municipality_id: municipalityId } = await db.selectFrom("users").select("municipality_id").where("id", "=", users.koordinator).executeTakeFirstOrThrow();
  const school = units["Fjellheim skole"]!;
  const health = units.Helsestasjonen!;
  const nav = units["NAV Fjellheim"]!;
  const barnevern = units.Barneverntjenesten!;
  const fixture = await createMeetingFixture(db, {
    municipalityId,
    organiserUnitId: school,
    createdBy: users.koordinator,
    participantUnitIds: [health, nav, barnevern],
    participantUserIds: [users.slt],
    chairUserId: users.koordinator,
    minuteTakerUserId: users.helsesykepleier,
  });
  const meeting = (unitId: string, categories: string[]) => ({ unitId, purposes: ["coordination", "meeting"], categories });
  const partial = await createCaseWithConsent(koordinator, {
    owningUnitId: school,
    subjects: [{ role: "child", name: `Ola Delvis${tag}`, birthYear: 2012 }],
    participantUnitIds: [health, nav],
    consent: { provisions: [meeting(health, ["identity", "plan", "minutes"]), meeting(nav, ["identity", "plan", "minutes"])] },
  });
  const full = await createCaseWithConsent(koordinator, {
    owningUnitId: school,
    subjects: [{ role: "child", name: `Emma Samtykke${tag}`, birthYear: 2013 }],
    participantUnitIds: [health, nav, barnevern],
    consent: { provisions: [meeting(health, ["identity", "plan", "minutes"]), meeting(nav, ["identity", "plan", "minutes"]), meeting(barnevern, ["identity", "minutes"])] },
  });
  return { ...fixture, municipalityId, units: { school, health, nav, barnevern, slt: units.SLT! }, users, partial, full };
}
export type AgendaWorld = Awaited<ReturnType<typeof agendaWorld>>;

/** The demo's user ids by the part of their email before the @ ("nav", "koordinator", …). */
export async function demoUserIds(db: Db): Promise<Record<string, string>> {
  const users = await db.selectFrom("users").select(["id", "email"]).where("email", "like", "%@demo.laget.no").execute();
  return Object.fromEntries(users.map((u) => [u.email.split("@")[0]!, u.id]));
}

/** A weekly flyt-møte of NAV Fjellheim with the school and the health station, Thursdays 09:00 from 7 January 2027. */
export function flytInput(units: Record<string, string>, users: Record<string, string>, overrides: Record<string, unknown> = {}) {
  return {
    kind: "flyt_mote",
    title: "Flyt-møte test",
    organiserUnitId: units["NAV Fjellheim"]!,
    chairUserId: users.nav!,
    minuteTakerUserId: users.helsesykepleier!,
    participantUnitIds: [units["Fjellheim skole"]!, units.Helsestasjonen!],
    participantUserIds: [],
    externalParticipants: [{ name: "Mor", role: "Forelder" }],
    place: "Møterom 2",
    durationMinutes: 60,
    dtstartLocal: "2027-01-07T09:00:00",
    recurrence: { freq: "weekly", interval: 1, byWeekday: ["TH"], end: { kind: "never" } },
    exdates: [],
    holidayPolicy: "none",
    ...overrides,
  };
}

export type Summary = { seriesId: string; recurrenceId: string; meetingId: string | null; title: string; start: string; end: string; status: string; moved: boolean; place: string | null };

export async function listOf(client: TrpcClient, from: string, to: string, seriesIds?: readonly string[]): Promise<Summary[]> {
  const { occurrences } = await client.queryOk<{ occurrences: Summary[] }>("meetings.list", { from, to });
  return seriesIds ? occurrences.filter((o) => seriesIds.includes(o.seriesId)) : occurrences;
}
