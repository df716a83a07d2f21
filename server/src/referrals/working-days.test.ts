import { expect, test } from "vitest";
import { isWorkingDay, responseDueAt } from "./working-days.ts";

test("working days skip weekends and Norwegian public holidays", () => {
  expect(isWorkingDay("2026-12-02")).toBe(true);
  expect(isWorkingDay("2026-12-05")).toBe(false); // Saturday
  expect(isWorkingDay("2026-12-25")).toBe(false); // Christmas Day, a Friday
  expect(isWorkingDay("2026-05-14")).toBe(false); // Ascension Day
});

test("the answer is due five working days after sending, holidays not counted", () => {
  // Wednesday 2 December 2026, 10:00 in Oslo: due Wednesday 9 December, 10:00.
  expect(responseDueAt({ sentAt: new Date("2026-12-02T09:00:00Z"), workingDays: 5 }).toISOString()).toBe("2026-12-09T09:00:00.000Z");
  // Monday 21 December: 22, 23, 24, (25, 26 holidays, 27 Sunday), 28, 29 → Tuesday 29 December.
  expect(responseDueAt({ sentAt: new Date("2026-12-21T09:00:00Z"), workingDays: 5 }).toISOString()).toBe("2026-12-29T09:00:00.000Z");
  // Across Easter 2026 (Maundy Thursday 2 April, Good Friday 3, Easter Monday 6): sent Wednesday 1 April → 7, 8, 9, 10, 13.
  expect(responseDueAt({ sentAt: new Date("2026-04-01T08:00:00Z"), workingDays: 5 }).toISOString()).toBe("2026-04-13T08:00:00.000Z");
});
