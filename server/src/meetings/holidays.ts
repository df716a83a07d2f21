// Norwegian public holidays (helligdager), computed by Laget: the fixed ones and those that
// hang on Easter (Lov om helligdager og helligdagsfred § 2, plus 1 and 17 May). Pure and
// independent of the process's time zone: dates are plain calendar dates "YYYY-MM-DD".

/** The keys of the twelve public holidays, in calendar order within a year. */
export const HOLIDAY_KEYS = [
  "newYearsDay", // 1. nyttårsdag
  "maundyThursday", // skjærtorsdag
  "goodFriday", // langfredag
  "easterSunday", // 1. påskedag
  "easterMonday", // 2. påskedag
  "labourDay", // 1. mai
  "ascensionDay", // Kristi himmelfartsdag (may fall on 1 or 17 May; see below)
  "17mai", // grunnlovsdagen
  "whitSunday", // 1. pinsedag
  "whitMonday", // 2. pinsedag
  "christmasDay", // 1. juledag
  "boxingDay", // 2. juledag
] as const;
export type HolidayKey = (typeof HOLIDAY_KEYS)[number];
export type Holiday = { date: string; key: HolidayKey };

const pad2 = (n: number): string => String(n).padStart(2, "0");
const isoDate = (year: number, month: number, day: number): string => `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** The date `offset` days from year-month-day, in UTC arithmetic (calendar days only). */
function shifted(year: number, month: number, day: number, offset: number): string {
  const t = new Date(Date.UTC(year, month - 1, day + offset));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

const byYear = new Map<number, readonly Holiday[]>();
const byDate = new Map<number, ReadonlyMap<string, HolidayKey>>();

function compute(year: number): readonly Holiday[] {
  const { month, day } = easterSunday(year);
  const easter = (offset: number) => shifted(year, month, day, offset);
  const list: Holiday[] = [
    { date: isoDate(year, 1, 1), key: "newYearsDay" },
    { date: easter(-3), key: "maundyThursday" },
    { date: easter(-2), key: "goodFriday" },
    { date: easter(0), key: "easterSunday" },
    { date: easter(1), key: "easterMonday" },
    { date: isoDate(year, 5, 1), key: "labourDay" },
    { date: easter(39), key: "ascensionDay" },
    { date: isoDate(year, 5, 17), key: "17mai" },
    { date: easter(49), key: "whitSunday" },
    { date: easter(50), key: "whitMonday" },
    { date: isoDate(year, 12, 25), key: "christmasDay" },
    { date: isoDate(year, 12, 26), key: "boxingDay" },
  ];
  // Ascension Day can fall on 1 May (e.g. 2008) or 17 May (e.g. 2285): still twelve entries,
  // sorted by date; on a shared date the fixed holiday's key wins in holidayOn().
  return Object.freeze(list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)));
}

function yearList(year: number): readonly Holiday[] {
  let list = byYear.get(year);
  if (!list) {
    list = compute(year);
    byYear.set(year, list);
    const dates = new Map<string, HolidayKey>();
    for (const h of list) if (!dates.has(h.date) || h.key === "labourDay" || h.key === "17mai") dates.set(h.date, h.key);
    byDate.set(year, dates);
  }
  return list;
}

/** The twelve Norwegian public holidays of `year`, in date order (cached per year). */
export function norwegianHolidays(year: number): { date: string; key: HolidayKey }[] {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`not a Gregorian year: ${year}`);
  return yearList(year).map((h) => ({ ...h }));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The key of the public holiday on `date` ("YYYY-MM-DD"), or null. */
export function holidayOn(date: string): HolidayKey | null {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const year = Number(m[1]);
  if (year < 1583) return null;
  yearList(year);
  return byDate.get(year)!.get(date) ?? null;
}
