import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CallerClient } from "../testing/caller-client.ts";
import { createMunicipality, sessionCookie } from "../testing/factories.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { demoUserIds, flytInput, listOf, unitIdsByName } from "./testing.ts";

// The list (visibility filtered in SQL, one audit event per call), opening an occurrence,
// the meeting page and attendance.

let app: TestApp;
let nav: CallerClient;
let school: CallerClient;
let health: CallerClient;
let barnevern: CallerClient;
let stranger: CallerClient;
let units: Record<string, string>;
let users: Record<string, string>;
let seriesId: string;
const JAN = ["2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"] as const;

beforeAll(async () => {
  app = await startTestApp();
  const as = (who: string) => app.signedIn(`${who}@demo.laget.no`);
  [nav, school, health, barnevern] = await Promise.all([as("nav"), as("koordinator"), as("helsesykepleier"), as("barnevern")]);
  units = await unitIdsByName(nav);
  users = await demoUserIds(app.db);
  const other = await createMunicipality(app.db, { name: "Annen kommune", users: [{ email: "nav@annen.example", memberships: [{ unit: "Annen NAV", role: "caseworker" }] }] });
  stranger = app.client();
  stranger.cookie = await sessionCookie(app.db, other.userIds["nav@annen.example"]!);
  ({ seriesId } = await nav.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(units, users)));
});
afterAll(() => app?.stop());

describe("list", () => {
  test("the series' people see its occurrences in the range, sorted; a user of an unrelated unit and another municipality see none", async () => {
    const mine = await listOf(nav, ...JAN, [seriesId]);
    expect(mine.map((o) => o.start)).toEqual(["2027-01-07T08:00:00.000Z", "2027-01-14T08:00:00.000Z", "2027-01-21T08:00:00.000Z", "2027-01-28T08:00:00.000Z"]);
    expect(await listOf(school, ...JAN, [seriesId])).toHaveLength(4);
    expect(await listOf(health, ...JAN, [seriesId])).toHaveLength(4);
    expect(await listOf(barnevern, ...JAN)).toEqual([]);
    expect(await listOf(stranger, ...JAN)).toEqual([]);
  });

  test("a user named in a series sees it though their unit does not take part", async () => {
    const { seriesId: named } = await nav.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(units, users, { participantUserIds: [users.barnevern], participantUnitIds: [] , minuteTakerUserId: null }));
    expect((await listOf(barnevern, ...JAN)).map((o) => o.seriesId)).toEqual([named, named, named, named]);
  });

  test("series the reader may not see never take the place of those they may (filtered before expanding)", async () => {
    // Many series of the health station alone; the school's reader sees only its own one among them.
    for (let i = 0; i < 5; i++) {
      await health.mutationOk("meetings.createSeries", flytInput(units, users, { organiserUnitId: units.Helsestasjonen, chairUserId: users.helsesykepleier, minuteTakerUserId: null, participantUnitIds: [], externalParticipants: [], title: `Helse ${i}` }));
    }
    const visible = await listOf(school, ...JAN);
    expect(visible.some((o) => o.title.startsWith("Helse"))).toBe(false);
    expect(visible.filter((o) => o.seriesId === seriesId)).toHaveLength(4);
  });

  test("one audit event per list call, whatever it holds", async () => {
    const count = async () =>
      Number((await app.db.selectFrom("audit_events").select((eb) => eb.fn.countAll().as("n")).where("action", "=", "meeting.list").where("actor_user_id", "=", users.nav!).executeTakeFirstOrThrow()).n);
    const before = await count();
    await listOf(nav, "2027-01-01T00:00:00Z", "2027-12-31T00:00:00Z");
    expect(await count()).toBe(before + 1);
  });

  test("a range over 400 days or backwards is refused", async () => {
    const long = await nav.query("meetings.list", { from: "2027-01-01T00:00:00Z", to: "2028-03-01T00:00:00Z" });
    expect(long.ok || long.error.data.appCode).toBe("VALIDATION");
    const backwards = await nav.query("meetings.list", { from: "2027-02-01T00:00:00Z", to: "2027-01-01T00:00:00Z" });
    expect(backwards.ok || backwards.error.data.appCode).toBe("VALIDATION");
  });
});

type MeetingView = {
  meeting: { id: string; seriesId: string; recurrenceId: string; start: string; end: string; status: string; place: string | null; minutesState: string; minutesVersion: number; sequence: number };
  series: { id: string; kind: string; title: string; chairUserId: string | null };
  participants: { units: { id: string; name: string }[]; users: { id: string; name: string }[]; externals: { id: string; name: string; role: string }[] };
  attendance: { userId: string | null; externalParticipantId: string | null; status: string }[];
  abilities: { edit: boolean; recordAttendance: boolean; approveMinutes: boolean; writeAgenda: boolean };
};

describe("open and get", () => {
  test("open makes the occurrence a meeting once, whoever asks, and refuses a date that is not an occurrence", async () => {
    const recurrenceId = "2027-01-14T09:00:00";
    const [a, b] = await Promise.all([nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId }), health.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId })]);
    expect(a.meetingId).toBe(b.meetingId);
    expect((await nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId })).meetingId).toBe(a.meetingId);
    expect((await listOf(nav, ...JAN, [seriesId])).find((o) => o.recurrenceId === recurrenceId)!.meetingId).toBe(a.meetingId);
    for (const wrong of ["2027-01-14T10:00:00", "2027-01-15T09:00:00", "2026-12-31T09:00:00"]) {
      const res = await nav.mutation("meetings.open", { seriesId, recurrenceId: wrong });
      expect(res.ok || res.error.data.appCode, wrong).toBe("NOT_AN_OCCURRENCE");
    }
    const hidden = await barnevern.mutation("meetings.open", { seriesId, recurrenceId });
    expect(hidden.ok || hidden.error.data.appCode).toBe("NOT_FOUND");
  });

  test("get gives the meeting, its series, people and each reader's abilities", async () => {
    const { meetingId } = await nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId: "2027-01-21T09:00:00" });
    const got = await nav.queryOk<MeetingView>("meetings.get", { meetingId });
    expect(got.meeting).toEqual({
      id: meetingId,
      seriesId,
      recurrenceId: "2027-01-21T09:00:00",
      start: "2027-01-21T08:00:00.000Z",
      end: "2027-01-21T09:00:00.000Z",
      status: "planned",
      place: "Møterom 2",
      videoLink: null,
      minutesState: "draft",
      minutesVersion: 0,
      sequence: 0,
    });
    expect(got.series).toMatchObject({ id: seriesId, kind: "flyt_mote", kindName: null, title: "Flyt-møte test", chairUserId: users.nav, minuteTakerUserId: users.helsesykepleier });
    expect(got.participants.externals.map((e) => e.name)).toEqual(["Mor"]);
    // The chair (NAV, the organiser unit) may do everything; the minute-taker records attendance and submits the minutes; every party puts items on the agenda.
    expect(got.abilities).toEqual({ edit: true, recordAttendance: true, approveMinutes: true, submitMinutes: true, writeAgenda: true });
    expect((await health.queryOk<MeetingView>("meetings.get", { meetingId })).abilities).toEqual({ edit: false, recordAttendance: true, approveMinutes: false, submitMinutes: true, writeAgenda: true });
    expect((await school.queryOk<MeetingView>("meetings.get", { meetingId })).abilities).toEqual({ edit: false, recordAttendance: false, approveMinutes: false, submitMinutes: false, writeAgenda: true });
    for (const outsider of [barnevern, stranger]) {
      const res = await outsider.query("meetings.get", { meetingId });
      expect(res.ok || res.error.data.appCode).toBe("NOT_FOUND");
    }
  });
});

describe("attendance", () => {
  test("the minute-taker records who came, for people with an account and the external participants; a later entry replaces one", async () => {
    const { meetingId } = await nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId: "2027-01-28T09:00:00" });
    const mor = (await nav.queryOk<MeetingView>("meetings.get", { meetingId })).participants.externals[0]!.id;
    await health.mutationOk("meetings.setAttendance", {
      meetingId,
      entries: [
        { userId: users.nav, status: "present" },
        { userId: users.koordinator, status: "absent" },
        { externalParticipantId: mor, status: "present" },
      ],
    });
    await health.mutationOk("meetings.setAttendance", { meetingId, entries: [{ userId: users.koordinator, status: "excused" }] });
    const { attendance } = await nav.queryOk<MeetingView>("meetings.get", { meetingId });
    expect(attendance.map((a) => [a.userId ?? a.externalParticipantId, a.status]).sort()).toEqual(
      [
        [users.nav, "present"],
        [users.koordinator, "excused"],
        [mor, "present"],
      ].sort(),
    );
  });

  test("only for the meeting's people, and only by the chair, the minute-taker or the organiser unit", async () => {
    const { meetingId } = await nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId: "2027-01-07T09:00:00" });
    const notParticipant = await nav.mutation("meetings.setAttendance", { meetingId, entries: [{ userId: users.barnevern, status: "present" }] });
    expect(notParticipant.ok || [notParticipant.error.data.appCode, Object.keys(notParticipant.error.data.fieldErrors ?? {})]).toEqual(["VALIDATION", ["entries.0.userId"]]);
    const strangerExternal = await nav.mutation("meetings.setAttendance", { meetingId, entries: [{ externalParticipantId: "00000000-0000-4000-8000-000000000000", status: "present" }] });
    expect(strangerExternal.ok || strangerExternal.error.data.appCode).toBe("VALIDATION");
    const byParticipant = await school.mutation("meetings.setAttendance", { meetingId, entries: [{ userId: users.koordinator, status: "present" }] });
    expect(byParticipant.ok || byParticipant.error.data.appCode).toBe("FORBIDDEN");
    const byOutsider = await barnevern.mutation("meetings.setAttendance", { meetingId, entries: [{ userId: users.barnevern, status: "present" }] });
    expect(byOutsider.ok || byOutsider.error.data.appCode).toBe("NOT_FOUND");
  });
});
