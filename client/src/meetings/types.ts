/**
 * The meeting shapes the UI works with, as the meetings contract gives them
 * (/work/meetings-contract.md). The pure parts (calendar layout, the editor's rule
 * builder) depend on these alone, so they run without the server's types (the bench).
 */

export type Weekday = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
export const weekdays: readonly Weekday[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
export type HolidayPolicy = "none" | "drop" | "move";
export const holidayPolicies: readonly HolidayPolicy[] = ["none", "drop", "move"];

export type RecurrenceEnd = { kind: "never" } | { kind: "count"; count: number } | { kind: "until"; date: string };
export type RecurrenceInput =
  | { freq: "none" }
  | {
      freq: "daily" | "weekly" | "monthly";
      interval: number;
      byWeekday?: Weekday[];
      monthlyBy?: "monthday" | "weekday";
      setPos?: number;
      end: RecurrenceEnd;
    };

export type MeetingStatus = "planned" | "held" | "cancelled";

/** One meeting in a calendar view (meetings.list). */
export type OccurrenceSummary = {
  seriesId: string;
  recurrenceId: string;
  meetingId: string | null;
  kind: string;
  kindName: string | null;
  title: string;
  start: string;
  end: string;
  status: MeetingStatus;
  moved: boolean;
  place: string | null;
  videoLink: string | null;
  organiserUnitId: string;
};

/** One date of the series editor's preview (meetings.preview). */
export type PreviewOccurrence = {
  recurrenceId: string;
  startLocal: string;
  start: string;
  skipped: null | "exdate" | "holiday" | "cancelled";
  holiday: string | null;
  moved: boolean;
};

export type AttendanceStatus = "present" | "absent" | "excused";
export const attendanceStatuses: readonly AttendanceStatus[] = ["present", "absent", "excused"];
export type MinutesState = "draft" | "review" | "approved";
export type OutcomeKind = "information" | "decision" | "action";
export const outcomeKinds: readonly OutcomeKind[] = ["information", "decision", "action"];
export type AgendaItemKind = "case" | "anonymous" | "topic" | "general";
