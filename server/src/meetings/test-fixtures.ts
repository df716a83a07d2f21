import type { Db } from "../db/connect.ts";
import { unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";

/** The demo's user ids by the part of their email before the @ ("nav", "koordinator", …). */
export async function demoUserIds(db: Db): Promise<Record<string, string>> {
  const users = await db.selectFrom("users").select(["id", "email"]).where("email", "like", "%@demo.laget.no").execute();
  return Object.fromEntries(users.map((u) => [u.email.split("@")[0]!, u.id]));
}

export { unitIdsByName };

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
