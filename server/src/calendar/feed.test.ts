import ICAL from "ical.js";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/connect.ts";
import { expandSeries, splitSeries, type RecurrenceSpec } from "../meetings/recurrence.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { createUser, sessionCookie, userIdByEmail } from "../testing/factories.ts";
import { HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { createLogger } from "../log.ts";
import { createRateLimiter } from "../messaging/rate-limit.ts";
import { exdatesOf, specOf } from "../meetings/series-values.ts";
import { feedRrule } from "./feed.ts";
import { calendarRoutes } from "./routes.ts";

/**
 * The calendar feed end to end over HTTP: tokens (shown once, hashed, revocable), the feed
 * parsed and expanded by an independent implementation (ical.js) against what Laget shows
 * (expandSeries), its raw text (CRLF, folding, UTC stamps, VTIMEZONE), what it must never
 * say, and who gets which series. Series rows are written straight to the database.
 */

const tag = randomBytes(3).toString("hex");
const SUBJECT = `Sofie Kalendersak ${tag}`;
const EXTERNAL = `Per Forelder ${tag}`;
const TITLE = `Ansvarsgruppe for ${SUBJECT} med Barneverntjenesten`;
const AGENDA = `Oppfølging av ${SUBJECT}`;
const TZ = "Europe/Oslo";
const FROM = new Date("2026-01-01T00:00:00Z");
const TO = new Date("2028-01-01T00:00:00Z");

let server: TestServer;
let db: Db;
let municipalityId: string;
let units: Record<string, string>;
let koordinatorId: string;
let coordinator: HttpClient;
let nav: HttpClient;
let outsider: HttpClient;
const series = {} as Record<"drop" | "move" | "before" | "after" | "single" | "atBarnevern" | "hidden" | "cancelled", string>;
let movedMeetingId: string;

async function clientFor(userId: string): Promise<HttpClient> {
  const c = new HttpClient(server.url);
  c.cookie = await sessionCookie(db, userId);
  return c;
}

type SeriesRow = {
  kind: string;
  title?: string;
  organiser: string;
  units?: string[];
  users?: string[];
  dtstartLocal: string;
  rrule: string | null;
  exdates?: string[];
  holidayPolicy?: "none" | "drop" | "move";
  place?: string | null;
  videoLink?: string | null;
  sequence?: number;
  cancelled?: boolean;
};

async function insertSeries(s: SeriesRow): Promise<string> {
  const { id } = await db
    .insertInto("meeting_series")
    .values({
      municipality_id: municipalityId,
      kind: s.kind,
      title: s.title ?? TITLE,
      organiser_unit_id: units[s.organiser]!,
      place: s.place ?? null,
      video_link: s.videoLink ?? null,
      duration_minutes: 90,
      dtstart_local: s.dtstartLocal,
      rrule: s.rrule,
      exdates: JSON.stringify(s.exdates ?? []),
      holiday_policy: s.holidayPolicy ?? "none",
      sequence: s.sequence ?? 0,
      cancelled_at: s.cancelled ? new Date() : null,
      created_by: koordinatorId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (s.units?.length) await db.insertInto("meeting_series_units").values(s.units.map((u) => ({ series_id: id, unit_id: units[u]! }))).execute();
  if (s.users?.length) await db.insertInto("meeting_series_users").values(s.users.map((u) => ({ series_id: id, user_id: u }))).execute();
  return id;
}

async function insertMeeting(seriesId: string, m: { recurrenceId: string; movedToLocal?: string; status?: string; sequence?: number; place?: string }) {
  return (
    await db
      .insertInto("meetings")
      .values({
        series_id: seriesId,
        municipality_id: municipalityId,
        recurrence_id: m.recurrenceId,
        moved_to_local: m.movedToLocal ?? null,
        status: m.status ?? "planned",
        sequence: m.sequence ?? 0,
        place: m.place ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
}

async function createToken(client: HttpClient, name = "Outlook") {
  return client.mutationOk<{ id: string; token: string; url: string }>("calendar.createToken", { name });
}

async function fetchFeed(url: string) {
  const res = await fetch(`${server.url}${url}`);
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

async function feedOf(client: HttpClient): Promise<string> {
  const { url } = await createToken(client, `feed ${randomBytes(2).toString("hex")}`);
  const res = await fetchFeed(url);
  expect(res.status).toBe(200);
  return res.text;
}

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");
const uidsIn = (ics: string) => new Set([...unfold(ics).matchAll(/^UID:(.+)$/gm)].map((m) => m[1]!.trim()));

beforeAll(async () => {
  server = await startTestServer();
  db = server.db;
  koordinatorId = await userIdByEmail(db, "koordinator@demo.laget.no");
  coordinator = await clientFor(koordinatorId);
  nav = await clientFor(await userIdByEmail(db, "nav@demo.laget.no"));
  outsider = await clientFor(await userIdByEmail(db, "helsesykepleier@demo.laget.no"));
  units = await unitIdsByName(coordinator);
  municipalityId = (await db.selectFrom("units").select("municipality_id").where("id", "=", units["Fjellheim skole"]!).executeTakeFirstOrThrow()).municipality_id;

  // A case about a child, named in the series' title and on an agenda: none of it may reach a calendar.
  const { caseId } = await createChildCase(coordinator, units["Fjellheim skole"]!, SUBJECT, 2013);

  // Weekly Thursday 09:00, holidays dropped; Barneverntjenesten takes part; one exdate, one move, one cancellation.
  series.drop = await insertSeries({
    kind: "ansvarsgruppe",
    organiser: "Fjellheim skole",
    units: ["NAV Fjellheim", "Barneverntjenesten"],
    dtstartLocal: "2026-01-08T09:00:00",
    rrule: "FREQ=WEEKLY;BYDAY=TH",
    exdates: ["2026-02-12T09:00:00"],
    holidayPolicy: "drop",
    place: "Rådhuset, møterom 2 – inngang fra gårdsplassen, andre etasje (heis)",
    sequence: 3,
  });
  movedMeetingId = await insertMeeting(series.drop, { recurrenceId: "2026-03-05T09:00:00", movedToLocal: "2026-03-06T13:00:00", sequence: 2 });
  await insertMeeting(series.drop, { recurrenceId: "2026-04-16T09:00:00", status: "cancelled", sequence: 1 });
  const held = await insertMeeting(series.drop, { recurrenceId: "2026-01-15T09:00:00", status: "held" });
  await db.insertInto("meeting_external_participants").values({ series_id: series.drop, name: EXTERNAL, role: "Forelder" }).execute();
  await db
    .insertInto("agenda_items")
    .values([
      { meeting_id: held, municipality_id: municipalityId, kind: "case", case_id: caseId, title: AGENDA, description: AGENDA, position: 1, created_by: koordinatorId },
      { meeting_id: held, municipality_id: municipalityId, kind: "topic", title: `${SUBJECT} (tema)`, position: 2, created_by: koordinatorId },
    ])
    .execute();

  // Weekly Thursday 09:00, holidays moved to the next working day; the coordinator invited by name.
  series.move = await insertSeries({
    kind: "flyt_mote",
    organiser: "NAV Fjellheim",
    users: [koordinatorId],
    dtstartLocal: "2026-01-08T09:00:00",
    rrule: "FREQ=WEEKLY;BYDAY=TH",
    holidayPolicy: "move",
    videoLink: "https://meet.example.no/flyt-bjerke",
  });

  // "This and following": a Tuesday series split at 30 June 2026, the old one ending with UNTIL.
  const tuesday: RecurrenceSpec = { dtstartLocal: "2026-01-06T10:00:00", tzid: TZ, rrule: "FREQ=WEEKLY;BYDAY=TU", exdates: [], holidayPolicy: "none", durationMinutes: 90 };
  const { before, after } = splitSeries({ spec: tuesday, recurrenceId: "2026-06-30T10:00:00" });
  series.before = await insertSeries({ kind: "slt_koordineringsgruppe", organiser: "Fjellheim skole", dtstartLocal: before.dtstartLocal, rrule: before.rrule });
  series.after = await insertSeries({ kind: "slt_koordineringsgruppe", organiser: "Fjellheim skole", dtstartLocal: after.dtstartLocal, rrule: after.rrule, place: "SLT-kontoret" });
  // Without a holiday policy: moved across the DST change, moved in place only, cancelled, and a row that changes nothing.
  await insertMeeting(series.after, { recurrenceId: "2026-10-20T10:00:00", movedToLocal: "2026-10-26T08:15:00", sequence: 1 });
  await insertMeeting(series.after, { recurrenceId: "2026-11-03T10:00:00", place: "Biblioteket", sequence: 1 });
  await insertMeeting(series.after, { recurrenceId: "2027-01-05T10:00:00", status: "cancelled", sequence: 1 });
  await insertMeeting(series.after, { recurrenceId: "2027-01-12T10:00:00", status: "held" });

  // A municipality's own kind, and a single meeting.
  series.single = await insertSeries({ kind: "barnevern_samrad", title: "Barnevernets samråd", organiser: "Fjellheim skole", dtstartLocal: "2026-09-10T14:00:00", rrule: null });

  // Not the coordinator's: Helsestasjonen's own series; and a cancelled one of the school's.
  // Held at a confidential unit: the place would tell who takes part.
  series.atBarnevern = await insertSeries({ kind: "forum", organiser: "Fjellheim skole", dtstartLocal: "2026-02-02T12:00:00", rrule: "FREQ=MONTHLY;BYDAY=1MO", place: "barneverntjenesten, 2. etg." });
  await insertMeeting(series.atBarnevern, { recurrenceId: "2026-03-02T12:00:00", place: "Hos barnevernet i Fjellheim" });

  series.hidden = await insertSeries({ kind: "forum", organiser: "Helsestasjonen", units: ["PPT"], dtstartLocal: "2026-01-05T12:00:00", rrule: "FREQ=WEEKLY;INTERVAL=6;BYDAY=MO" });
  series.cancelled = await insertSeries({ kind: "forum", organiser: "Fjellheim skole", dtstartLocal: "2026-01-05T12:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO", cancelled: true });
}, 120_000);
afterAll(() => server?.stop());

describe("tokens", () => {
  test("a token is shown once, kept only as its SHA-256, listed by name with its last use", async () => {
    const created = await createToken(coordinator, "Outlook på jobb");
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.token, "base64url")).toHaveLength(32);
    expect(created.url).toBe(`/api/calendar/feed/${created.token}.ics`);

    const row = await db.selectFrom("calendar_tokens").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const before = await coordinator.queryOk<{ tokens: { id: string; name: string; lastUsedAt: Date | null; revoked: boolean }[] }>("calendar.tokens");
    expect(JSON.stringify(before)).not.toContain(created.token);
    expect(before.tokens.find((t) => t.id === created.id)).toMatchObject({ name: "Outlook på jobb", lastUsedAt: null, revoked: false });

    expect((await fetchFeed(created.url)).status).toBe(200);
    const after = await coordinator.queryOk<{ tokens: { id: string; lastUsedAt: Date | null }[] }>("calendar.tokens");
    expect(after.tokens.find((t) => t.id === created.id)!.lastUsedAt).toBeInstanceOf(Date);
    // Another user's list does not hold it.
    const others = await nav.queryOk<{ tokens: { id: string }[] }>("calendar.tokens");
    expect(others.tokens.map((t) => t.id)).not.toContain(created.id);
  });

  test("a revoked token is a plain 404, the same as a made-up one; only its owner can revoke it", async () => {
    const created = await createToken(coordinator, "Google");
    expect((await fetchFeed(created.url)).status).toBe(200);

    const byOther = await nav.mutation("calendar.revokeToken", { tokenId: created.id });
    expect(byOther.ok ? null : byOther.error.data.appCode).toBe("NOT_FOUND");
    expect((await fetchFeed(created.url)).status).toBe(200);

    await coordinator.mutationOk("calendar.revokeToken", { tokenId: created.id });
    const revoked = await fetchFeed(created.url);
    const madeUp = await fetchFeed(`/api/calendar/feed/${randomBytes(32).toString("base64url")}.ics`);
    const malformed = await fetchFeed("/api/calendar/feed/abc.ics");
    expect(revoked.status).toBe(404);
    expect([madeUp, malformed].map((r) => [r.status, r.type, r.text])).toEqual([
      [404, revoked.type, revoked.text],
      [404, revoked.type, revoked.text],
    ]);
    expect(revoked.text).not.toMatch(/revok|token/i);
    const listed = await coordinator.queryOk<{ tokens: { id: string; revoked: boolean }[] }>("calendar.tokens");
    expect(listed.tokens.find((t) => t.id === created.id)!.revoked).toBe(true);
  });
});

describe("the feed", () => {
  let ics: string;
  beforeAll(async () => {
    ics = await feedOf(coordinator);
  });

  test("is iCalendar as RFC 5545 writes it: CRLF, lines of at most 75 octets, UTC stamps and UNTIL, a VTIMEZONE, no TIMEZONE-ID", () => {
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = ics.slice(0, -2).split("\r\n");
    expect(lines.filter((l) => Buffer.byteLength(l, "utf8") > 75)).toEqual([]);
    // The long place folds: there is at least one continuation line.
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    const unfolded = unfold(ics).split("\r\n");
    const stamps = unfolded.filter((l) => l.startsWith("DTSTAMP"));
    expect(stamps.length).toBeGreaterThan(3);
    for (const l of stamps) expect(l).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    for (const l of unfolded.filter((x) => x.startsWith("LAST-MODIFIED"))) expect(l).toMatch(/^LAST-MODIFIED:\d{8}T\d{6}Z$/);
    const untils = unfolded.filter((l) => l.includes("UNTIL="));
    expect(untils).toHaveLength(1);
    expect(untils[0]).toMatch(/UNTIL=\d{8}T\d{6}Z(;|$)/);
    expect(unfolded).toContain("BEGIN:VTIMEZONE");
    expect(unfolded).toContain("TZID:Europe/Oslo");
    expect(ics).not.toMatch(/TIMEZONE-ID/);
    expect(unfolded).toContain("X-WR-CALNAME:Laget – møter");
    for (const l of unfolded.filter((x) => x.startsWith("DTSTART") && !x.startsWith("DTSTART:19"))) expect(l).toMatch(/^DTSTART;TZID=Europe\/Oslo:\d{8}T\d{6}$/);
  });

  test("one VEVENT per series with a stable UID and its SEQUENCE; overrides raise it", async () => {
    const unfolded = unfold(ics);
    const events = unfolded.split("BEGIN:VEVENT").slice(1);
    const masters = events.filter((e) => !e.includes("RECURRENCE-ID"));
    const uids = masters.map((e) => /UID:(.+)\r\n/.exec(e)![1]);
    // The test's series, beside the demo's (the coordinator is in those too).
    for (const id of [series.drop, series.move, series.before, series.after, series.single, series.atBarnevern]) expect(uids).toContain(`${id}@laget`);
    expect(new Set(uids).size).toBe(uids.length);
    const drop = masters.find((e) => e.includes(`UID:${series.drop}@laget`))!;
    expect(drop).toContain("SEQUENCE:3\r\n");
    const moved = events.find((e) => e.includes(`UID:${series.drop}@laget`) && e.includes("RECURRENCE-ID;TZID=Europe/Oslo:20260305T090000"))!;
    expect(moved).toContain("SEQUENCE:5\r\n");
    expect(moved).toContain("DTSTART;TZID=Europe/Oslo:20260306T130000");
    // The same feed twice is the same text: nothing in it changes by itself.
    expect(await feedOf(coordinator)).toBe(ics);
  });

  test("says only what and where: neutral kind labels, no names, titles, agenda, attendees or confidential units", () => {
    const text = unfold(ics);
    for (const secret of [SUBJECT, TITLE, AGENDA, EXTERNAL, "Barneverntjenesten", "Barnevernets samråd", "child_welfare"]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(text).not.toMatch(/barnevern/i);
    expect(text).not.toMatch(/^(ATTENDEE|ORGANIZER|DESCRIPTION|COMMENT|CONTACT)[:;]/m);
    const summaries = new Set([...text.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1]!.trim()));
    const neutral = ["Flyt-møte", "Møte i ansvarsgruppe", "SLT-koordineringsgruppe", "Politiråd", "Forum", "Overføringsmøte", "Møte"];
    expect([...summaries].filter((x) => !neutral.includes(x))).toEqual([]);
    for (const label of ["Flyt-møte", "Møte", "Møte i ansvarsgruppe", "SLT-koordineringsgruppe"]) expect(summaries).toContain(label);
    // A place at a confidential unit is left out (the event itself stays).
    const atBarnevern = text.split("BEGIN:VEVENT").find((e) => e.includes(`UID:${series.atBarnevern}@laget`))!;
    expect(atBarnevern).toBeDefined();
    expect(atBarnevern).not.toMatch(/^LOCATION/m);
    expect(text).toContain("LOCATION:Biblioteket");
    expect(text).toMatch(/^CLASS:PRIVATE$/m);
  });

  test("ical.js expands it to exactly the dates and local times Laget shows, over two years with both DST changes and holidays", async () => {
    const shown = new Map<string, string[]>();
    // Every series in the feed (the demo's too).
    const inFeed = [...uidsIn(ics)].map((uid) => uid.replace(/@laget$/, ""));
    const rows = await db.selectFrom("meeting_series").selectAll().where("id", "in", inFeed).execute();
    expect(rows.length).toBe(inFeed.length);
    for (const s of rows) {
      const meetings = await db.selectFrom("meetings").selectAll().where("series_id", "=", s.id).execute();
      const occurrences = expandSeries({
        spec: specOf(s),
        overrides: meetings.map((m) => ({ recurrenceId: m.recurrence_id, movedToLocal: m.moved_to_local, durationMinutes: m.duration_minutes, status: m.status as "planned" })),
        from: FROM,
        to: TO,
      });
      shown.set(`${s.id}@laget`, occurrences.map((o) => `${o.startLocal} ${o.start.toISOString()} ${o.end.toISOString()}`));
    }

    const calendar = new ICAL.Component(ICAL.parse(ics));
    for (const vtz of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
    const byUid = new Map<string, ICAL.Component[]>();
    for (const ve of calendar.getAllSubcomponents("vevent")) {
      const uid = String(ve.getFirstPropertyValue("uid"));
      byUid.set(uid, [...(byUid.get(uid) ?? []), ve]);
    }
    const parsed = new Map<string, string[]>();
    const end = ICAL.Time.fromJSDate(TO, true);
    const start = ICAL.Time.fromJSDate(FROM, true);
    for (const [uid, components] of byUid) {
      // Exceptions by UID only (ical.js would otherwise take every RECURRENCE-ID in the calendar).
      const exceptions = components.filter((x) => x.hasProperty("recurrence-id"));
      const master = new ICAL.Event(components.find((c) => !c.hasProperty("recurrence-id"))!, { strictExceptions: true, exceptions });
      const out: string[] = [];
      const it = master.iterator();
      for (let next = it.next(); next && next.compare(end) < 0; next = it.next()) {
        const d = master.getOccurrenceDetails(next);
        if (d.endDate.compare(start) <= 0 || d.startDate.compare(end) >= 0) continue;
        const local = d.startDate.toString().slice(0, 19);
        out.push(`${local} ${d.startDate.toJSDate().toISOString()} ${d.endDate.toJSDate().toISOString()}`);
      }
      out.sort((a, b) => a.split(" ")[1]!.localeCompare(b.split(" ")[1]!));
      parsed.set(uid, out);
    }
    expect([...parsed.keys()].sort()).toEqual([...shown.keys()].sort());
    for (const [uid, expected] of shown) expect(parsed.get(uid), uid).toEqual(expected);

    // The cases this test is about are in there (not an empty comparison).
    const drop = shown.get(`${series.drop}@laget`)!;
    const move = shown.get(`${series.move}@laget`)!;
    const has = (list: string[], local: string) => list.some((l) => l.startsWith(local));
    expect(has(drop, "2026-03-26T09:00:00")).toBe(true);
    expect(has(drop, "2026-04-02")).toBe(false); // Maundy Thursday, dropped
    expect(has(drop, "2026-05-14")).toBe(false); // Ascension Day 2026
    expect(has(drop, "2027-05-06")).toBe(false); // Ascension Day 2027
    expect(has(drop, "2027-03-25")).toBe(false); // Maundy Thursday 2027
    expect(has(drop, "2026-02-12")).toBe(false); // exdate
    expect(has(drop, "2026-04-16")).toBe(false); // cancelled
    expect(has(drop, "2026-03-06T13:00:00")).toBe(true); // moved
    expect(has(drop, "2026-10-29T09:00:00") && drop.some((l) => l.startsWith("2026-10-29T09:00:00 2026-10-29T08:00:00.000Z"))).toBe(true); // after DST ends: 09:00 is 08:00Z
    expect(drop.some((l) => l.startsWith("2026-04-09T09:00:00 2026-04-09T07:00:00.000Z"))).toBe(true); // summer time: 07:00Z
    expect(has(move, "2026-04-07T09:00:00")).toBe(true); // Maundy Thursday → Tuesday after Easter Monday
    expect(has(move, "2026-05-15T09:00:00")).toBe(true); // Ascension Day → Friday
    expect(shown.get(`${series.before}@laget`)!.at(-1)).toMatch(/^2026-06-23T10:00:00/);
    expect(shown.get(`${series.after}@laget`)![0]).toMatch(/^2026-06-30T10:00:00/);
    const after = shown.get(`${series.after}@laget`)!;
    expect(has(after, "2026-10-26T08:15:00") && !has(after, "2026-10-20") && !has(after, "2027-01-05") && has(after, "2027-01-12T10:00:00")).toBe(true);
    expect(ics).toContain("LOCATION:Biblioteket");
  });

  test("holds only the user's own series: another user's never, and a user taken out of a participating unit loses it", async () => {
    expect(uidsIn(ics)).not.toContain(`${series.hidden}@laget`);
    expect(uidsIn(ics)).not.toContain(`${series.cancelled}@laget`);
    expect(uidsIn(await feedOf(outsider))).toContain(`${series.hidden}@laget`);
    expect(uidsIn(await feedOf(outsider))).not.toContain(`${series.drop}@laget`);

    const userId = await createUser(db, { municipalityId, email: `nav-${tag}@demo.laget.no`, memberships: [{ unitId: units["NAV Fjellheim"]!, role: "caseworker" }] });
    const navUser = await clientFor(userId);
    const { url } = await createToken(navUser);
    expect(uidsIn((await fetchFeed(url)).text)).toContain(`${series.drop}@laget`);
    await db.deleteFrom("memberships").where("user_id", "=", userId).execute();
    const after = await fetchFeed(url);
    expect(after.status).toBe(200);
    expect(uidsIn(after.text)).not.toContain(`${series.drop}@laget`);
    expect(uidsIn(await feedOf(nav))).toContain(`${series.drop}@laget`);

    // A deactivated user's addresses stop answering at all.
    await db.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", userId).execute();
    expect((await fetchFeed(url)).status).toBe(404);
  });
});

test("a token polled in a loop gets 429 once its bucket is empty; an unknown one gets no bucket", async () => {
  const app = calendarRoutes({ db, log: createLogger("silent"), feedLimiter: createRateLimiter({ burst: 2, perSecond: 0 }) });
  const { token } = await createToken(coordinator, "Løkke");
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await app.request(`/calendar/feed/${token}.ics`)).status);
  expect(statuses).toEqual([200, 200, 429]);
  const unknown = randomBytes(32).toString("base64url");
  for (let i = 0; i < 3; i++) expect((await app.request(`/calendar/feed/${unknown}.ics`)).status).toBe(404);
});

describe("a single meeting as .ics", () => {
  const download = (meetingId: string, client: HttpClient | null) =>
    fetch(`${server.url}/api/meetings/${meetingId}.ics`, { headers: client?.cookie ? { cookie: client.cookie } : {} });

  test("downloads for a party to it, where it actually is, and is a 404 for anyone else", async () => {
    const res = await download(movedMeetingId, coordinator);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment/);
    const text = await res.text();
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!);
    expect(event.startDate.toString().slice(0, 19)).toBe("2026-03-06T13:00:00");
    expect(text).toContain("METHOD:PUBLISH");
    expect(text).toContain("SEQUENCE:5");
    expect(unfold(text)).not.toContain(SUBJECT);
    expect(text).not.toMatch(/barnevern/i);

    const hidden = await download(movedMeetingId, outsider);
    const unknown = await download("00000000-0000-4000-8000-000000000000", coordinator);
    expect([hidden.status, await hidden.text()]).toEqual([404, await unknown.text()]);
    expect(unknown.status).toBe(404);
    expect((await download(movedMeetingId, null)).status).toBe(401);
  });
});

test("exdates are read from jsonb as they are stored", () => {
  expect(exdatesOf({ exdates: ["2026-01-01T09:00:00", 3, null] })).toEqual(["2026-01-01T09:00:00"]);
  expect(exdatesOf({ exdates: null })).toEqual([]);
});

test("UNTIL goes to the feed in UTC whatever form it is stored in (RFC 5545 with a zoned DTSTART)", () => {
  expect(feedRrule("FREQ=WEEKLY;BYDAY=TH;UNTIL=20260630T215959Z", TZ)).toBe("FREQ=WEEKLY;BYDAY=TH;UNTIL=20260630T215959Z");
  // Local summer time (CEST, +02:00) and winter time (CET, +01:00); a date means the end of that local day.
  expect(feedRrule("FREQ=WEEKLY;UNTIL=20260630T235959;BYDAY=TH", TZ)).toBe("FREQ=WEEKLY;UNTIL=20260630T215959Z;BYDAY=TH");
  expect(feedRrule("FREQ=DAILY;UNTIL=20261231", TZ)).toBe("FREQ=DAILY;UNTIL=20261231T225959Z");
});
