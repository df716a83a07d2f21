import { weekdays, type HolidayPolicy } from "@laget/domain";
import type { Db } from "../db/connect.ts";
import { rruleOf } from "../meetings/rrule-text.ts";
import { localDateOf } from "../meetings/time.ts";

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
const weekdayOf = (date: string) => weekdays[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7]!;

/** One demo series: its units by name, its people by e-mail, and its rhythm counted from the day of seeding. */
type DemoSeries = {
  kind: string;
  title: string;
  place: string;
  units: { organiser: string; participants: string[] };
  people: { chair: string; minuteTaker: string; createdBy: string };
  externals: { name: string; role: string }[];
  /** Weekly every `weeksApart` weeks at `time`: the next meeting the first working day `nextInDays` from today, the first `weeksBack` weeks before it. */
  rhythm: { weeksApart: number; nextInDays: number; weeksBack: number; time: string; durationMinutes: number; holidayPolicy: HolidayPolicy };
};

const demoSeries: DemoSeries[] = [
  {
    kind: "flyt_mote",
    title: "Flyt-møte NAV Fjellheim",
    place: "NAV Fjellheim, møterom 2",
    units: { organiser: "NAV Fjellheim", participants: ["Fjellheim skole", "Helsestasjonen"] },
    people: { chair: "nav@demo.laget.no", minuteTaker: "helsesykepleier@demo.laget.no", createdBy: "nav@demo.laget.no" },
    externals: [],
    rhythm: { weeksApart: 2, nextInDays: 7, weeksBack: 4, time: "09:00:00", durationMinutes: 90, holidayPolicy: "drop" },
  },
  {
    kind: "ansvarsgruppe",
    title: "Ansvarsgruppe",
    place: "Fjellheim skole, møterommet",
    units: { organiser: "Fjellheim skole", participants: ["Helsestasjonen"] },
    people: { chair: "koordinator@demo.laget.no", minuteTaker: "leder@demo.laget.no", createdBy: "koordinator@demo.laget.no" },
    externals: [{ name: "Mor", role: "Forelder" }],
    rhythm: { weeksApart: 6, nextInDays: 10, weeksBack: 6, time: "13:00:00", durationMinutes: 60, holidayPolicy: "move" },
  },
];

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

  for (const s of demoSeries) {
    const next = workdayFrom(today, s.rhythm.nextInDays);
    const dtstartLocal = `${weeksBefore(next, s.rhythm.weeksBack)}T${s.rhythm.time}`;
    const series = await trx
      .insertInto("meeting_series")
      .values({
        municipality_id: municipalityId,
        kind: s.kind,
        title: s.title,
        organiser_unit_id: units.get(s.units.organiser)!,
        chair_user_id: users.get(s.people.chair)!,
        minute_taker_user_id: users.get(s.people.minuteTaker)!,
        place: s.place,
        duration_minutes: s.rhythm.durationMinutes,
        dtstart_local: dtstartLocal,
        rrule: rruleOf({ freq: "weekly", interval: s.rhythm.weeksApart, byWeekday: [weekdayOf(next)], end: { kind: "never" } }, dtstartLocal),
        holiday_policy: s.rhythm.holidayPolicy,
        created_by: users.get(s.people.createdBy)!,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (s.units.participants.length) {
      await trx
        .insertInto("meeting_series_units")
        .values(s.units.participants.map((name) => ({ series_id: series.id, unit_id: units.get(name)! })))
        .execute();
    }
    if (s.externals.length) await trx.insertInto("meeting_external_participants").values(s.externals.map((e) => ({ series_id: series.id, ...e }))).execute();
  }
}
