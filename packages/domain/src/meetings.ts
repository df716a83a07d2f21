/**
 * The words a meeting series is made of (DESIGN.md §6), shared by the server's recurrence
 * engine and zod inputs and by the client's series editor: one spelling of each.
 */
export const weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof weekdays)[number];
/** Norwegian public holidays: kept, dropped, or moved to the next working day. */
export const holidayPolicies = ["none", "drop", "move"] as const;
export type HolidayPolicy = (typeof holidayPolicies)[number];
export const meetingStatuses = ["planned", "held", "cancelled"] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];
export const attendanceStatuses = ["present", "absent", "excused"] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

/** One meeting in a calendar view, as `meetings.list` returns it and the calendar shows it. */
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

export type RecurrenceEnd = { kind: "never" } | { kind: "count"; count: number } | { kind: "until"; date: string /* YYYY-MM-DD local */ };
/** What the series editor sends; the server turns it into RRULE text. */
export type RecurrenceInput =
  | { freq: "none" }
  | {
      freq: "daily" | "weekly" | "monthly";
      interval: number; // 1..52
      byWeekday?: Weekday[]; // weekly: days; monthly-by-weekday: one day
      monthlyBy?: "monthday" | "weekday"; // monthly: the 14th, or the 2nd Tuesday
      setPos?: number; // monthly weekday: 1..4 or -1 (last)
      end: RecurrenceEnd;
    };
