// RRULE text of a meeting series (DESIGN.md §6, RFC 5545 §3.3.10): made from what the
// series editor sends and read back for it, and compiled with `rrule-temporal` in strict
// mode for the expansion (recurrence.ts). Pure, no database.

import { weekdays, type RecurrenceEnd, type RecurrenceInput, type Weekday } from "@laget/domain";
import { Temporal } from "temporal-polyfill";
import { RRuleTemporal } from "rrule-temporal";
import { checkZone, DEFAULT_TZID, parseDate, parseLocal, RecurrenceError, zoned } from "./local-time.ts";

export const WEEKDAYS: readonly Weekday[] = weekdays;
const MAX_INTERVAL = 52;
const MAX_COUNT = 1000;

export type Parts = Map<string, string>;

export function parseParts(rrule: string): Parts {
  const text = rrule.trim().replace(/^RRULE:/i, "");
  const parts: Parts = new Map();
  for (const piece of text.split(";")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    if (eq <= 0) throw new RecurrenceError("rrule", `not an RRULE part: ${piece}`);
    const name = piece.slice(0, eq).toUpperCase();
    if (parts.has(name)) throw new RecurrenceError("rrule", `${name} given twice`);
    parts.set(name, piece.slice(eq + 1).toUpperCase());
  }
  if (!parts.has("FREQ")) throw new RecurrenceError("rrule", "RRULE must include FREQ");
  return parts;
}

export const formatParts = (parts: Parts): string => [...parts].map(([k, v]) => `${k}=${v}`).join(";");

export function utcText(epochMs: number): string {
  // 2027-06-30T21:59:59.000Z → 20270630T215959Z
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

const weekdayOf = (d: { dayOfWeek: number }): Weekday => WEEKDAYS[d.dayOfWeek - 1]!;

/** RRULE text for what the editor sent, or null for a single meeting; throws RecurrenceError on nonsense. */
export function rruleOf(input: RecurrenceInput, dtstartLocal: string, tzid: string = DEFAULT_TZID): string | null {
  const start = parseLocal(dtstartLocal, "dtstartLocal");
  checkZone(tzid);
  if (input.freq === "none") return null;
  if (input.freq !== "daily" && input.freq !== "weekly" && input.freq !== "monthly") {
    throw new RecurrenceError("freq", `unknown frequency: ${String((input as { freq: unknown }).freq)}`);
  }
  const interval = input.interval;
  if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL) {
    throw new RecurrenceError("interval", `interval must be a whole number from 1 to ${MAX_INTERVAL}`);
  }
  const parts: Parts = new Map([["FREQ", input.freq.toUpperCase()]]);
  if (interval > 1) parts.set("INTERVAL", String(interval));

  const days = input.byWeekday === undefined ? undefined : [...new Set(input.byWeekday)];
  if (days) {
    for (const d of days) if (!WEEKDAYS.includes(d)) throw new RecurrenceError("byWeekday", `not a weekday: ${String(d)}`);
    days.sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
  }
  if (input.freq === "monthly") {
    const by = input.monthlyBy ?? "monthday";
    if (by === "weekday") {
      if (days && days.length !== 1) throw new RecurrenceError("byWeekday", "a monthly rule by weekday takes exactly one weekday");
      const day = days?.[0] ?? weekdayOf(start);
      const setPos = input.setPos ?? (Math.ceil(start.day / 7) > 4 ? -1 : Math.ceil(start.day / 7));
      if (![1, 2, 3, 4, -1].includes(setPos)) throw new RecurrenceError("setPos", "setPos must be 1, 2, 3, 4 or -1 (last)");
      parts.set("BYDAY", `${setPos}${day}`);
    } else if (by === "monthday") {
      if (days && days.length > 0) throw new RecurrenceError("byWeekday", "a monthly rule by day of month takes no weekdays");
      if (input.setPos !== undefined) throw new RecurrenceError("setPos", "a monthly rule by day of month takes no setPos");
      parts.set("BYMONTHDAY", String(start.day));
    } else {
      throw new RecurrenceError("monthlyBy", `unknown monthlyBy: ${String(by)}`);
    }
  } else {
    if (input.monthlyBy !== undefined) throw new RecurrenceError("monthlyBy", "monthlyBy is for monthly rules");
    if (input.setPos !== undefined) throw new RecurrenceError("setPos", "setPos is for monthly rules");
    if (days && days.length > 0) parts.set("BYDAY", days.join(","));
  }

  const end = input.end;
  if (!end || typeof end !== "object") throw new RecurrenceError("end", "end is missing");
  if (end.kind === "count") {
    if (!Number.isInteger(end.count) || end.count < 1 || end.count > MAX_COUNT) {
      throw new RecurrenceError("end", `count must be a whole number from 1 to ${MAX_COUNT}`);
    }
    parts.set("COUNT", String(end.count));
  } else if (end.kind === "until") {
    const date = parseDate(end.date, "end");
    if (Temporal.PlainDate.compare(date, start.toPlainDate()) < 0) throw new RecurrenceError("end", "the series ends before it starts");
    // The end of that local day, in UTC (RFC 5545: UNTIL is UTC when DTSTART has a TZID).
    const endOfDay = date.add({ days: 1 }).toZonedDateTime({ timeZone: tzid }).epochMilliseconds - 1000;
    parts.set("UNTIL", utcText(endOfDay));
  } else if (end.kind !== "never") {
    throw new RecurrenceError("end", `unknown end: ${String((end as { kind: unknown }).kind)}`);
  }
  const text = formatParts(parts);
  ruleFor(dtstartLocal, tzid, text); // the library in strict mode must accept it too
  return text;
}

/** The editor's view of stored RRULE text (the inverse of rruleOf); throws RecurrenceError for a rule it cannot edit. */
export function recurrenceInputOf(rrule: string | null, tzid: string = DEFAULT_TZID): RecurrenceInput {
  if (rrule === null || rrule.trim() === "") return { freq: "none" };
  const parts = parseParts(rrule);
  const known = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS", "COUNT", "UNTIL", "WKST"]);
  for (const name of parts.keys()) if (!known.has(name)) throw new RecurrenceError("rrule", `the editor cannot show ${name}`);
  const freqText = parts.get("FREQ")!;
  const freq = freqText === "DAILY" ? "daily" : freqText === "WEEKLY" ? "weekly" : freqText === "MONTHLY" ? "monthly" : null;
  if (!freq) throw new RecurrenceError("rrule", `the editor cannot show FREQ=${freqText}`);
  const interval = parts.has("INTERVAL") ? Number(parts.get("INTERVAL")) : 1;
  if (!Number.isInteger(interval) || interval < 1) throw new RecurrenceError("rrule", "bad INTERVAL");

  let end: RecurrenceEnd = { kind: "never" };
  const count = parts.get("COUNT");
  const until = parts.get("UNTIL");
  if (count !== undefined && until !== undefined) throw new RecurrenceError("rrule", "COUNT and UNTIL together");
  if (count !== undefined) {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1) throw new RecurrenceError("rrule", "bad COUNT");
    end = { kind: "count", count: n };
  } else if (until !== undefined) {
    end = { kind: "until", date: untilDate(until, tzid) };
  }

  const byDay = parts.get("BYDAY")?.split(",").filter((s) => s !== "");
  const tokens = (byDay ?? []).map((token) => {
    const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
    if (!m) throw new RecurrenceError("rrule", `bad BYDAY: ${token}`);
    return { ord: m[1] === undefined ? null : Number(m[1]), day: m[2] as Weekday };
  });
  if (freq === "monthly") {
    const setPosText = parts.get("BYSETPOS");
    if (tokens.length > 0) {
      const [first] = tokens;
      if (tokens.length !== 1 || parts.has("BYMONTHDAY")) throw new RecurrenceError("rrule", "the editor shows one weekday a month");
      const setPos = first!.ord ?? (setPosText === undefined ? NaN : Number(setPosText));
      if (first!.ord !== null && setPosText !== undefined) throw new RecurrenceError("rrule", "an ordinal BYDAY with BYSETPOS");
      if (![1, 2, 3, 4, -1].includes(setPos)) throw new RecurrenceError("rrule", "the editor shows the 1st–4th or the last weekday");
      return { freq, interval, monthlyBy: "weekday", byWeekday: [first!.day], setPos, end };
    }
    if (setPosText !== undefined) throw new RecurrenceError("rrule", "BYSETPOS without BYDAY");
    const monthDay = parts.get("BYMONTHDAY");
    if (monthDay !== undefined && !/^\d{1,2}$/.test(monthDay)) throw new RecurrenceError("rrule", "the editor shows one day of the month");
    return { freq, interval, monthlyBy: "monthday", end };
  }
  if (parts.has("BYSETPOS") || parts.has("BYMONTHDAY")) throw new RecurrenceError("rrule", "the editor cannot show BYSETPOS/BYMONTHDAY here");
  if (tokens.some((t) => t.ord !== null)) throw new RecurrenceError("rrule", "an ordinal BYDAY outside a monthly rule");
  return tokens.length > 0 ? { freq, interval, byWeekday: tokens.map((t) => t.day), end } : { freq, interval, end };
}

/**
 * The local date an UNTIL stands for in the editor: the last local day whose occurrences (all at
 * one time of day) it keeps. 20270630T215959Z (end of 30 June in Oslo) → 2027-06-30; an UNTIL just
 * before a split occurrence at 09:00 on 13 May (07:59:59Z) → 2027-05-12.
 */
function untilDate(until: string, tzid: string): string {
  const utc = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(until);
  const floating = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(until);
  const dateOnly = /^(\d{4})(\d{2})(\d{2})$/.exec(until);
  try {
    if (utc) {
      const instant = Temporal.Instant.from(`${utc[1]}-${utc[2]}-${utc[3]}T${utc[4]}:${utc[5]}:${utc[6]}Z`);
      return instant.add({ seconds: 1 }).toZonedDateTimeISO(tzid).toPlainDate().subtract({ days: 1 }).toString();
    }
    if (floating) {
      const local = Temporal.PlainDateTime.from(`${floating[1]}-${floating[2]}-${floating[3]}T${floating[4]}:${floating[5]}:${floating[6]}`);
      return local.add({ seconds: 1 }).toPlainDate().subtract({ days: 1 }).toString();
    }
    if (dateOnly) return Temporal.PlainDate.from(`${dateOnly[1]}-${dateOnly[2]}-${dateOnly[3]}`).toString();
  } catch {
    // fall through
  }
  throw new RecurrenceError("rrule", `bad UNTIL: ${until}`);
}

// ---------------------------------------------------------------------------------------------
// The compiled rule

export type CompiledRule = {
  dtstart: Temporal.ZonedDateTime;
  dtstartMs: number;
  rule: RRuleTemporal | null; // null: a single meeting
};

const ruleCache = new Map<string, CompiledRule>();
const RULE_CACHE_MAX = 1000;

/** The compiled rule of a series, cached: building one parses text and resolves the zone. */
export function ruleFor(dtstartLocal: string, tzid: string, rrule: string | null): CompiledRule {
  const key = `${tzid}\u0000${dtstartLocal}\u0000${rrule ?? ""}`;
  const cached = ruleCache.get(key);
  if (cached) return cached;
  const local = parseLocal(dtstartLocal, "dtstartLocal");
  checkZone(tzid);
  const dtstart = zoned(local, tzid);
  let rule: RRuleTemporal | null = null;
  if (rrule !== null && rrule.trim() !== "") {
    const parts = parseParts(rrule);
    // A DTSTART inside a DST gap is at 03:30, but the rule's time of day stays 02:30 (RFC 5545
    // §3.3.10 takes it from DTSTART's value): say so explicitly, or the library would use 03:30.
    const resolved = dtstart.toPlainDateTime();
    if (!resolved.equals(local) && !parts.has("BYHOUR") && !parts.has("BYMINUTE") && !parts.has("BYSECOND")) {
      parts.set("BYHOUR", String(local.hour));
      parts.set("BYMINUTE", String(local.minute));
      parts.set("BYSECOND", String(local.second));
    }
    if (parts.has("INTERVAL") && !(Number(parts.get("INTERVAL")) >= 1)) throw new RecurrenceError("interval", "interval must be at least 1");
    try {
      rule = new RRuleTemporal({ rruleString: formatParts(parts), dtstart, strict: true, includeDtstart: true, tzid });
    } catch (e) {
      throw new RecurrenceError("rrule", `not a valid RRULE: ${(e as Error).message}`);
    }
    const until = rule.options().until;
    if (until && until.epochMilliseconds < dtstart.epochMilliseconds) throw new RecurrenceError("end", "the series ends before it starts");
  }
  const compiled: CompiledRule = { dtstart, dtstartMs: dtstart.epochMilliseconds, rule };
  if (ruleCache.size >= RULE_CACHE_MAX) ruleCache.clear();
  ruleCache.set(key, compiled);
  return compiled;
}
