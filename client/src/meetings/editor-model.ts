import type { MessageKey } from "../i18n/types.ts";
import { weekdayIndex } from "./calendar.ts";
import { weekdays, type HolidayPolicy, type RecurrenceEnd, type RecurrenceInput, type Weekday } from "./types.ts";

/**
 * The series editor's form state and the one translation of it into what the server takes
 * (SeriesInput with a RecurrenceInput). Pure: validated here for the obvious mistakes; the
 * server has the last word (its field errors are mapped back with `serverFieldErrors`).
 */

export type Freq = "none" | "daily" | "weekly" | "monthly";
export type EndKind = "never" | "count" | "until";
export type External = { id?: string; name: string; role: string };

export type Draft = {
  kind: string;
  title: string;
  organiserUnitId: string;
  chairUserId: string;
  minuteTakerUserId: string;
  participantUnitIds: string[];
  participantUserIds: string[];
  externals: External[];
  place: string;
  videoLink: string;
  startDate: string;
  startTime: string;
  duration: string;
  freq: Freq;
  interval: string;
  weekdays: Weekday[];
  monthlyBy: "monthday" | "weekday";
  setPos: string;
  monthWeekday: Weekday;
  endKind: EndKind;
  count: string;
  until: string;
  holidayPolicy: HolidayPolicy;
};

export type Field =
  | "kind"
  | "title"
  | "organiser"
  | "chair"
  | "minuteTaker"
  | "externals"
  | "place"
  | "videoLink"
  | "startDate"
  | "startTime"
  | "duration"
  | "repeat"
  | "interval"
  | "weekdays"
  | "setPos"
  | "count"
  | "until";
export type Errors = Partial<Record<Field, MessageKey>>;

export function weekdayOf(day: string): Weekday {
  return weekdays[weekdayIndex(day)]!;
}

/** The n-th weekday of its month that `day` is (1–4, or -1 for the last when it is the fifth). */
export function setPosOf(day: string): number {
  const n = Math.ceil(Number(day.slice(8, 10)) / 7);
  return n >= 5 ? -1 : n;
}

export function emptyDraft(startDate: string, organiserUnitId: string): Draft {
  return {
    kind: "flyt_mote",
    title: "",
    organiserUnitId,
    chairUserId: "",
    minuteTakerUserId: "",
    participantUnitIds: [],
    participantUserIds: [],
    externals: [],
    place: "",
    videoLink: "",
    startDate,
    startTime: "09:00",
    duration: "60",
    freq: "weekly",
    interval: "1",
    weekdays: [weekdayOf(startDate)],
    monthlyBy: "monthday",
    setPos: String(setPosOf(startDate)),
    monthWeekday: weekdayOf(startDate),
    endKind: "never",
    count: "10",
    until: "",
    holidayPolicy: "drop",
  };
}

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
const isTime = (v: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v);
const intIn = (v: string, min: number, max: number) => /^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max;

export function dtstartOf(d: Draft): string | null {
  return isDay(d.startDate) && isTime(d.startTime) ? `${d.startDate}T${d.startTime}:00` : null;
}

/** The rule as the server takes it, or the fields that stop it. */
export function recurrenceOf(d: Draft): { recurrence: RecurrenceInput | null; errors: Errors } {
  const errors: Errors = {};
  if (d.freq === "none") return { recurrence: { freq: "none" }, errors };
  if (!intIn(d.interval, 1, 52)) errors.interval = "meetings.editor.errors.intervalInvalid";
  if (d.freq === "weekly" && d.weekdays.length === 0) errors.weekdays = "meetings.editor.errors.weekdaysRequired";
  let end: RecurrenceEnd = { kind: "never" };
  if (d.endKind === "count") {
    if (!intIn(d.count, 1, 500)) errors.count = "meetings.editor.errors.countInvalid";
    else end = { kind: "count", count: Number(d.count) };
  } else if (d.endKind === "until") {
    if (!isDay(d.until) || (isDay(d.startDate) && d.until < d.startDate)) errors.until = "meetings.editor.errors.untilInvalid";
    else end = { kind: "until", date: d.until };
  }
  if (Object.keys(errors).length) return { recurrence: null, errors };
  const interval = Number(d.interval);
  if (d.freq === "daily") return { recurrence: { freq: "daily", interval, end }, errors };
  if (d.freq === "weekly") {
    const byWeekday = weekdays.filter((w) => d.weekdays.includes(w));
    return { recurrence: { freq: "weekly", interval, byWeekday, end }, errors };
  }
  if (d.monthlyBy === "weekday") return { recurrence: { freq: "monthly", interval, monthlyBy: "weekday", byWeekday: [d.monthWeekday], setPos: Number(d.setPos), end }, errors };
  return { recurrence: { freq: "monthly", interval, monthlyBy: "monthday", end }, errors };
}

/** What meetings.preview needs, or null while the form cannot say yet. */
export function previewInput(d: Draft) {
  const dtstartLocal = dtstartOf(d);
  const { recurrence } = recurrenceOf(d);
  if (!dtstartLocal || !recurrence || !intIn(d.duration, 5, 720)) return null;
  return { dtstartLocal, recurrence, holidayPolicy: d.holidayPolicy, durationMinutes: Number(d.duration) };
}

/** Every check the form makes before sending. */
export function validate(d: Draft): Errors {
  const errors: Errors = {};
  if (!d.kind) errors.kind = "meetings.editor.errors.kindRequired";
  if (!d.title.trim()) errors.title = "meetings.editor.errors.titleRequired";
  if (!d.organiserUnitId) errors.organiser = "meetings.editor.errors.organiserRequired";
  if (d.externals.some((e) => !e.name.trim() || !e.role.trim())) errors.externals = "meetings.editor.errors.externalIncomplete";
  if (d.videoLink.trim() && !/^https?:\/\/\S+$/.test(d.videoLink.trim())) errors.videoLink = "meetings.editor.errors.videoLink";
  if (!isDay(d.startDate)) errors.startDate = "meetings.editor.errors.dateRequired";
  if (!isTime(d.startTime)) errors.startTime = "meetings.editor.errors.timeRequired";
  if (!intIn(d.duration, 5, 720)) errors.duration = "meetings.editor.errors.durationInvalid";
  return { ...errors, ...recurrenceOf(d).errors };
}

const optional = (v: string) => (v.trim() ? v.trim() : undefined);

/** SeriesInput for meetings.createSeries (and the changes of updateSeries). */
export function seriesInputOf(d: Draft) {
  const { recurrence } = recurrenceOf(d);
  return {
    kind: d.kind,
    title: d.title.trim(),
    organiserUnitId: d.organiserUnitId,
    ...(d.chairUserId ? { chairUserId: d.chairUserId } : {}),
    ...(d.minuteTakerUserId ? { minuteTakerUserId: d.minuteTakerUserId } : {}),
    participantUnitIds: d.participantUnitIds,
    participantUserIds: d.participantUserIds,
    externalParticipants: d.externals.map((e) => ({ name: e.name.trim(), role: e.role.trim() })),
    ...(optional(d.place) ? { place: optional(d.place) } : {}),
    ...(optional(d.videoLink) ? { videoLink: optional(d.videoLink) } : {}),
    durationMinutes: Number(d.duration),
    dtstartLocal: dtstartOf(d) ?? "",
    recurrence: recurrence ?? { freq: "none" as const },
    holidayPolicy: d.holidayPolicy,
  };
}

/** A draft from a stored series (meetings.getSeries), to edit it. */
export function draftOfSeries(s: {
  kind: string;
  title: string;
  organiserUnitId: string;
  chairUserId: string | null;
  minuteTakerUserId: string | null;
  place: string | null;
  videoLink: string | null;
  durationMinutes: number;
  dtstartLocal: string;
  recurrence: RecurrenceInput;
  holidayPolicy: HolidayPolicy;
}, participants: { units: { id: string }[]; users: { id: string }[]; externals: { id: string; name: string; role: string }[] }): Draft {
  const startDate = s.dtstartLocal.slice(0, 10);
  const d = emptyDraft(startDate, s.organiserUnitId);
  const r = s.recurrence;
  const base: Draft = {
    ...d,
    kind: s.kind,
    title: s.title,
    chairUserId: s.chairUserId ?? "",
    minuteTakerUserId: s.minuteTakerUserId ?? "",
    participantUnitIds: participants.units.map((u) => u.id),
    participantUserIds: participants.users.map((u) => u.id),
    externals: participants.externals.map((e) => ({ id: e.id, name: e.name, role: e.role })),
    place: s.place ?? "",
    videoLink: s.videoLink ?? "",
    startTime: s.dtstartLocal.slice(11, 16),
    duration: String(s.durationMinutes),
    holidayPolicy: s.holidayPolicy,
    freq: r.freq,
  };
  if (r.freq === "none") return base;
  const end = r.end;
  return {
    ...base,
    interval: String(r.interval),
    weekdays: r.freq === "weekly" && r.byWeekday?.length ? r.byWeekday : base.weekdays,
    monthlyBy: r.monthlyBy ?? "monthday",
    setPos: r.setPos !== undefined ? String(r.setPos) : base.setPos,
    monthWeekday: r.freq === "monthly" && r.byWeekday?.[0] ? r.byWeekday[0] : base.monthWeekday,
    endKind: end.kind,
    count: end.kind === "count" ? String(end.count) : base.count,
    until: end.kind === "until" ? end.date : "",
  };
}

const serverFields: Record<string, Field> = {
  kind: "kind",
  title: "title",
  organiserUnitId: "organiser",
  chairUserId: "chair",
  minuteTakerUserId: "minuteTaker",
  externalParticipants: "externals",
  place: "place",
  videoLink: "videoLink",
  dtstartLocal: "startDate",
  movedToLocal: "startDate",
  durationMinutes: "duration",
  interval: "interval",
  byWeekday: "weekdays",
  setPos: "setPos",
  count: "count",
  until: "until",
  date: "until",
  end: "until",
  freq: "repeat",
  monthlyBy: "repeat",
  recurrence: "repeat",
  rrule: "repeat",
};

const fieldMessage: Partial<Record<Field, MessageKey>> = {
  interval: "meetings.editor.errors.intervalInvalid",
  weekdays: "meetings.editor.errors.weekdaysRequired",
  count: "meetings.editor.errors.countInvalid",
  until: "meetings.editor.errors.untilInvalid",
  duration: "meetings.editor.errors.durationInvalid",
  videoLink: "meetings.editor.errors.videoLink",
  externals: "meetings.editor.errors.externalIncomplete",
  repeat: "meetings.editor.errors.recurrence",
};

/**
 * The server's field errors (VALIDATION's zod paths, or INVALID_RECURRENCE's field) at the
 * editor's fields: "changes.recurrence.interval" → interval. Unknown paths land at the rule.
 */
export function serverFieldErrors(fieldErrors: Record<string, string[]> | null, appCode: string | null): Errors {
  const errors: Errors = {};
  for (const path of Object.keys(fieldErrors ?? {})) {
    const parts = path.split(".").filter((p) => !/^\d+$/.test(p));
    const field = [...parts].reverse().map((p) => serverFields[p]).find(Boolean) ?? (appCode === "INVALID_RECURRENCE" ? "repeat" : undefined);
    if (field && !errors[field]) errors[field] = fieldMessage[field] ?? "errors.fieldInvalid";
  }
  if (appCode === "INVALID_RECURRENCE" && Object.keys(errors).length === 0) errors.repeat = "meetings.editor.errors.recurrence";
  return errors;
}
