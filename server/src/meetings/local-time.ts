// Local date-times of the recurrence engine (DESIGN.md §6): pure, no database, nothing
// depends on the process's TZ (Temporal, from temporal-polyfill).
//
// Local date-time rules (RFC 5545 §3.3.5), the same everywhere in the engine: a local time
// that does not exist (spring forward) means the UTC offset before the gap (02:30 → 03:30 CEST);
// a local time that occurs twice (fall back) means the first. That is Temporal's "compatible"
// disambiguation.
//
// An occurrence's `recurrenceId` is its original start as canonical local wall-clock time
// "YYYY-MM-DDTHH:MM:SS" (for a DTSTART inside a gap: the time it is actually at, 03:30).

import { Temporal } from "temporal-polyfill";

/** A recurrence that makes no sense; `field` names the input at fault. */
export class RecurrenceError extends Error {
  field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "RecurrenceError";
    this.field = field;
  }
}

export const DEFAULT_TZID = "Europe/Oslo";

/** "YYYY-MM-DDTHH:MM" with optional ":SS". */
export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad2 = (n: number): string => String(n).padStart(2, "0");

export type Fields = { year: number; month: number; day: number; hour: number; minute: number; second: number };
export const fieldsOf = (z: Fields): Fields => ({ year: z.year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second });
export const formatLocal = (f: Fields): string =>
  `${String(f.year).padStart(4, "0")}-${pad2(f.month)}-${pad2(f.day)}T${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}`;

export function parseLocal(value: string, field: string): Temporal.PlainDateTime {
  const m = typeof value === "string" ? LOCAL_DATE_TIME.exec(value) : null;
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

export function parseDate(value: string, field: string): Temporal.PlainDate {
  const m = typeof value === "string" ? DATE.exec(value) : null;
  if (!m) throw new RecurrenceError(field, `not a date (YYYY-MM-DD): ${String(value)}`);
  try {
    return Temporal.PlainDate.from({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { overflow: "reject" });
  } catch {
    throw new RecurrenceError(field, `no such date: ${value}`);
  }
}

const knownZones = new Set<string>();
export function checkZone(tzid: string): string {
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
export function zoned(local: Temporal.PlainDateTime, tzid: string): Temporal.ZonedDateTime {
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

/** The local date ("YYYY-MM-DD") of local date-time fields. */
export const dateOf = (f: Fields): string => `${String(f.year).padStart(4, "0")}-${pad2(f.month)}-${pad2(f.day)}`;
