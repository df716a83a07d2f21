import type { OccurrenceSummary } from "./types.ts";

/**
 * Calendar arithmetic for the Møter views, on calendar days ("2026-03-02") in Norwegian
 * time: days are counted at UTC midnight (no zone moves them), and a day's bounds as
 * instants come from the Europe/Oslo offset of that day. Pure, so the month view's
 * layout can be measured on its own (test/bench/meetings-month.ts).
 */

const OSLO = "Europe/Oslo";
const dayMs = 24 * 3600 * 1000;

export type View = "month" | "week" | "list";
export const views: readonly View[] = ["week", "month", "list"];

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function startOfWeek(day: string): string {
  return addDays(day, -weekdayIndex(day));
}

export function startOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(day: string, n: number): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}

const partsFormatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: OSLO,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** The wall clock in Oslo at an instant, as "YYYY-MM-DDTHH:MM:SS". */
export function osloLocal(instant: Date | string): string {
  const p = Object.fromEntries(partsFormatter.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

// Swedish writes dates as yyyy-mm-dd; format() is much cheaper than formatToParts().
const dayFormatter = new Intl.DateTimeFormat("sv-SE", { timeZone: OSLO, year: "numeric", month: "2-digit", day: "2-digit" });

/** The day a moment falls on in Oslo. */
export function osloDayOf(instant: Date | string): string {
  return dayFormatter.format(new Date(instant));
}

/** The instant a local Oslo wall-clock time ("YYYY-MM-DDTHH:MM:SS") names (the later one in a DST gap). */
export function osloInstant(local: string): Date {
  const asUtc = Date.parse(`${local}Z`);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const offset = Date.parse(`${osloLocal(new Date(guess))}Z`) - guess;
    guess = asUtc - offset;
  }
  return new Date(guess);
}

/** Today in Oslo. */
export function today(now = new Date()): string {
  return osloDayOf(now);
}

/** The days a view shows around `day`, and the instants to ask meetings.list for. */
export function rangeOf(view: View, day: string): { first: string; last: string; from: string; to: string } {
  let first: string;
  let last: string;
  if (view === "week") {
    first = startOfWeek(day);
    last = addDays(first, 6);
  } else if (view === "month") {
    first = startOfWeek(startOfMonth(day));
    last = addDays(startOfWeek(addDays(addMonths(startOfMonth(day), 1), -1)), 6);
  } else {
    first = day;
    last = addDays(day, 59);
  }
  return { first, last, from: osloInstant(`${first}T00:00:00`).toISOString(), to: osloInstant(`${addDays(last, 1)}T00:00:00`).toISOString() };
}

/** Where the views move on Forrige / Neste. */
export function step(view: View, day: string, direction: 1 | -1): string {
  if (view === "week") return addDays(day, 7 * direction);
  if (view === "month") return addMonths(startOfMonth(day), direction);
  return addDays(day, 60 * direction);
}

export type DayCell = { day: string; inMonth: boolean; isToday: boolean; occurrences: OccurrenceSummary[] };

/** Meetings per Oslo day, each day's in start order. */
export function byDay(occurrences: readonly OccurrenceSummary[]): Map<string, OccurrenceSummary[]> {
  const map = new Map<string, OccurrenceSummary[]>();
  for (const o of occurrences) {
    const d = osloDayOf(o.start);
    let list = map.get(d);
    if (!list) map.set(d, (list = []));
    list.push(o);
  }
  for (const list of map.values()) list.sort((a, b) => a.start.localeCompare(b.start) || a.title.localeCompare(b.title));
  return map;
}

/** The month view's grid: whole weeks (Monday first) covering the month of `day`. */
export function monthLayout(day: string, occurrences: readonly OccurrenceSummary[], todayDay: string): DayCell[][] {
  const month = day.slice(0, 7);
  const { first, last } = rangeOf("month", day);
  const days = byDay(occurrences);
  const weeks: DayCell[][] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) {
    if (weekdayIndex(d) === 0) weeks.push([]);
    weeks[weeks.length - 1]!.push({ day: d, inMonth: d.slice(0, 7) === month, isToday: d === todayDay, occurrences: days.get(d) ?? [] });
  }
  return weeks;
}

/** The week view's seven days. */
export function weekLayout(day: string, occurrences: readonly OccurrenceSummary[], todayDay: string): DayCell[] {
  const first = startOfWeek(day);
  const days = byDay(occurrences);
  return Array.from({ length: 7 }, (_, i) => {
    const d = addDays(first, i);
    return { day: d, inMonth: true, isToday: d === todayDay, occurrences: days.get(d) ?? [] };
  });
}

/** The path of one meeting's page. */
export function meetingPath(o: { seriesId: string; recurrenceId: string }): string {
  return `/moter/${encodeURIComponent(o.seriesId)}/${encodeURIComponent(o.recurrenceId)}`;
}
