import Holidays from "date-holidays";
import { describe, expect, test } from "vitest";
import { easterSunday, holidayOn, norwegianHolidays } from "./holidays.ts";

// Laget computes Norway's public holidays itself; an independent implementation checks it.

describe("norwegianHolidays", () => {
  test.each([2026, 2027, 2028, 2029, 2030])("%i equals date-holidays' public holidays for NO", (year) => {
    const reference = new Holidays("NO")
      .getHolidays(year)
      .filter((h) => h.type === "public")
      .map((h) => h.date.slice(0, 10))
      .sort();
    const ours = norwegianHolidays(year);
    expect(ours).toHaveLength(12);
    expect(ours.map((h) => h.date)).toEqual(reference);
  });

  test("Easter by the anonymous Gregorian algorithm, on known dates", () => {
    expect(easterSunday(2026)).toEqual({ month: 4, day: 5 });
    expect(easterSunday(2027)).toEqual({ month: 3, day: 28 });
    expect(easterSunday(2019)).toEqual({ month: 4, day: 21 });
    expect(easterSunday(2285)).toEqual({ month: 3, day: 22 }); // earliest possible
    expect(easterSunday(2038)).toEqual({ month: 4, day: 25 }); // latest possible
  });

  test("the Easter-based ones of 2027 carry their keys", () => {
    expect(norwegianHolidays(2027)).toEqual([
      { date: "2027-01-01", key: "newYearsDay" },
      { date: "2027-03-25", key: "maundyThursday" },
      { date: "2027-03-26", key: "goodFriday" },
      { date: "2027-03-28", key: "easterSunday" },
      { date: "2027-03-29", key: "easterMonday" },
      { date: "2027-05-01", key: "labourDay" },
      { date: "2027-05-06", key: "ascensionDay" },
      { date: "2027-05-16", key: "whitSunday" },
      { date: "2027-05-17", key: "17mai" },
      { date: "2027-05-17", key: "whitMonday" },
      { date: "2027-12-25", key: "christmasDay" },
      { date: "2027-12-26", key: "boxingDay" },
    ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)));
  });

  test("holidayOn names the holiday of a date, or null", () => {
    expect(holidayOn("2026-05-17")).toBe("17mai");
    expect(holidayOn("2026-04-06")).toBe("easterMonday");
    expect(holidayOn("2026-05-14")).toBe("ascensionDay");
    expect(holidayOn("2026-05-25")).toBe("whitMonday");
    expect(holidayOn("2026-12-24")).toBeNull(); // julaften is not a public holiday
    expect(holidayOn("2026-05-18")).toBeNull();
    expect(() => holidayOn("17.05.2026")).toThrow();
  });

  test("the lists are cached but callers get copies", () => {
    const a = norwegianHolidays(2028);
    a[0]!.date = "mutated";
    expect(norwegianHolidays(2028)[0]!.date).toBe("2028-01-01");
  });
});
