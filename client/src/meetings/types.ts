/**
 * The meeting shapes the UI works with: the words of a series from @laget/domain (the
 * server's spelling), and the views as the `meetings` and `agenda` routers return them.
 * The pure parts (calendar layout, the editor's rule builder) depend on these alone, so
 * they run without the server's types (the bench).
 */

export { attendanceStatuses, holidayPolicies, weekdays } from "@laget/domain";
export type { AttendanceStatus, HolidayPolicy, MeetingStatus, OccurrenceSummary, RecurrenceEnd, RecurrenceInput, Weekday } from "@laget/domain";

/** One date of the series editor's preview (meetings.preview). */
export type PreviewOccurrence = {
  recurrenceId: string;
  startLocal: string;
  start: string;
  skipped: null | "exdate" | "holiday" | "cancelled";
  holiday: string | null;
  moved: boolean;
};

export type MinutesState = "draft" | "review" | "approved";
export { outcomeKinds, type OutcomeKind } from "@laget/domain";
export type AgendaItemKind = "case" | "anonymous" | "topic" | "general";
