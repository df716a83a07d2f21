import { Temporal } from "temporal-polyfill";
import { holidayOn } from "../meetings/holidays.ts";

const ZONE = "Europe/Oslo";

/** Whether a local date ("YYYY-MM-DD") is a Norwegian working day: Monday to Friday and no public holiday. */
export function isWorkingDay(date: string): boolean {
  const day = Temporal.PlainDate.from(date).dayOfWeek;
  return day <= 5 && holidayOn(date) === null;
}

/**
 * When a recipient's answer is due (DESIGN.md §7): `workingDays` working days after the
 * day it was sent (Oslo time, weekends and Norwegian public holidays not counted), at the
 * same time of day. Sent on Friday 23 December with 5 working days: due Friday 30 December.
 */
export function responseDueAt({ sentAt, workingDays }: { sentAt: Date; workingDays: number }): Date {
  const sent = Temporal.Instant.fromEpochMilliseconds(sentAt.getTime()).toZonedDateTimeISO(ZONE);
  let day = sent.toPlainDate();
  let left = workingDays;
  while (left > 0) {
    day = day.add({ days: 1 });
    if (isWorkingDay(day.toString())) left -= 1;
  }
  const due = day.toZonedDateTime({ timeZone: ZONE, plainTime: sent.toPlainTime() });
  return new Date(due.epochMilliseconds);
}
