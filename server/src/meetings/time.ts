import { Temporal } from "temporal-polyfill";

/**
 * Wall-clock time in a series' zone and instants, on Temporal (never the host's TZ).
 * A local time that does not exist (the spring-forward gap) or exists twice (fall back)
 * resolves as RFC 5545 says: "compatible" (later in a gap, earlier when repeated).
 */
export function localToInstant(local: string, tzid: string): Date {
  const zoned = Temporal.PlainDateTime.from(local).toZonedDateTime(tzid, { disambiguation: "compatible" });
  return new Date(zoned.epochMilliseconds);
}

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
