import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CallerClient } from "../testing/caller-client.ts";
import { createMunicipality } from "../testing/factories.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { demoUserIds, flytInput, listOf, unitIdsByName } from "./testing.ts";

// Series CRUD, validation and the three kinds of edit, through the procedures.

let app: TestApp;
let nav: CallerClient;
let school: CallerClient;
let health: CallerClient;
let barnevern: CallerClient;
let volunteer: CallerClient;
let units: Record<string, string>;
let users: Record<string, string>;
let otherUnitId: string;

beforeAll(async () => {
  app = await startTestApp();
  const as = (who: string) => app.signedIn(`${who}@demo.laget.no`);
  [nav, school, health, barnevern, volunteer] = await Promise.all([as("nav"), as("koordinator"), as("helsesykepleier"), as("barnevern"), as("frivillig")]);
  units = await unitIdsByName(nav);
  users = await demoUserIds(app.db);
  const other = await createMunicipality(app.db, { name: "Annen kommune", units: [{ name: "Annen NAV", kind: "nav" }] });
  otherUnitId = other.unitIds["Annen NAV"]!;
});
afterAll(() => app?.stop());

type SeriesView = {
  series: Record<string, unknown> & { sequence: number; rrule: string | null; cancelled: boolean };
  participants: { units: { id: string; name: string }[]; users: { id: string; name: string }[]; externals: { id: string; name: string; role: string }[] };
  abilities: { edit: boolean };
};

const create = (client: CallerClient, overrides: Record<string, unknown> = {}) => client.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(units, users, overrides));

describe("create and read", () => {
  test("the organiser unit creates a series; its rule is stored as RRULE text with a local DTSTART, and reads back as the editor sent it", async () => {
    const { seriesId } = await create(nav, { exdates: ["2027-01-21T09:00"] });
    const got = await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId });
    expect(got.series).toMatchObject({
      id: seriesId,
      kind: "flyt_mote",
      kindName: null,
      title: "Flyt-møte test",
      organiserUnitId: units["NAV Fjellheim"],
      chairUserId: users.nav,
      minuteTakerUserId: users.helsesykepleier,
      place: "Møterom 2",
      videoLink: null,
      durationMinutes: 60,
      dtstartLocal: "2027-01-07T09:00:00",
      rrule: "FREQ=WEEKLY;BYDAY=TH",
      recurrence: { freq: "weekly", interval: 1, byWeekday: ["TH"], end: { kind: "never" } },
      exdates: ["2027-01-21T09:00:00"],
      holidayPolicy: "none",
      sequence: 0,
      cancelled: false,
    });
    expect(got.participants.units.map((u) => u.name).sort()).toEqual(["Fjellheim skole", "Helsestasjonen"]);
    expect(got.participants.externals).toEqual([{ id: expect.any(String), name: "Mor", role: "Forelder" }]);
    expect(got.abilities).toEqual({ edit: true });
    // A participating unit reads it but may not change it; an outsider does not learn it exists.
    expect((await health.queryOk<SeriesView>("meetings.getSeries", { seriesId })).abilities).toEqual({ edit: false });
    const hidden = await barnevern.query("meetings.getSeries", { seriesId });
    expect(hidden.ok || hidden.error.data.appCode).toBe("NOT_FOUND");
  });

  test("the kinds are the Norwegian defaults until the municipality has its own", async () => {
    const { kinds } = await nav.queryOk<{ kinds: { key: string; name: string | null }[] }>("meetings.kinds");
    expect(kinds.map((k) => k.key)).toEqual(["flyt_mote", "ansvarsgruppe", "slt_koordineringsgruppe", "politirad", "forum", "overforingsmote", "annet"]);
    expect(kinds.every((k) => k.name === null)).toBe(true);
  });

  test("preview gives the next ten dates with holidays marked (and skipped where the policy drops them)", async () => {
    const { occurrences } = await nav.queryOk<{ occurrences: { recurrenceId: string; skipped: string | null; holiday: string | null }[] }>("meetings.preview", {
      dtstartLocal: "2027-05-10T09:00:00",
      recurrence: { freq: "daily", interval: 1, end: { kind: "never" } },
      holidayPolicy: "drop",
      durationMinutes: 60,
    });
    expect(occurrences).toHaveLength(10);
    const may17 = occurrences.find((o) => o.recurrenceId === "2027-05-17T09:00:00");
    expect(may17).toMatchObject({ skipped: "holiday", holiday: expect.any(String) });
  });
});

describe("validation", () => {
  const refusal = async (client: CallerClient, overrides: Record<string, unknown>) => {
    const res = await client.mutation("meetings.createSeries", flytInput(units, users, overrides));
    if (res.ok) throw new Error("accepted");
    return { appCode: res.error.data.appCode, fields: Object.keys(res.error.data.fieldErrors ?? {}) };
  };

  test("a rule the engine refuses is INVALID_RECURRENCE naming the field", async () => {
    expect(await refusal(nav, { recurrence: { freq: "weekly", interval: 1, setPos: 2, end: { kind: "never" } } })).toEqual({ appCode: "INVALID_RECURRENCE", fields: ["recurrence.setPos"] });
    expect(await refusal(nav, { recurrence: { freq: "weekly", interval: 1, end: { kind: "until", date: "2026-12-01" } } })).toEqual({ appCode: "INVALID_RECURRENCE", fields: ["recurrence.end"] });
    expect(await refusal(nav, { recurrence: { freq: "monthly", interval: 1, monthlyBy: "weekday", byWeekday: ["MO", "TU"], end: { kind: "never" } } })).toEqual({
      appCode: "INVALID_RECURRENCE",
      fields: ["recurrence.byWeekday"],
    });
    // Shape errors stop at zod.
    expect((await refusal(nav, { recurrence: { freq: "weekly", interval: 0, end: { kind: "never" } } })).appCode).toBe("VALIDATION");
    expect((await refusal(nav, { dtstartLocal: "2027-02-30T09:00" })).appCode).toBe("VALIDATION");
  });

  test("units and people must be active ones of the municipality; the chair and minute-taker must take part", async () => {
    expect(await refusal(nav, { participantUnitIds: [units.PPT, otherUnitId] })).toEqual({ appCode: "VALIDATION", fields: ["participantUnitIds.1"] });
    expect(await refusal(nav, { participantUserIds: [users.nav, "00000000-0000-4000-8000-000000000000"] })).toEqual({ appCode: "VALIDATION", fields: ["participantUserIds.1"] });
    // Berit (Barneverntjenesten) is neither named nor in a participating unit.
    expect(await refusal(nav, { minuteTakerUserId: users.barnevern })).toEqual({ appCode: "VALIDATION", fields: ["minuteTakerUserId"] });
    expect(await refusal(nav, { chairUserId: users.barnevern })).toEqual({ appCode: "VALIDATION", fields: ["chairUserId"] });
    // Named, she may.
    await create(nav, { chairUserId: users.barnevern, participantUserIds: [users.barnevern] });
    expect(await refusal(nav, { kind: "romskip" })).toEqual({ appCode: "VALIDATION", fields: ["kind"] });
  });

  test("only the organiser unit's staff create its meetings; a volunteer contact never", async () => {
    expect((await refusal(school, {})).appCode).toBe("FORBIDDEN");
    expect((await refusal(volunteer, { organiserUnitId: units["Røde Kors Fjellheim"], chairUserId: null, minuteTakerUserId: null })).appCode).toBe("FORBIDDEN");
  });
});

describe("edits", () => {
  const Q1 = ["2027-01-01T00:00:00Z", "2027-04-01T00:00:00Z"] as const;

  test("all: the series changes and its SEQUENCE is raised; only its editors may", async () => {
    const { seriesId } = await create(nav);
    await nav.mutationOk("meetings.updateSeries", { seriesId, scope: "all", changes: { title: "Flyt-møte (nytt navn)", durationMinutes: 90, externalParticipants: [{ name: "Mor", role: "Forelder" }, { name: "Far", role: "Forelder" }] } });
    const got = await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId });
    expect(got.series).toMatchObject({ title: "Flyt-møte (nytt navn)", durationMinutes: 90, sequence: 1 });
    expect(got.participants.externals.map((e) => e.name)).toEqual(["Far", "Mor"]);
    const list = await listOf(nav, ...Q1, [seriesId]);
    expect(list.every((o) => o.title === "Flyt-møte (nytt navn)" && Date.parse(o.end) - Date.parse(o.start) === 90 * 60_000)).toBe(true);
    const refused = await health.mutation("meetings.updateSeries", { seriesId, scope: "all", changes: { title: "Nei" } });
    expect(refused.ok || refused.error.data.appCode).toBe("FORBIDDEN");
    const hidden = await barnevern.mutation("meetings.updateSeries", { seriesId, scope: "all", changes: { title: "Nei" } });
    expect(hidden.ok || hidden.error.data.appCode).toBe("NOT_FOUND");
  });

  test("only this: a move and a cancellation change that occurrence alone and raise its SEQUENCE", async () => {
    const { seriesId } = await create(nav);
    const { meetingId } = await nav.mutationOk<{ meetingId: string }>("meetings.updateOccurrence", { seriesId, recurrenceId: "2027-01-14T09:00:00", movedToLocal: "2027-01-15T12:30:00", place: "Rådhuset" });
    await nav.mutationOk("meetings.updateOccurrence", { seriesId, recurrenceId: "2027-01-21T09:00:00", status: "cancelled" });
    const list = await listOf(nav, "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", [seriesId]);
    expect(list.map((o) => [o.recurrenceId, o.start, o.status, o.moved, o.place])).toEqual([
      ["2027-01-07T09:00:00", "2027-01-07T08:00:00.000Z", "planned", false, "Møterom 2"],
      ["2027-01-14T09:00:00", "2027-01-15T11:30:00.000Z", "planned", true, "Rådhuset"],
      ["2027-01-21T09:00:00", "2027-01-21T08:00:00.000Z", "cancelled", false, "Møterom 2"],
      ["2027-01-28T09:00:00", "2027-01-28T08:00:00.000Z", "planned", false, "Møterom 2"],
    ]);
    expect(list[1]!.meetingId).toBe(meetingId);
    const { meeting } = await nav.queryOk<{ meeting: { start: string; sequence: number; place: string } }>("meetings.get", { meetingId });
    expect(meeting).toMatchObject({ start: "2027-01-15T11:30:00.000Z", sequence: 1, place: "Rådhuset" });
    // Not an occurrence of the rule (a Wednesday): refused.
    const wrong = await nav.mutation("meetings.updateOccurrence", { seriesId, recurrenceId: "2027-01-13T09:00:00", status: "cancelled" });
    expect(wrong.ok || wrong.error.data.appCode).toBe("NOT_AN_OCCURRENCE");
    // The series itself is untouched.
    expect((await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId })).series.sequence).toBe(0);
  });

  test("this and following: the old series ends with UNTIL, a new one continues with the changes and takes the occurrence rows that are its own", async () => {
    const { seriesId } = await create(nav);
    const open = (recurrenceId: string) => nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId });
    const early = await open("2027-01-21T09:00:00");
    const later = await open("2027-02-11T09:00:00");
    const { seriesId: next } = await nav.mutationOk<{ seriesId: string }>("meetings.updateSeries", {
      seriesId,
      scope: "following",
      recurrenceId: "2027-02-04T09:00:00",
      changes: { title: "Flyt-møte fra februar", participantUnitIds: [units["Fjellheim skole"]], minuteTakerUserId: users.koordinator },
    });
    expect(next).not.toBe(seriesId);
    const old = await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId });
    expect(old.series.rrule).toMatch(/UNTIL=20270204T075959Z/);
    expect(old.series.sequence).toBe(1);
    const created = await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId: next });
    expect(created.series).toMatchObject({ title: "Flyt-møte fra februar", dtstartLocal: "2027-02-04T09:00:00", sequence: 0 });
    expect(created.participants.units.map((u) => u.name)).toEqual(["Fjellheim skole"]);
    expect(created.participants.externals.map((e) => e.name)).toEqual(["Mor"]);
    const row = await app.db.selectFrom("meeting_series").select("split_from_series_id").where("id", "=", next).executeTakeFirstOrThrow();
    expect(row.split_from_series_id).toBe(seriesId);

    // Together they hold every Thursday once: the old title before the split, the new from it.
    const list = await listOf(nav, ...Q1, [seriesId, next]);
    expect(list.map((o) => o.recurrenceId)).toEqual(Array.from(new Set(list.map((o) => o.recurrenceId))));
    expect(list.filter((o) => o.seriesId === seriesId).map((o) => o.recurrenceId)).toEqual(["2027-01-07T09:00:00", "2027-01-14T09:00:00", "2027-01-21T09:00:00", "2027-01-28T09:00:00"]);
    expect(list.filter((o) => o.seriesId === next).every((o) => o.title === "Flyt-møte fra februar")).toBe(true);
    // The meeting row after the split moved with its id (its agenda would follow); the one before stayed.
    const rows = await app.db.selectFrom("meetings").select(["id", "series_id"]).where("id", "in", [early.meetingId, later.meetingId]).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.series_id]))).toEqual({ [early.meetingId]: seriesId, [later.meetingId]: next });
    expect(list.find((o) => o.recurrenceId === "2027-02-11T09:00:00")!.meetingId).toBe(later.meetingId);
    // The health station is no longer in the new series: it does not see it.
    expect((await listOf(health, ...Q1, [next])).length).toBe(0);
    expect((await listOf(health, ...Q1, [seriesId])).length).toBe(4);
  });

  test("this and following at a new time leaves the old rows (no longer occurrences of the new rule) where they were", async () => {
    const { seriesId } = await create(nav);
    const later = await nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId, recurrenceId: "2027-02-11T09:00:00" });
    const { seriesId: next } = await nav.mutationOk<{ seriesId: string }>("meetings.updateSeries", {
      seriesId,
      scope: "following",
      recurrenceId: "2027-02-04T09:00:00",
      changes: { dtstartLocal: "2027-02-04T10:00:00" },
    });
    const list = await listOf(nav, "2027-02-01T00:00:00Z", "2027-02-15T00:00:00Z", [seriesId, next]);
    expect(list.map((o) => [o.seriesId === next, o.recurrenceId])).toEqual([
      [true, "2027-02-04T10:00:00"],
      [true, "2027-02-11T10:00:00"],
    ]);
    expect((await app.db.selectFrom("meetings").select("series_id").where("id", "=", later.meetingId).executeTakeFirstOrThrow()).series_id).toBe(seriesId);
  });

  test("this and following from the first occurrence is all; from a date that is not an occurrence it is refused", async () => {
    const { seriesId } = await create(nav);
    const same = await nav.mutationOk<{ seriesId: string }>("meetings.updateSeries", { seriesId, scope: "following", recurrenceId: "2027-01-07T09:00:00", changes: { title: "Alle" } });
    expect(same.seriesId).toBe(seriesId);
    expect((await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId })).series).toMatchObject({ title: "Alle", sequence: 1 });
    const wrong = await nav.mutation("meetings.updateSeries", { seriesId, scope: "following", recurrenceId: "2027-01-08T09:00:00", changes: { title: "Nei" } });
    expect(wrong.ok || wrong.error.data.appCode).toBe("NOT_AN_OCCURRENCE");
    const missing = await nav.mutation("meetings.updateSeries", { seriesId, scope: "following", changes: { title: "Nei" } });
    expect(missing.ok || missing.error.data.appCode).toBe("VALIDATION");
  });

  test("a cancelled series shows its occurrences from then on as cancelled and takes no more edits", async () => {
    const { seriesId } = await create(nav, { dtstartLocal: "2020-01-02T09:00:00", recurrence: { freq: "weekly", interval: 1, byWeekday: ["TH"], end: { kind: "never" } } });
    await nav.mutationOk("meetings.cancelSeries", { seriesId });
    const got = await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId });
    expect(got.series).toMatchObject({ cancelled: true, sequence: 1 });
    const list = await listOf(nav, ...Q1, [seriesId]);
    expect(list.length).toBeGreaterThan(10);
    expect(list.every((o) => o.status === "cancelled")).toBe(true);
    const refused = await nav.mutation("meetings.updateSeries", { seriesId, scope: "all", changes: { title: "Nei" } });
    expect(refused.ok || refused.error.data.appCode).toBe("INVALID_STATE");
    const one = await nav.mutation("meetings.updateOccurrence", { seriesId, recurrenceId: "2027-01-07T09:00:00", place: "Nei" });
    expect(one.ok || one.error.data.appCode).toBe("INVALID_STATE");
  });
});

describe("the municipality's own kinds", () => {
  test("replace the defaults for new series, named; a series of a kind no longer offered keeps it through edits", async () => {
    const { seriesId: old } = await create(nav);
    const { municipality_id } = await app.db.selectFrom("units").select("municipality_id").where("id", "=", units.PPT!).executeTakeFirstOrThrow();
    await app.db.insertInto("meeting_settings").values({ municipality_id, kinds: JSON.stringify([{ key: "samarbeid", name: "Samarbeidsmøte" }, { key: "ansvarsgruppe", name: null }]) }).execute();
    try {
      expect((await nav.queryOk<{ kinds: unknown[] }>("meetings.kinds")).kinds).toEqual([
        { key: "samarbeid", name: "Samarbeidsmøte" },
        { key: "ansvarsgruppe", name: null },
      ]);
      const { seriesId } = await create(nav, { kind: "samarbeid" });
      expect((await nav.queryOk<SeriesView>("meetings.getSeries", { seriesId })).series).toMatchObject({ kind: "samarbeid", kindName: "Samarbeidsmøte" });
      expect((await listOf(nav, "2027-01-01T00:00:00Z", "2027-01-08T00:00:00Z", [seriesId]))[0]).toMatchObject({ kind: "samarbeid", kindName: "Samarbeidsmøte" });
      const refused = await nav.mutation("meetings.createSeries", flytInput(units, users));
      expect(refused.ok || refused.error.data.appCode).toBe("VALIDATION");
      await nav.mutationOk("meetings.updateSeries", { seriesId: old, scope: "all", changes: { title: "Fortsatt flyt-møte" } });
    } finally {
      await app.db.deleteFrom("meeting_settings").execute();
    }
  });
});
