import { execFile } from "node:child_process";
import { promisify } from "node:util";
import Holidays from "date-holidays";
import { describe, expect, test } from "vitest";
import { RecurrenceError } from "./local-time.ts";
import { expandSeries, isOccurrence, splitSeries, type Occurrence, type RecurrenceInput, type RecurrenceSpec } from "./recurrence.ts";
import { recurrenceInputOf, rruleOf } from "./rrule-text.ts";

// The recurrence engine of meeting series. Expected local times are checked with Intl (the
// platform's own tz database), not with the Temporal code under test.

const OSLO = "Europe/Oslo";
const osloClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: OSLO, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});
/** "YYYY-MM-DDTHH:MM:SS" on an Oslo wall clock, by Intl. */
function osloLocal(d: Date): string {
  const p = Object.fromEntries(osloClock.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

function spec(over: Partial<RecurrenceSpec> & { dtstartLocal: string; rrule: string | null }): RecurrenceSpec {
  return { tzid: OSLO, exdates: [], holidayPolicy: "none", durationMinutes: 60, ...over };
}
const expand = (s: RecurrenceSpec, from: string, to: string, extra: Partial<Parameters<typeof expandSeries>[0]> = {}) =>
  expandSeries({ spec: s, from: new Date(from), to: new Date(to), ...extra });
const starts = (list: Occurrence[]) => list.map((o) => o.start.toISOString());

function recurrenceError(fn: () => unknown): RecurrenceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecurrenceError) return e;
    throw e;
  }
  throw new Error("no RecurrenceError");
}

describe("local time across DST in Europe/Oslo", () => {
  test("a weekly 09:00 series stays at 09:00 local across both DST changes of 2027", () => {
    const s = spec({ dtstartLocal: "2027-01-07T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=TH", durationMinutes: 90 });
    const list = expand(s, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
    expect(list).toHaveLength(52);
    for (const o of list) {
      expect(osloLocal(o.start)).toBe(o.startLocal);
      expect(o.startLocal.slice(10)).toBe("T09:00:00");
      expect(o.end.getTime() - o.start.getTime()).toBe(90 * 60_000);
    }
    const at = (date: string) => list.find((o) => o.startLocal.startsWith(date))!.start.toISOString();
    // Summer time begins on 28 March 2027, ends on 31 October 2027.
    expect(at("2027-03-25")).toBe("2027-03-25T08:00:00.000Z"); // CET, +01:00
    expect(at("2027-04-01")).toBe("2027-04-01T07:00:00.000Z"); // CEST, +02:00
    expect(at("2027-10-28")).toBe("2027-10-28T07:00:00.000Z");
    expect(at("2027-11-04")).toBe("2027-11-04T08:00:00.000Z");
  });

  test("2027-03-28 is the last Sunday of March, the spring-forward day in Oslo", () => {
    expect(new Date("2027-03-28T12:00:00Z").getUTCDay()).toBe(0);
    expect(new Date("2027-04-04T12:00:00Z").getUTCMonth()).toBe(3);
    expect(osloLocal(new Date("2027-03-28T00:59:59Z"))).toBe("2027-03-28T01:59:59");
    expect(osloLocal(new Date("2027-03-28T01:00:00Z"))).toBe("2027-03-28T03:00:00");
  });

  // RFC 5545 §3.3.5: "If the local time described does not occur (when changing from standard to
  // daylight time), the DATE-TIME value is interpreted using the UTC offset before the gap in local
  // times. Thus, TZID=America/New_York:20070311T023000 indicates March 11, 2007 at 3:30 A.M. EDT
  // (UTC-04:00), one hour after 1:30 A.M. EST (UTC-05:00)."
  test("a 02:30 DTSTART on the spring-forward day is 03:30 CEST (the offset before the gap); later weeks keep 02:30", () => {
    const s = spec({ dtstartLocal: "2027-03-28T02:30:00", rrule: "FREQ=WEEKLY;COUNT=3" });
    const list = expand(s, "2027-03-01T00:00:00Z", "2027-05-01T00:00:00Z");
    expect(starts(list)).toEqual(["2027-03-28T01:30:00.000Z", "2027-04-04T00:30:00.000Z", "2027-04-11T00:30:00.000Z"]);
    expect(list.map((o) => o.startLocal)).toEqual(["2027-03-28T03:30:00", "2027-04-04T02:30:00", "2027-04-11T02:30:00"]);
    expect(list.map((o) => osloLocal(o.start))).toEqual(list.map((o) => o.startLocal));
    expect(list[0]!.recurrenceId).toBe("2027-03-28T03:30:00");
    expect(list[0]!.moved).toBe(false);
    // The RFC's own example, in New York.
    const ny = expand({ ...s, tzid: "America/New_York", dtstartLocal: "2007-03-11T02:30:00", rrule: null }, "2007-03-01T00:00:00Z", "2007-04-01T00:00:00Z");
    expect(starts(ny)).toEqual(["2007-03-11T07:30:00.000Z"]); // 03:30 EDT = 07:30Z
  });

  // RFC 5545 §3.3.10: "Recurrence rules may generate recurrence instances with ... [a] nonexistent
  // local time (e.g., 1:30 AM on a day where the local time is moved forward by an hour at 1:00
  // AM). Such recurrence instances MUST be ignored and MUST NOT be counted as part of the
  // recurrence set."
  test("a weekly 02:30 series leaves out the spring-forward Sunday and does not count it", () => {
    const s = spec({ dtstartLocal: "2027-03-21T02:30:00", rrule: "FREQ=WEEKLY;COUNT=3" });
    const list = expand(s, "2027-03-01T00:00:00Z", "2027-06-01T00:00:00Z");
    expect(list.map((o) => o.startLocal)).toEqual(["2027-03-21T02:30:00", "2027-04-04T02:30:00", "2027-04-11T02:30:00"]);
  });

  // RFC 5545 §3.3.5: "If, based on the definition of the referenced time zone, the local time
  // described occurs more than once (when changing from daylight to standard time), the DATE-TIME
  // value refers to the first occurrence of the referenced time."
  test("02:30 on the fall-back day is the first 02:30 (CEST)", () => {
    const s = spec({ dtstartLocal: "2027-10-24T02:30:00", rrule: "FREQ=WEEKLY;COUNT=3" });
    const list = expand(s, "2027-10-01T00:00:00Z", "2027-12-01T00:00:00Z");
    expect(starts(list)).toEqual(["2027-10-24T00:30:00.000Z", "2027-10-31T00:30:00.000Z", "2027-11-07T01:30:00.000Z"]);
    expect(list.map((o) => o.startLocal)).toEqual(["2027-10-24T02:30:00", "2027-10-31T02:30:00", "2027-11-07T02:30:00"]);
    // An EXDATE and an override written as that local time mean the same first 02:30.
    const ex = expand({ ...s, exdates: ["2027-10-31T02:30:00"] }, "2027-10-01T00:00:00Z", "2027-12-01T00:00:00Z");
    expect(ex.map((o) => o.startLocal)).toEqual(["2027-10-24T02:30:00", "2027-11-07T02:30:00"]);
  });
});

describe("rules", () => {
  test("every other Thursday until 30 June, the until day inclusive in local time", () => {
    const rrule = rruleOf({ freq: "weekly", interval: 2, byWeekday: ["TH"], end: { kind: "until", date: "2027-06-24" } }, "2027-03-04T09:00:00");
    expect(rrule).toBe("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270624T215959Z");
    const list = expand(spec({ dtstartLocal: "2027-03-04T09:00:00", rrule }), "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
    expect(list.map((o) => o.startLocal.slice(0, 10))).toEqual([
      "2027-03-04", "2027-03-18", "2027-04-01", "2027-04-15", "2027-04-29", "2027-05-13", "2027-05-27", "2027-06-10", "2027-06-24",
    ]);
  });

  test("monthly on the 2nd Tuesday, on the last Friday, on the 14th", () => {
    const second = rruleOf({ freq: "monthly", interval: 1, monthlyBy: "weekday", byWeekday: ["TU"], setPos: 2, end: { kind: "count", count: 4 } }, "2027-01-12T13:00:00");
    expect(second).toBe("FREQ=MONTHLY;BYDAY=2TU;COUNT=4");
    expect(expand(spec({ dtstartLocal: "2027-01-12T13:00:00", rrule: second }), "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z").map((o) => o.startLocal))
      .toEqual(["2027-01-12T13:00:00", "2027-02-09T13:00:00", "2027-03-09T13:00:00", "2027-04-13T13:00:00"]);
    const last = rruleOf({ freq: "monthly", interval: 1, monthlyBy: "weekday", byWeekday: ["FR"], setPos: -1, end: { kind: "count", count: 3 } }, "2027-01-29T10:00:00");
    expect(expand(spec({ dtstartLocal: "2027-01-29T10:00:00", rrule: last }), "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z").map((o) => o.startLocal.slice(0, 10)))
      .toEqual(["2027-01-29", "2027-02-26", "2027-03-26"]);
    // The same rule written with BYSETPOS reads the same.
    expect(expand(spec({ dtstartLocal: "2027-01-12T13:00:00", rrule: "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2;COUNT=4" }), "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z").map((o) => o.startLocal))
      .toEqual(["2027-01-12T13:00:00", "2027-02-09T13:00:00", "2027-03-09T13:00:00", "2027-04-13T13:00:00"]);
    const day = rruleOf({ freq: "monthly", interval: 6, monthlyBy: "monthday", end: { kind: "never" } }, "2027-01-14T09:00:00");
    expect(day).toBe("FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=14");
    expect(expand(spec({ dtstartLocal: "2027-01-14T09:00:00", rrule: day }), "2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z").map((o) => o.startLocal.slice(0, 10)))
      .toEqual(["2027-01-14", "2027-07-14", "2028-01-14", "2028-07-14"]);
  });

  test("weekly with no day is DTSTART's weekday; DTSTART always is the first occurrence", () => {
    const rrule = rruleOf({ freq: "weekly", interval: 1, end: { kind: "count", count: 3 } }, "2027-01-13T09:00:00");
    expect(rrule).toBe("FREQ=WEEKLY;COUNT=3");
    expect(expand(spec({ dtstartLocal: "2027-01-13T09:00:00", rrule }), "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z").map((o) => o.startLocal.slice(0, 10)))
      .toEqual(["2027-01-13", "2027-01-20", "2027-01-27"]);
    // Weekly on Monday and Thursday from a Wednesday: DTSTART counts as the first (RFC 5545 §3.8.5.3).
    expect(expand(spec({ dtstartLocal: "2027-01-13T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3" }), "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z").map((o) => o.startLocal.slice(0, 10)))
      .toEqual(["2027-01-13", "2027-01-14", "2027-01-18"]);
  });

  test("a single meeting (no RRULE) is one occurrence", () => {
    const s = spec({ dtstartLocal: "2027-06-01T12:00:00", rrule: null });
    expect(starts(expand(s, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"))).toEqual(["2027-06-01T10:00:00.000Z"]);
    expect(expand(s, "2027-07-01T00:00:00Z", "2028-01-01T00:00:00Z")).toEqual([]);
  });

  test("the window: an occurrence overlapping `from` is in, one starting at `to` is not", () => {
    const s = spec({ dtstartLocal: "2027-01-04T09:00:00", rrule: "FREQ=DAILY", durationMinutes: 120 });
    // 2027-01-05 09:00–11:00 local = 08:00–10:00Z.
    expect(expand(s, "2027-01-05T09:00:00Z", "2027-01-06T08:00:00Z").map((o) => o.recurrenceId)).toEqual(["2027-01-05T09:00:00"]);
    expect(expand(s, "2027-01-05T10:00:00Z", "2027-01-06T08:00:00Z")).toEqual([]);
  });
});

describe("EXDATE and overrides", () => {
  const s = spec({ dtstartLocal: "2027-03-04T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=TH", exdates: ["2027-03-11T09:00:00", "2027-04-01T09:00:00"] });

  test("EXDATEs are local times (one in winter, one in summer) and leave the occurrence out", () => {
    const list = expand(s, "2027-03-01T00:00:00Z", "2027-04-16T00:00:00Z");
    expect(list.map((o) => o.startLocal.slice(0, 10))).toEqual(["2027-03-04", "2027-03-18", "2027-03-25", "2027-04-08", "2027-04-15"]);
    const all = expand(s, "2027-03-01T00:00:00Z", "2027-04-16T00:00:00Z", { includeSkipped: true });
    expect(all.filter((o) => o.skipped).map((o) => [o.recurrenceId, o.skipped])).toEqual([
      ["2027-03-11T09:00:00", "exdate"],
      ["2027-04-01T09:00:00", "exdate"],
    ]);
    expect(isOccurrence({ spec: s, recurrenceId: "2027-04-01T09:00:00" })).toBe(false);
    expect(isOccurrence({ spec: s, recurrenceId: "2027-04-08T09:00:00" })).toBe(true);
    expect(isOccurrence({ spec: s, recurrenceId: "2027-04-09T09:00:00" })).toBe(false);
    expect(isOccurrence({ spec: s, recurrenceId: "2027-04-08T09:00" })).toBe(false); // not the canonical form
  });

  test("a moved occurrence keeps its recurrence id and length override; a cancelled one is skipped", () => {
    const overrides = [
      { recurrenceId: "2027-03-18T09:00:00", movedToLocal: "2027-03-19T13:00:00", durationMinutes: 30, status: "planned" as const },
      { recurrenceId: "2027-03-25T09:00:00", movedToLocal: null, durationMinutes: null, status: "cancelled" as const },
      { recurrenceId: "2027-04-08T09:00:00", movedToLocal: null, durationMinutes: null, status: "held" as const },
    ];
    const list = expand(s, "2027-03-01T00:00:00Z", "2027-04-16T00:00:00Z", { overrides });
    expect(list.map((o) => [o.recurrenceId, o.startLocal, o.moved, o.status])).toEqual([
      ["2027-03-04T09:00:00", "2027-03-04T09:00:00", false, "planned"],
      ["2027-03-18T09:00:00", "2027-03-19T13:00:00", true, "planned"],
      ["2027-04-08T09:00:00", "2027-04-08T09:00:00", false, "held"],
      ["2027-04-15T09:00:00", "2027-04-15T09:00:00", false, "planned"],
    ]);
    const moved = list[1]!;
    expect(moved.start.toISOString()).toBe("2027-03-19T12:00:00.000Z");
    expect(moved.end.toISOString()).toBe("2027-03-19T12:30:00.000Z");
    const withSkipped = expand(s, "2027-03-01T00:00:00Z", "2027-04-16T00:00:00Z", { overrides, includeSkipped: true });
    expect(withSkipped.find((o) => o.recurrenceId === "2027-03-25T09:00:00")).toMatchObject({ skipped: "cancelled", status: "cancelled" });
    expect(isOccurrence({ spec: s, recurrenceId: "2027-03-25T09:00:00" })).toBe(true); // cancelled, still an occurrence
  });

  test("an occurrence moved into the window from outside it appears; one moved out of it does not", () => {
    const overrides = [
      { recurrenceId: "2027-06-03T09:00:00", movedToLocal: "2027-03-16T09:00:00", durationMinutes: null, status: "planned" as const },
      { recurrenceId: "2027-03-18T09:00:00", movedToLocal: "2027-08-01T09:00:00", durationMinutes: null, status: "planned" as const },
      // Not an occurrence at all (a Wednesday): ignored.
      { recurrenceId: "2027-06-02T09:00:00", movedToLocal: "2027-03-17T09:00:00", durationMinutes: null, status: "planned" as const },
    ];
    const list = expand(s, "2027-03-15T00:00:00Z", "2027-03-22T00:00:00Z", { overrides });
    expect(list.map((o) => [o.recurrenceId, o.startLocal])).toEqual([["2027-06-03T09:00:00", "2027-03-16T09:00:00"]]);
  });
});

describe("holidays", () => {
  // The reference days from date-holidays, by their Norwegian names.
  const reference = (years: number[]) => {
    const wanted = new Map([["Grunnlovsdagen", "17mai"], ["Andre påskedag", "easterMonday"], ["Kristi himmelfartsdag", "ascensionDay"], ["Andre pinsedag", "whitMonday"]]);
    const hd = new Holidays("NO");
    return years.flatMap((y) => hd.getHolidays(y).filter((h) => h.type === "public" && wanted.has(h.name)).map((h) => ({ date: h.date.slice(0, 10), key: wanted.get(h.name)! })));
  };
  const days = reference([2026, 2027, 2028, 2029, 2030]);

  test("a daily series with holidays dropped skips 17 May, Easter Monday, Ascension Day and Whit Monday 2026–2030", () => {
    expect(days).toHaveLength(20);
    const s = spec({ dtstartLocal: "2026-01-01T10:00:00", rrule: "FREQ=DAILY", holidayPolicy: "drop" });
    const list = expand(s, "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z");
    const dates = new Set(list.map((o) => o.startLocal.slice(0, 10)));
    for (const d of days) expect(dates.has(d.date), d.date).toBe(false);
    expect(dates.has("2026-05-18")).toBe(true);
    const skipped = expand(s, "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z", { includeSkipped: true }).filter((o) => o.skipped === "holiday");
    expect(skipped).toHaveLength(12 * 5 - 1); // 2027: Whit Monday is 17 May
    for (const d of days) expect(skipped.find((o) => o.startLocal.startsWith(d.date))?.holiday, d.date).toBeOneOf([d.key, "17mai"]);
    expect(isOccurrence({ spec: s, recurrenceId: "2026-05-17T10:00:00" })).toBe(false);
    // Without the option they are kept, but marked.
    const kept = expand({ ...s, holidayPolicy: "none" }, "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z");
    expect(kept.find((o) => o.recurrenceId === "2026-05-17T10:00:00")).toMatchObject({ holiday: "17mai", skipped: null, moved: false });
  });

  test("weekly series hitting them skip them: Mondays (Easter and Whit Monday), Thursdays (Ascension Day)", () => {
    const mondays = expand(spec({ dtstartLocal: "2026-01-05T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO", holidayPolicy: "drop" }), "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z");
    const thursdays = expand(spec({ dtstartLocal: "2026-01-01T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=TH", holidayPolicy: "drop" }), "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z");
    const dates = new Set([...mondays, ...thursdays].map((o) => o.startLocal.slice(0, 10)));
    const hit = days.filter((d) => [1, 4].includes(new Date(`${d.date}T12:00:00Z`).getUTCDay()));
    expect(hit.length).toBeGreaterThanOrEqual(15); // every Easter/Whit Monday and Ascension Day, and 17 May when on Mon/Thu
    for (const d of hit) expect(dates.has(d.date), d.date).toBe(false);
    expect(dates.has("2026-04-13")).toBe(true); // the Monday after Easter Monday
  });

  test("holidays moved go to the next day that is no Saturday, Sunday or holiday, at the same local time", () => {
    const s = spec({ dtstartLocal: "2027-01-07T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=TH", holidayPolicy: "move" });
    const list = expand(s, "2027-03-01T00:00:00Z", "2027-06-01T00:00:00Z");
    const maundy = list.find((o) => o.recurrenceId === "2027-03-25T09:00:00")!;
    // Skjærtorsdag 25 March → past Langfredag, the weekend and 2. påskedag → Tuesday 30 March, now in summer time.
    expect(maundy).toMatchObject({ startLocal: "2027-03-30T09:00:00", moved: true, holiday: "maundyThursday", skipped: null });
    expect(maundy.start.toISOString()).toBe("2027-03-30T07:00:00.000Z");
    expect(list.find((o) => o.recurrenceId === "2027-05-06T09:00:00")).toMatchObject({ startLocal: "2027-05-07T09:00:00", holiday: "ascensionDay" });
    const mondays = expand({ ...s, dtstartLocal: "2027-01-04T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO" }, "2027-05-10T00:00:00Z", "2027-05-20T00:00:00Z");
    expect(mondays.map((o) => [o.recurrenceId, o.startLocal])).toEqual([
      ["2027-05-10T09:00:00", "2027-05-10T09:00:00"],
      ["2027-05-17T09:00:00", "2027-05-18T09:00:00"],
    ]);
    expect(isOccurrence({ spec: s, recurrenceId: "2027-03-25T09:00:00" })).toBe(true);
    // A moved holiday occurrence whose new day is inside the window though its original is not.
    const inWindow = expand(s, "2027-03-29T00:00:00Z", "2027-03-31T00:00:00Z");
    expect(inWindow.map((o) => o.recurrenceId)).toEqual(["2027-03-25T09:00:00"]);
  });
});

describe("this and following", () => {
  const window = ["2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z"] as const;
  const key = (o: Occurrence) => `${o.recurrenceId}|${o.startLocal}|${o.start.toISOString()}|${o.skipped}`;
  const union = (a: RecurrenceSpec, b: RecurrenceSpec) =>
    [...expand(a, ...window, { includeSkipped: true }), ...expand(b, ...window, { includeSkipped: true })].map(key);

  test.each([
    ["biweekly Thursdays with EXDATEs and holidays moved", spec({ dtstartLocal: "2027-01-07T09:00:00", rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", exdates: ["2027-01-21T09:00:00", "2027-09-30T09:00:00"], holidayPolicy: "move" }), "2027-05-13T09:00:00"],
    ["Mondays and Thursdays, 40 times, holidays dropped", spec({ dtstartLocal: "2027-01-04T14:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=40", exdates: ["2027-06-03T14:00:00"], holidayPolicy: "drop" }), "2027-04-01T14:00:00"],
    ["monthly on the 2nd Tuesday until a date", spec({ dtstartLocal: "2027-01-12T13:00:00", rrule: "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20281231T225959Z" }), "2027-11-09T13:00:00"],
    ["every sixth week, never ending", spec({ dtstartLocal: "2026-08-20T18:00:00", rrule: "FREQ=WEEKLY;INTERVAL=6" }), "2027-10-14T18:00:00"],
  ])("%s: the two series together are the original", (_name, original, at) => {
    const { before, after } = splitSeries({ spec: original, recurrenceId: at });
    const all = expand(original, ...window, { includeSkipped: true }).map(key);
    expect(union(before, after)).toEqual(all);
    const afterList = expand(after, ...window, { includeSkipped: true });
    expect(afterList[0]!.recurrenceId).toBe(at);
    expect(expand(before, ...window, { includeSkipped: true }).every((o) => o.recurrenceId < at)).toBe(true);
  });

  test("the old series ends with UNTIL one second before the split in UTC; COUNT is reduced by those before", () => {
    const original = spec({ dtstartLocal: "2027-01-04T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=10" });
    const { before, after } = splitSeries({ spec: original, recurrenceId: "2027-02-01T09:00:00" });
    expect(before.rrule).toBe("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270201T075959Z");
    expect(after).toMatchObject({ dtstartLocal: "2027-02-01T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=6" });
    const summer = splitSeries({ spec: { ...original, rrule: "FREQ=WEEKLY;BYDAY=MO" }, recurrenceId: "2027-05-03T09:00:00" });
    expect(summer.before.rrule).toBe("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270503T065959Z");
    expect(summer.after.rrule).toBe("FREQ=WEEKLY;BYDAY=MO");
    // The editor shows the old series as ending the day before.
    expect(recurrenceInputOf(summer.before.rrule)).toEqual({ freq: "weekly", interval: 1, byWeekday: ["MO"], end: { kind: "until", date: "2027-05-02" } });
  });

  test("splitting where there is no occurrence, at the first one, or a single meeting is refused", () => {
    const original = spec({ dtstartLocal: "2027-01-04T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO" });
    expect(recurrenceError(() => splitSeries({ spec: original, recurrenceId: "2027-02-02T09:00:00" })).field).toBe("recurrenceId");
    expect(recurrenceError(() => splitSeries({ spec: original, recurrenceId: "2027-01-04T09:00:00" })).field).toBe("recurrenceId");
    expect(recurrenceError(() => splitSeries({ spec: { ...original, rrule: null }, recurrenceId: "2027-01-04T09:00:00" })).field).toBe("recurrenceId");
  });
});

describe("rruleOf and recurrenceInputOf", () => {
  const cases: [RecurrenceInput, string, string | null][] = [
    [{ freq: "none" }, "2027-01-07T09:00:00", null],
    [{ freq: "weekly", interval: 2, byWeekday: ["TH"], end: { kind: "never" } }, "2027-01-07T09:00:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"],
    [{ freq: "weekly", interval: 1, byWeekday: ["MO", "WE", "FR"], end: { kind: "count", count: 12 } }, "2027-01-04T09:00:00", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=12"],
    [{ freq: "weekly", interval: 6, end: { kind: "until", date: "2027-12-31" } }, "2027-01-07T09:00:00", "FREQ=WEEKLY;INTERVAL=6;UNTIL=20271231T225959Z"],
    [{ freq: "daily", interval: 1, byWeekday: ["MO", "TU", "WE", "TH", "FR"], end: { kind: "count", count: 5 } }, "2027-01-04T08:00:00", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=5"],
    [{ freq: "monthly", interval: 1, monthlyBy: "weekday", byWeekday: ["TU"], setPos: 2, end: { kind: "never" } }, "2027-01-12T13:00:00", "FREQ=MONTHLY;BYDAY=2TU"],
    [{ freq: "monthly", interval: 3, monthlyBy: "weekday", byWeekday: ["FR"], setPos: -1, end: { kind: "until", date: "2027-06-30" } }, "2027-01-29T13:00:00", "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR;UNTIL=20270630T215959Z"],
    [{ freq: "monthly", interval: 1, monthlyBy: "monthday", end: { kind: "count", count: 4 } }, "2027-01-14T13:00:00", "FREQ=MONTHLY;BYMONTHDAY=14;COUNT=4"],
  ];
  test.each(cases)("%j round-trips", (input, dtstart, text) => {
    expect(rruleOf(input, dtstart)).toBe(text);
    expect(recurrenceInputOf(text)).toEqual(input);
  });

  test("defaults: weekly days sorted and unique, monthly weekday from DTSTART", () => {
    expect(rruleOf({ freq: "weekly", interval: 1, byWeekday: ["FR", "MO", "FR"], end: { kind: "never" } }, "2027-01-04T09:00:00")).toBe("FREQ=WEEKLY;BYDAY=MO,FR");
    expect(rruleOf({ freq: "monthly", interval: 1, monthlyBy: "weekday", end: { kind: "never" } }, "2027-01-12T09:00:00")).toBe("FREQ=MONTHLY;BYDAY=2TU");
    expect(rruleOf({ freq: "monthly", interval: 1, monthlyBy: "weekday", end: { kind: "never" } }, "2027-01-29T09:00:00")).toBe("FREQ=MONTHLY;BYDAY=-1FR");
    expect(recurrenceInputOf("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2")).toEqual({ freq: "monthly", interval: 1, monthlyBy: "weekday", byWeekday: ["TU"], setPos: 2, end: { kind: "never" } });
    expect(recurrenceInputOf("RRULE:FREQ=MONTHLY")).toEqual({ freq: "monthly", interval: 1, monthlyBy: "monthday", end: { kind: "never" } });
  });

  test("nonsense is a RecurrenceError naming the field", () => {
    const weekly = (over: object) => ({ freq: "weekly", interval: 1, end: { kind: "never" }, ...over }) as RecurrenceInput;
    const field = (fn: () => unknown) => recurrenceError(fn).field;
    expect(field(() => rruleOf(weekly({ interval: 0 }), "2027-01-04T09:00:00"))).toBe("interval");
    expect(field(() => rruleOf(weekly({ interval: 53 }), "2027-01-04T09:00:00"))).toBe("interval");
    expect(field(() => rruleOf(weekly({ interval: 1.5 }), "2027-01-04T09:00:00"))).toBe("interval");
    expect(field(() => rruleOf(weekly({ end: { kind: "until", date: "2027-01-03" } }), "2027-01-04T09:00:00"))).toBe("end");
    expect(field(() => rruleOf(weekly({ end: { kind: "until", date: "2027-02-30" } }), "2027-01-04T09:00:00"))).toBe("end");
    expect(field(() => rruleOf(weekly({ end: { kind: "count", count: 0 } }), "2027-01-04T09:00:00"))).toBe("end");
    expect(field(() => rruleOf(weekly({ byWeekday: ["XX"] }), "2027-01-04T09:00:00"))).toBe("byWeekday");
    expect(field(() => rruleOf({ freq: "monthly", interval: 1, monthlyBy: "weekday", byWeekday: ["TU"], setPos: 5, end: { kind: "never" } }, "2027-01-04T09:00:00"))).toBe("setPos");
    expect(field(() => rruleOf({ freq: "monthly", interval: 1, monthlyBy: "weekday", byWeekday: ["TU", "TH"], end: { kind: "never" } }, "2027-01-04T09:00:00"))).toBe("byWeekday");
    expect(field(() => rruleOf(weekly({}), "2027-02-30T09:00:00"))).toBe("dtstartLocal");
    expect(field(() => rruleOf(weekly({}), "next tuesday"))).toBe("dtstartLocal");
    expect(field(() => rruleOf(weekly({}), "2027-01-04T25:00:00"))).toBe("dtstartLocal");
    expect(field(() => rruleOf(weekly({}), "2027-01-04T09:00:00", "Mars/Olympus"))).toBe("tzid");
    expect(field(() => recurrenceInputOf("FREQ=YEARLY"))).toBe("rrule");
    expect(field(() => recurrenceInputOf("FREQ=WEEKLY;BYHOUR=9"))).toBe("rrule");
    expect(field(() => recurrenceInputOf("INTERVAL=2"))).toBe("rrule");
    const s = spec({ dtstartLocal: "2027-01-04T09:00:00", rrule: "FREQ=WEEKLY" });
    expect(field(() => expand({ ...s, rrule: "FREQ=WEEKLY;INTERVAL=0" }, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"))).toBe("interval");
    expect(field(() => expand({ ...s, rrule: "FREQ=WEEKLY;BYDAY=XX" }, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"))).toBe("rrule");
    expect(field(() => expand({ ...s, rrule: "FREQ=WEEKLY;UNTIL=20260101T000000Z" }, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"))).toBe("end");
    expect(field(() => expand({ ...s, exdates: ["2027-01-11"] }, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"))).toBe("exdates.0");
    expect(field(() => expand({ ...s, durationMinutes: 0 }, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"))).toBe("durationMinutes");
  });

  test("more occurrences than `limit` in a window are capped", () => {
    const s = spec({ dtstartLocal: "2020-01-01T09:00:00", rrule: "FREQ=DAILY" });
    const capped = expand(s, "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    expect(capped).toHaveLength(2000);
    expect(capped[0]!.recurrenceId).toBe("2020-01-01T09:00:00");
    expect(expand(s, "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z", { limit: 10 }).map((o) => o.recurrenceId.slice(0, 10)).at(-1)).toBe("2020-01-10");
    // A window of a thousand years is generated in chunks up to `limit`: whole, it would hit the library's iteration cap.
    expect(expand(s, "2020-01-01T00:00:00Z", "3020-01-01T00:00:00Z", { limit: 5 })).toHaveLength(5);
  });
});

describe("the process's time zone does not matter", () => {
  const script = `
    const { expandSeries } = await import(${JSON.stringify(new URL("./recurrence.ts", import.meta.url).href)});
    const series = [
      { dtstartLocal: "2027-01-07T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=TH", holidayPolicy: "move" },
      { dtstartLocal: "2027-03-21T02:30:00", rrule: "FREQ=WEEKLY;COUNT=4", holidayPolicy: "none" },
      { dtstartLocal: "2027-10-24T02:30:00", rrule: "FREQ=DAILY;COUNT=9", holidayPolicy: "none" },
      { dtstartLocal: "2027-01-12T23:30:00", rrule: "FREQ=MONTHLY;BYDAY=2TU", holidayPolicy: "drop" },
      { dtstartLocal: "2027-05-17T00:00:00", rrule: null, holidayPolicy: "none" },
    ];
    const out = series.map((s) => expandSeries({
      spec: { tzid: "Europe/Oslo", exdates: ["2027-02-11T09:00:00"], durationMinutes: 60, ...s },
      overrides: [{ recurrenceId: "2027-02-18T09:00:00", movedToLocal: "2027-02-19T15:00:00", durationMinutes: null, status: "planned" }],
      from: new Date("2027-01-01T00:00:00Z"), to: new Date("2028-01-01T00:00:00Z"), includeSkipped: true,
    }).map((o) => [o.recurrenceId, o.startLocal, o.start.toISOString(), o.skipped, o.holiday]));
    process.stdout.write(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, offset: new Date("2027-07-01").getTimezoneOffset(), out }));
  `;
  const run = async (tz: string) => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, TZ: tz } });
    return JSON.parse(stdout) as { tz: string; offset: number; out: [string, string, string, string | null, string | null][][] };
  };

  test("UTC, Europe/Oslo and America/New_York give the same occurrences", async () => {
    const [utc, oslo, ny] = await Promise.all([run("UTC"), run("Europe/Oslo"), run("America/New_York")]);
    // The children really ran in those zones.
    expect([utc.offset, oslo.offset, ny.offset]).toEqual([0, -120, 240]);
    expect(oslo.out).toEqual(utc.out);
    expect(ny.out).toEqual(utc.out);
    const [weekly, gap, fold, monthly, single] = utc.out;
    expect(weekly).toHaveLength(52);
    for (const [, startLocal, iso] of weekly!) {
      expect(osloLocal(new Date(iso))).toBe(startLocal);
    }
    expect(weekly!.filter(([, local]) => local.slice(10) !== "T09:00:00").map(([, local]) => local)).toEqual(["2027-02-19T15:00:00"]);
    expect(weekly!.find(([id]) => id === "2027-02-11T09:00:00")![3]).toBe("exdate");
    expect(weekly!.find(([id]) => id === "2027-03-25T09:00:00")!.slice(1)).toEqual(["2027-03-30T09:00:00", "2027-03-30T07:00:00.000Z", null, "maundyThursday"]);
    expect(gap!.map(([, , iso]) => iso)).toEqual(["2027-03-21T01:30:00.000Z", "2027-04-04T00:30:00.000Z", "2027-04-11T00:30:00.000Z", "2027-04-18T00:30:00.000Z"]);
    expect(fold!.slice(6, 9).map(([, , iso]) => iso)).toEqual(["2027-10-30T00:30:00.000Z", "2027-10-31T00:30:00.000Z", "2027-11-01T01:30:00.000Z"]);
    // 23:30 local is the previous UTC day in winter: the 2nd Tuesday is local.
    expect(monthly!.slice(0, 2).map(([, local, iso]) => [local, iso])).toEqual([["2027-01-12T23:30:00", "2027-01-12T22:30:00.000Z"], ["2027-02-09T23:30:00", "2027-02-09T22:30:00.000Z"]]);
    expect(single).toEqual([["2027-05-17T00:00:00", "2027-05-17T00:00:00", "2027-05-16T22:00:00.000Z", null, "17mai"]]);
  });
});
