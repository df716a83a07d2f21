// The recurrence engine of a meeting series (DESIGN.md §6): pure, no database.
//
// A series is stored as RFC 5545 text: DTSTART as a local date-time in its zone ("Europe/Oslo"),
// the RRULE value (rrule-text.ts), EXDATE as local date-times (local-time.ts). We expand it with
// `rrule-temporal` in strict mode on `temporal-polyfill`: local time is kept across DST, and
// nothing depends on the process's TZ.
//
// A generated occurrence whose local time does not exist is left out and not counted
// (RFC 5545 §3.3.10); DTSTART itself always is the first occurrence.

import type { HolidayPolicy } from "@laget/domain";
import { Temporal } from "temporal-polyfill";
import { holidayOn, type HolidayKey } from "./holidays.ts";
import { dateOf, fieldsOf, formatLocal, LOCAL_DATE_TIME, parseLocal, RecurrenceError, zoned, type Fields } from "./local-time.ts";
import { formatParts, parseParts, ruleFor, utcText, type CompiledRule, type Parts } from "./rrule-text.ts";

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

/** Occurrences one expansion returns at most, unless `limit` says otherwise. */
export const DEFAULT_LIMIT = 2000;
const MAX_DURATION_MINUTES = 7 * 24 * 60;
const DAY_MS = 86_400_000;
/** How far a holiday move can push an occurrence (Easter: Thursday → Tuesday is 5 days). */
const HOLIDAY_MOVE_MARGIN_MS = 10 * DAY_MS;
/** Expansion generates this much of a window at a time (two years). */
const CHUNK_MS = 731 * DAY_MS;

type Generated = { ms: number; fields: Fields };

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
  const m = LOCAL_DATE_TIME.exec(o.recurrenceId);
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
