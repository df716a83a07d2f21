import { Temporal } from "temporal-polyfill";

/**
 * Instants as wall-clock time in a series' zone, on Temporal (never the host's TZ). The
 * other way (local → instant, RFC 5545's gap and fold rules) is local-time.ts's instantOfLocal.
 */

/** The instant as local "YYYY-MM-DDTHH:MM:SS" in the zone. */
export function instantToLocal(at: Date, tzid: string): string {
  const local = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(tzid).toPlainDateTime();
  return local.toString({ smallestUnit: "second" });
}

/** The local date ("YYYY-MM-DD") of an instant in the zone. */
export function localDateOf(at: Date, tzid: string): string {
  return instantToLocal(at, tzid).slice(0, 10);
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
