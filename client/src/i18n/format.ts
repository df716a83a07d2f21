import { localeFor, type Language } from "./types.ts";

/**
 * Every date, time and number the UI shows, through Intl. Laget serves Norwegian
 * municipalities: moments are shown in Norwegian time wherever the browser is.
 */
export const OSLO = "Europe/Oslo";

const styles = {
  /** 3. mars 2026 */
  date: { day: "numeric", month: "long", year: "numeric", timeZone: OSLO },
  /** 3. mars 2026, 14:05 */
  dateTime: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: OSLO },
  /** 14:05 */
  time: { hour: "2-digit", minute: "2-digit", timeZone: OSLO },
  /** A calendar day ("2026-09-01") is no moment: read and shown at UTC midnight, so no zone moves it. */
  day: { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" },
  /** yyyy-mm-dd, the day a moment falls on in Norway (Swedish writes dates that way). */
  isoDay: { timeZone: OSLO },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
type Style = keyof typeof styles;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, style: Style): Intl.DateTimeFormat {
  const key = `${locale}:${style}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, styles[style])));
  return f;
}

type Moment = Date | string;

export function formatDate(d: Moment, language: Language): string {
  return formatter(localeFor[language], "date").format(new Date(d));
}

export function formatDateTime(d: Moment, language: Language): string {
  return formatter(localeFor[language], "dateTime").format(new Date(d));
}

export function formatTime(d: Moment, language: Language): string {
  return formatter(localeFor[language], "time").format(new Date(d));
}

/** "2026-09-01" as 1. september 2026, the same day in every time zone. */
export function formatDay(day: string, language: Language): string {
  return formatter(localeFor[language], "day").format(new Date(`${day}T00:00:00Z`));
}

export function formatNumber(n: number, language: Language): string {
  return n.toLocaleString(localeFor[language]);
}

/** The day (yyyy-mm-dd) a moment falls on in Norway. */
export function osloDay(d: Moment): string {
  return formatter("sv-SE", "isoDay").format(new Date(d));
}

/** The formatters bound to one language, as useFormat() hands them to components. */
export function formatsFor(language: Language) {
  return {
    date: (d: Moment) => formatDate(d, language),
    dateTime: (d: Moment) => formatDateTime(d, language),
    time: (d: Moment) => formatTime(d, language),
    day: (day: string) => formatDay(day, language),
    number: (n: number) => formatNumber(n, language),
  };
}
export type Formats = ReturnType<typeof formatsFor>;
