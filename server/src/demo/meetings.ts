import type { Weekday } from "@laget/domain";
import type { Db } from "../db/connect.ts";
import { rruleOf } from "../meetings/rrule-text.ts";
import { localDateOf } from "../meetings/time.ts";

const WEEKDAYS: Weekday[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** A working day `days` from today (Oslo), moved on past a weekend. */
function workdayFrom(today: string, days: number): string {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
const weeksBefore = (date: string, weeks: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - weeks * 7);
  return d.toISOString().slice(0, 10);
};
const weekdayOf = (date: string) => WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7]!;

/**
 * The demo's meetings (issue 11): NAV Fjellheim's flyt-møte every other week with the
 * school and the health station (public holidays skipped), and an ansvarsgruppe at the
 * school every sixth week with the mother taking part. Dated from the day the demo is
 * seeded, with past meetings to look back at and the next one a week or more away (so
 * no reminder goes out the moment the demo starts).
 */
export async function seedDemoMeetings(trx: Db, municipalityId: string, now = new Date()): Promise<void> {
  const units = new Map((await trx.selectFrom("units").select(["id", "name"]).where("municipality_id", "=", municipalityId).execute()).map((u) => [u.name, u.id]));
  const users = new Map((await trx.selectFrom("users").select(["id", "email"]).where("municipality_id", "=", municipalityId).execute()).map((u) => [u.email, u.id]));
  const today = localDateOf(now, "Europe/Oslo");
  const creator = users.get("nav@demo.laget.no")!;

  const flytNext = workdayFrom(today, 7);
  const flytStart = `${weeksBefore(flytNext, 4)}T09:00:00`;
  const flyt = await trx
    .insertInto("meeting_series")
    .values({
      municipality_id: municipalityId,
      kind: "flyt_mote",
      title: "Flyt-møte NAV Fjellheim",
      organiser_unit_id: units.get("NAV Fjellheim")!,
      chair_user_id: users.get("nav@demo.laget.no")!,
      minute_taker_user_id: users.get("helsesykepleier@demo.laget.no")!,
      place: "NAV Fjellheim, møterom 2",
      duration_minutes: 90,
      dtstart_local: flytStart,
      rrule: rruleOf({ freq: "weekly", interval: 2, byWeekday: [weekdayOf(flytNext)], end: { kind: "never" } }, flytStart),
      holiday_policy: "drop",
      created_by: creator,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("meeting_series_units")
    .values(["Fjellheim skole", "Helsestasjonen"].map((name) => ({ series_id: flyt.id, unit_id: units.get(name)! })))
    .execute();

  const groupNext = workdayFrom(today, 10);
  const groupStart = `${weeksBefore(groupNext, 6)}T13:00:00`;
  const group = await trx
    .insertInto("meeting_series")
    .values({
      municipality_id: municipalityId,
      kind: "ansvarsgruppe",
      title: "Ansvarsgruppe",
      organiser_unit_id: units.get("Fjellheim skole")!,
      chair_user_id: users.get("koordinator@demo.laget.no")!,
      minute_taker_user_id: users.get("leder@demo.laget.no")!,
      place: "Fjellheim skole, møterommet",
      duration_minutes: 60,
      dtstart_local: groupStart,
      rrule: rruleOf({ freq: "weekly", interval: 6, byWeekday: [weekdayOf(groupNext)], end: { kind: "never" } }, groupStart),
      holiday_policy: "move",
      created_by: users.get("koordinator@demo.laget.no")!,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx.insertInto("meeting_series_units").values({ series_id: group.id, unit_id: units.get("Helsestasjonen")! }).execute();
  await trx.insertInto("meeting_external_participants").values({ series_id: group.id, name: "Mor", role: "Forelder" }).execute();
}
