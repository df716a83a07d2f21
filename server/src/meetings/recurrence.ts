// The recurrence engine of a meeting series (DESIGN.md §6): pure, no database.
//
// A series is stored as RFC 5545 text: DTSTART as a local date-time in its zone ("Europe/Oslo"),
// the RRULE value, EXDATE as local date-times. We expand it with `rrule-temporal` in strict mode
// on `temporal-polyfill`: local time is kept across DST, and nothing depends on the process's TZ.
//
// Local date-time rules (RFC 5545 §3.3.5), the same everywhere in this module: a local time
// that does not exist (spring forward) means the UTC offset before the gap (02:30 → 03:30 CEST);
// a local time that occurs twice (fall back) means the first. That is Temporal's "compatible"
// disambiguation. A generated occurrence whose local time does not exist is left out and not
// counted (RFC 5545 §3.3.10); DTSTART itself always is the first occurrence.
//
// An occurrence's `recurrenceId` is its original start as canonical local wall-clock time
// "YYYY-MM-DDTHH:MM:SS" (for a DTSTART inside a gap: the time it is actually at, 03:30).

import { weekdays, type HolidayPolicy, type RecurrenceEnd, type RecurrenceInput, type Weekday } from "@laget/domain";
import { Temporal } from "temporal-polyfill";
import { RRuleTemporal } from "rrule-temporal";
import { holidayOn, type HolidayKey } from "./holidays.ts";

export type { HolidayPolicy, RecurrenceEnd, RecurrenceInput, Weekday } from "@laget/domain";
export type RecurrenceSpec = {
  dtstartLocal: string;
  tzid: string;
  rrule: string | null;
  exdates: readonly string[];
  holidayPolicy: HolidayPolicy;
  durationMinutes: number;
};
export type OccurrenceOverride = {
  recurrenceId: string;
  movedToLocal: string | null;
  durationMinutes: number | null;
  status: "planned" | "held" | "cancelled";
};
export type Occurrence = {
  recurrenceId: string; // original local start (RECURRENCE-ID)
  startLocal: string; // where it actually is (moved by override or holiday)
  start: Date;
  end: Date;
  moved: boolean; // by an override or a holiday move
  holiday: string | null; // the key of the holiday the original date falls on
  skipped: null | "exdate" | "holiday" | "cancelled"; // only returned with includeSkipped
  status: "planned" | "held" | "cancelled";
};

/** A recurrence that makes no sense; `field` names the input at fault. */
export class RecurrenceError extends Error {
  field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "RecurrenceError";
    this.field = field;
  }
}

export const WEEKDAYS: readonly Weekday[] = weekdays;
export const DEFAULT_TZID = "Europe/Oslo";
/** Occurrences one expansion returns at most, unless `limit` says otherwise. */
export const DEFAULT_LIMIT = 2000;
const MAX_INTERVAL = 52;
const MAX_COUNT = 1000;
const MAX_DURATION_MINUTES = 7 * 24 * 60;
const DAY_MS = 86_400_000;
/** How far a holiday move can push an occurrence (Easter: Thursday → Tuesday is 5 days). */
const HOLIDAY_MOVE_MARGIN_MS = 10 * DAY_MS;
/** Expansion generates this much of a window at a time (two years). */
const CHUNK_MS = 731 * DAY_MS;

// ---------------------------------------------------------------------------------------------
// Local date-times

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad2 = (n: number): string => String(n).padStart(2, "0");

type Fields = { year: number; month: number; day: number; hour: number; minute: number; second: number };
const formatLocal = (f: Fields): string =>
  `${String(f.year).padStart(4, "0")}-${pad2(f.month)}-${pad2(f.day)}T${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}`;

function parseLocal(value: string, field: string): Temporal.PlainDateTime {
  const m = typeof value === "string" ? LOCAL.exec(value) : null;
  if (!m) throw new RecurrenceError(field, `not a local date-time (YYYY-MM-DDTHH:MM:SS): ${String(value)}`);
  try {
    return Temporal.PlainDateTime.from(
      { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
      { overflow: "reject" },
    );
  } catch {
    throw new RecurrenceError(field, `no such local date-time: ${value}`);
  }
}

function parseDate(value: string, field: string): Temporal.PlainDate {
  const m = typeof value === "string" ? DATE.exec(value) : null;
  if (!m) throw new RecurrenceError(field, `not a date (YYYY-MM-DD): ${String(value)}`);
  try {
    return Temporal.PlainDate.from({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { overflow: "reject" });
  } catch {
    throw new RecurrenceError(field, `no such date: ${value}`);
  }
}

const knownZones = new Set<string>();
function checkZone(tzid: string): string {
  if (knownZones.has(tzid)) return tzid;
  try {
    new Temporal.ZonedDateTime(0n, tzid);
  } catch {
    throw new RecurrenceError("tzid", `unknown time zone: ${String(tzid)}`);
  }
  knownZones.add(tzid);
  return tzid;
}

/** A local date-time in `tzid` as a zoned date-time, RFC 5545 §3.3.5 (gap: offset before; fold: first). */
function zoned(local: Temporal.PlainDateTime, tzid: string): Temporal.ZonedDateTime {
  return local.toZonedDateTime(tzid, { disambiguation: "compatible" });
}

/** The canonical local form of a local date-time string: where that instant is on the wall clock. */
export function canonicalLocal(local: string, tzid: string = DEFAULT_TZID): string {
  return formatLocal(zoned(parseLocal(local, "local"), checkZone(tzid)).toPlainDateTime());
}

/** The instant a local date-time in `tzid` denotes (RFC 5545 §3.3.5). */
export function instantOfLocal(local: string, tzid: string = DEFAULT_TZID): Date {
  return new Date(zoned(parseLocal(local, "local"), checkZone(tzid)).epochMilliseconds);
}

// ---------------------------------------------------------------------------------------------
// RRULE text

type Parts = Map<string, string>;

function parseParts(rrule: string): Parts {
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

const formatParts = (parts: Parts): string => [...parts].map(([k, v]) => `${k}=${v}`).join(";");

function utcText(epochMs: number): string {
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
// Expansion

type CompiledRule = {
  dtstart: Temporal.ZonedDateTime;
  dtstartMs: number;
  rule: RRuleTemporal | null; // null: a single meeting
};

const ruleCache = new Map<string, CompiledRule>();
const RULE_CACHE_MAX = 1000;

/** The compiled rule of a series, cached: building one parses text and resolves the zone. */
function ruleFor(dtstartLocal: string, tzid: string, rrule: string | null): CompiledRule {
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

type Generated = { ms: number; fields: Fields };

const fieldsOf = (z: Fields): Fields => ({ year: z.year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second });

/** The rule's own occurrences (before EXDATE, holidays and overrides) starting in [fromMs, toMs]. */
function generate(compiled: CompiledRule, fromMs: number, toMs: number): Generated[] {
  if (!compiled.rule) {
    return compiled.dtstartMs >= fromMs && compiled.dtstartMs <= toMs ? [{ ms: compiled.dtstartMs, fields: fieldsOf(compiled.dtstart) }] : [];
  }
  if (toMs < compiled.dtstartMs) return [];
  return compiled.rule.between(new Date(Math.max(fromMs, compiled.dtstartMs)), new Date(toMs), true).map((z) => ({ ms: z.epochMilliseconds, fields: fieldsOf(z) }));
}

function generatesAt(compiled: CompiledRule, ms: number): Generated | null {
  return generate(compiled, ms, ms).find((g) => g.ms === ms) ?? null;
}

function checkSpec(spec: RecurrenceSpec): CompiledRule {
  if (!Number.isInteger(spec.durationMinutes) || spec.durationMinutes < 1 || spec.durationMinutes > MAX_DURATION_MINUTES) {
    throw new RecurrenceError("durationMinutes", "duration must be a whole number of minutes, at least 1");
  }
  if (spec.holidayPolicy !== "none" && spec.holidayPolicy !== "drop" && spec.holidayPolicy !== "move") {
    throw new RecurrenceError("holidayPolicy", `unknown holiday policy: ${String(spec.holidayPolicy)}`);
  }
  return ruleFor(spec.dtstartLocal, spec.tzid, spec.rrule);
}

const dateOf = (f: Fields): string => `${String(f.year).padStart(4, "0")}-${pad2(f.month)}-${pad2(f.day)}`;

/** The instants of the EXDATEs, keyed for lookup (local times, RFC 5545 §3.3.5). */
function exdateSet(spec: RecurrenceSpec): Set<number> {
  const set = new Set<number>();
  for (const [i, ex] of spec.exdates.entries()) set.add(zoned(parseLocal(ex, `exdates.${i}`), spec.tzid).epochMilliseconds);
  return set;
}

/** The next day after `date` that is neither Saturday, Sunday nor a holiday, at the same local time. */
function holidayMove(f: Fields, tzid: string): Temporal.ZonedDateTime {
  let day = Temporal.PlainDate.from({ year: f.year, month: f.month, day: f.day });
  do day = day.add({ days: 1 });
  while (day.dayOfWeek >= 6 || holidayOn(day.toString()) !== null);
  return zoned(day.toPlainDateTime({ hour: f.hour, minute: f.minute, second: f.second }), tzid);
}

/**
 * The occurrences of a series that overlap [from, to), sorted by start: the rule's dates less
 * EXDATEs, with holidays dropped or moved by the series' policy, and the single-occurrence
 * overrides (moves, lengths, cancellations) applied. Skipped ones come back only with
 * `includeSkipped`, at their original time. At most `limit` (2000) are returned.
 */
export function expandSeries(o: {
  spec: RecurrenceSpec;
  overrides?: readonly OccurrenceOverride[];
  from: Date;
  to: Date;
  includeSkipped?: boolean;
  limit?: number;
}): Occurrence[] {
  const { spec } = o;
  const compiled = checkSpec(spec);
  const fromMs = o.from.getTime();
  const toMs = o.to.getTime();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RecurrenceError("from", "from and to must be dates");
  const limit = o.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 0) throw new RecurrenceError("limit", "limit must be a whole number");
  if (toMs <= fromMs || limit === 0) return [];

  const exdates = exdateSet(spec);
  const overrides = new Map<number, { override: OccurrenceOverride; movedMs: number | null; movedFields: Fields | null }>();
  let maxDurationMs = spec.durationMinutes * 60_000;
  for (const [i, override] of (o.overrides ?? []).entries()) {
    const original = zoned(parseLocal(override.recurrenceId, `overrides.${i}.recurrenceId`), spec.tzid);
    const moved = override.movedToLocal === null ? null : zoned(parseLocal(override.movedToLocal, `overrides.${i}.movedToLocal`), spec.tzid);
    if (override.durationMinutes !== null) maxDurationMs = Math.max(maxDurationMs, override.durationMinutes * 60_000);
    overrides.set(original.epochMilliseconds, { override, movedMs: moved?.epochMilliseconds ?? null, movedFields: moved ? fieldsOf(moved) : null });
  }

  // Original starts that can land in the window: a holiday move pushes forward by days, and a
  // meeting that started before `from` may still be going on.
  const genFrom = fromMs - maxDurationMs - (spec.holidayPolicy === "move" ? HOLIDAY_MOVE_MARGIN_MS : 0);
  const out: Occurrence[] = [];
  const seen = new Set<number>();
  const take = (g: Generated): void => {
    seen.add(g.ms);
    const recurrenceId = formatLocal(g.fields);
    const holiday: HolidayKey | null = holidayOn(dateOf(g.fields));
    const entry = overrides.get(g.ms);
    const status = entry?.override.status ?? "planned";
    const durationMs = (entry?.override.durationMinutes ?? spec.durationMinutes) * 60_000;
    let skipped: Occurrence["skipped"] = null;
    let startMs = g.ms;
    let startLocal = recurrenceId;
    let moved = false;
    if (exdates.has(g.ms)) skipped = "exdate";
    else if (status === "cancelled") skipped = "cancelled";
    else if (entry?.movedMs != null && entry.movedFields) {
      // An explicit move wins over the holiday policy: someone chose that time.
      startMs = entry.movedMs;
      startLocal = formatLocal(entry.movedFields);
      moved = startMs !== g.ms;
    } else if (holiday !== null && spec.holidayPolicy === "drop") skipped = "holiday";
    else if (holiday !== null && spec.holidayPolicy === "move") {
      const to = holidayMove(g.fields, spec.tzid);
      startMs = to.epochMilliseconds;
      startLocal = formatLocal(fieldsOf(to));
      moved = true;
    }
    if (skipped !== null && !o.includeSkipped) return;
    if (startMs >= toMs || startMs + durationMs <= fromMs) return;
    out.push({ recurrenceId, startLocal, start: new Date(startMs), end: new Date(startMs + durationMs), moved, holiday, skipped, status });
  };
  // In chunks, so a huge window over a daily rule costs about `limit` occurrences, not the
  // window. Once `limit` are found, one more chunk: a holiday move can push an occurrence past
  // later originals (by days, less than a chunk).
  let extraChunk = false;
  for (let chunkFrom = genFrom; chunkFrom <= toMs; chunkFrom += CHUNK_MS + 1) {
    for (const g of generate(compiled, chunkFrom, Math.min(toMs, chunkFrom + CHUNK_MS))) take(g);
    if (extraChunk) break;
    if (out.length >= limit) extraChunk = true;
  }
  // Occurrences moved into the window from outside the range generated, one by one.
  for (const [ms, { movedMs }] of overrides) {
    if (seen.has(ms) || movedMs === null || movedMs >= toMs || movedMs + maxDurationMs <= fromMs) continue;
    const g = generatesAt(compiled, ms);
    if (g) take(g);
  }
  out.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.recurrenceId < b.recurrenceId ? -1 : 1));
  return out.length > limit ? out.slice(0, limit) : out;
}

/**
 * Whether `recurrenceId` (canonical local form, as expandSeries gives it) is an occurrence of the
 * series: made by the rule, not taken out by EXDATE, not dropped as a holiday. A cancelled or
 * moved occurrence still is one.
 */
export function isOccurrence(o: { spec: RecurrenceSpec; recurrenceId: string }): boolean {
  const compiled = checkSpec(o.spec);
  const m = LOCAL.exec(o.recurrenceId);
  if (!m || m[6] === undefined) return false;
  let ms: number;
  try {
    ms = zoned(parseLocal(o.recurrenceId, "recurrenceId"), o.spec.tzid).epochMilliseconds;
  } catch {
    return false;
  }
  const g = generatesAt(compiled, ms);
  if (!g || formatLocal(g.fields) !== o.recurrenceId) return false;
  if (exdateSet(o.spec).has(ms)) return false;
  if (o.spec.holidayPolicy === "drop" && holidayOn(dateOf(g.fields)) !== null) return false;
  return true;
}

/**
 * "This and following": the old series ends just before `recurrenceId` (UNTIL one second before
 * it, in UTC), the new one starts at it with the same rule (COUNT reduced by the occurrences
 * before). EXDATEs go to the side they belong to. Together they have the old series' occurrences.
 */
export function splitSeries(o: { spec: RecurrenceSpec; recurrenceId: string }): { before: RecurrenceSpec; after: RecurrenceSpec } {
  const { spec } = o;
  const compiled = checkSpec(spec);
  if (!compiled.rule || spec.rrule === null) throw new RecurrenceError("recurrenceId", "a single meeting cannot be split");
  const splitMs = zoned(parseLocal(o.recurrenceId, "recurrenceId"), spec.tzid).epochMilliseconds;
  const at = generatesAt(compiled, splitMs);
  if (!at) throw new RecurrenceError("recurrenceId", "not an occurrence of the series");
  if (splitMs === compiled.dtstartMs) throw new RecurrenceError("recurrenceId", "the first occurrence: edit all instead");

  const parts = parseParts(spec.rrule);
  const beforeParts: Parts = new Map(parts);
  beforeParts.delete("COUNT");
  beforeParts.delete("UNTIL");
  beforeParts.set("UNTIL", utcText(splitMs - 1000));

  const afterParts: Parts = new Map(parts);
  const count = parts.get("COUNT");
  if (count !== undefined) {
    // COUNT counts the rule's occurrences before EXDATE is taken out (RFC 5545 §3.3.10, §3.8.5.1).
    const earlier = generate(compiled, compiled.dtstartMs, splitMs - 1).length;
    afterParts.set("COUNT", String(Number(count) - earlier));
  }
  const exBefore: string[] = [];
  const exAfter: string[] = [];
  for (const ex of spec.exdates) (zoned(parseLocal(ex, "exdates"), spec.tzid).epochMilliseconds < splitMs ? exBefore : exAfter).push(ex);
  return {
    before: { ...spec, rrule: formatParts(beforeParts), exdates: exBefore },
    after: { ...spec, dtstartLocal: formatLocal(at.fields), rrule: formatParts(afterParts), exdates: exAfter },
  };
}
