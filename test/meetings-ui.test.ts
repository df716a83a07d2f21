import { describe, expect, test } from "vitest";
import { monthLayout, osloDayOf, osloInstant, rangeOf, step, weekLayout } from "../client/src/meetings/calendar.ts";
import { draftOfSeries, emptyDraft, previewInput, recurrenceOf, serverFieldErrors, seriesInputOf, validate } from "../client/src/meetings/editor-model.ts";
import type { OccurrenceSummary } from "../client/src/meetings/types.ts";

// The Møter views' calendar arithmetic and the series editor's rule builder (pure, client side).

const at = (start: string, title = "Møte"): OccurrenceSummary => ({
  seriesId: "s",
  recurrenceId: start,
  meetingId: null,
  kind: "flyt_mote",
  kindName: null,
  title,
  start,
  end: start,
  status: "planned",
  moved: false,
  place: null,
  videoLink: null,
  organiserUnitId: "u",
});

describe("calendar", () => {
  test("Oslo wall-clock times become instants on both sides of the DST changes", () => {
    expect(osloInstant("2027-03-26T09:00:00").toISOString()).toBe("2027-03-26T08:00:00.000Z");
    expect(osloInstant("2027-03-29T09:00:00").toISOString()).toBe("2027-03-29T07:00:00.000Z");
    expect(osloInstant("2027-10-31T09:00:00").toISOString()).toBe("2027-10-31T08:00:00.000Z");
    expect(osloInstant("2027-05-17T00:00:00").toISOString()).toBe("2027-05-16T22:00:00.000Z");
  });

  test("a meeting is placed on its Oslo day, not its UTC day", () => {
    expect(osloDayOf("2027-05-16T22:30:00.000Z")).toBe("2027-05-17");
    const week = weekLayout("2027-05-19", [at("2027-05-16T22:30:00.000Z", "tidlig"), at("2027-05-17T12:00:00.000Z", "senere")], "2027-05-19");
    expect(week[0]!.day).toBe("2027-05-17");
    expect(week[0]!.occurrences.map((o) => o.title)).toEqual(["tidlig", "senere"]);
    expect(week.map((d) => d.isToday)).toEqual([false, false, true, false, false, false, false]);
  });

  test("the month view covers whole weeks, Monday first, and asks for exactly those days", () => {
    const range = rangeOf("month", "2027-05-10");
    expect([range.first, range.last]).toEqual(["2027-04-26", "2027-06-06"]);
    expect(range.from).toBe("2027-04-25T22:00:00.000Z");
    expect(range.to).toBe("2027-06-06T22:00:00.000Z");
    const weeks = monthLayout("2027-05-10", [at("2027-05-03T07:00:00.000Z"), at("2027-05-31T07:00:00.000Z")], "2027-05-10");
    expect(weeks).toHaveLength(6);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    const withMeetings = weeks.flat().filter((c) => c.occurrences.length > 0);
    expect(withMeetings.map((c) => [c.day, c.inMonth])).toEqual([
      ["2027-05-03", true],
      ["2027-05-31", true],
    ]);
    expect(weeks[0]![0]).toMatchObject({ day: "2027-04-26", inMonth: false });
  });

  test("Forrige/Neste move by a week, a month (from its first day) or 60 days", () => {
    expect(step("week", "2027-05-10", 1)).toBe("2027-05-17");
    expect(step("month", "2027-01-31", 1)).toBe("2027-02-01");
    expect(step("month", "2027-01-15", -1)).toBe("2026-12-01");
    expect(step("list", "2027-05-10", -1)).toBe("2027-03-11");
  });
});

describe("series editor", () => {
  const base = { ...emptyDraft("2027-05-03", "unit-1"), title: "Flyt-møte" };

  test("every other Monday, holidays dropped: the rule and the preview's input", () => {
    const d = { ...base, interval: "2" };
    expect(recurrenceOf(d).recurrence).toEqual({ freq: "weekly", interval: 2, byWeekday: ["MO"], end: { kind: "never" } });
    expect(previewInput(d)).toEqual({ dtstartLocal: "2027-05-03T09:00:00", recurrence: { freq: "weekly", interval: 2, byWeekday: ["MO"], end: { kind: "never" } }, holidayPolicy: "drop", durationMinutes: 60 });
    expect(validate(d)).toEqual({});
  });

  test("monthly on the last Thursday, ending after 5; daily until a date", () => {
    expect(recurrenceOf({ ...base, freq: "monthly", monthlyBy: "weekday", setPos: "-1", monthWeekday: "TH", endKind: "count", count: "5" }).recurrence).toEqual({
      freq: "monthly",
      interval: 1,
      monthlyBy: "weekday",
      byWeekday: ["TH"],
      setPos: -1,
      end: { kind: "count", count: 5 },
    });
    expect(recurrenceOf({ ...base, freq: "daily", endKind: "until", until: "2027-06-01" }).recurrence).toEqual({ freq: "daily", interval: 1, end: { kind: "until", date: "2027-06-01" } });
  });

  test("obvious mistakes are caught at their fields before sending", () => {
    expect(validate({ ...base, title: " ", interval: "0", weekdays: [], duration: "2", endKind: "until", until: "2027-01-01" })).toEqual({
      title: "meetings.editor.errors.titleRequired",
      interval: "meetings.editor.errors.intervalInvalid",
      weekdays: "meetings.editor.errors.weekdaysRequired",
      duration: "meetings.editor.errors.durationInvalid",
      until: "meetings.editor.errors.untilInvalid",
    });
    expect(previewInput({ ...base, startTime: "" })).toBeNull();
  });

  test("the server's field errors land at the editor's fields", () => {
    expect(serverFieldErrors({ "changes.recurrence.interval": ["too big"], "externalParticipants.0.name": ["x"] }, "VALIDATION")).toEqual({
      interval: "meetings.editor.errors.intervalInvalid",
      externals: "meetings.editor.errors.externalIncomplete",
    });
    expect(serverFieldErrors(null, "INVALID_RECURRENCE")).toEqual({ repeat: "meetings.editor.errors.recurrence" });
    expect(serverFieldErrors({ until: ["before start"] }, "INVALID_RECURRENCE")).toEqual({ until: "meetings.editor.errors.untilInvalid" });
  });

  test("a stored series comes back into the editor as it was sent", () => {
    const d = { ...base, interval: "2", place: "Møterom 2", externals: [{ name: "Kari", role: "Mor" }], participantUnitIds: ["u2"], endKind: "count" as const, count: "12" };
    const input = seriesInputOf(d);
    const back = draftOfSeries(
      { ...input, chairUserId: null, minuteTakerUserId: null, place: input.place ?? null, videoLink: null },
      { units: [{ id: "u2" }], users: [], externals: [{ id: "x1", name: "Kari", role: "Mor" }] },
    );
    expect(seriesInputOf(back)).toEqual(input);
  });
});
