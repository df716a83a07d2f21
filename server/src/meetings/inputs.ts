import { attendanceStatuses, holidayPolicies, weekdays } from "@laget/domain";
import { idSchema, optionalText, text } from "@laget/domain";
import { z } from "zod";

/**
 * The `meetings` router's inputs, checked at the boundary. Local
 * date-times are "YYYY-MM-DDTHH:MM:SS" wall-clock time in the series' zone (Europe/Oslo);
 * "YYYY-MM-DDTHH:MM" is accepted and given its seconds.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function isPlausibleLocal(value: string): boolean {
  const m = LOCAL.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "00"].map(Number) as number[];
  if (year! < 2000 || year! > 2100 || hour! > 23 || minute! > 59 || second! > 59) return false;
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
}

export const localDateTime = z
  .string()
  .max(19)
  .refine(isPlausibleLocal, "must be a local date-time YYYY-MM-DDTHH:MM[:SS] between 2000 and 2100")
  .transform((v) => (v.length === 16 ? `${v}:00` : v));

export const localDate = z.iso.date().refine((d) => Number(d.slice(0, 4)) >= 2000 && Number(d.slice(0, 4)) <= 2100, "must be between 2000 and 2100");


export const recurrenceInputSchema = z.discriminatedUnion("freq", [
  z.object({ freq: z.literal("none") }),
  z.object({
    freq: z.enum(["daily", "weekly", "monthly"]),
    interval: z.number().int().min(1).max(52),
    byWeekday: z.array(z.enum(weekdays)).max(7).optional(),
    monthlyBy: z.enum(["monthday", "weekday"]).optional(),
    setPos: z.number().int().min(-1).max(4).optional(),
    end: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("never") }),
      z.object({ kind: z.literal("count"), count: z.number().int().min(1).max(1000) }),
      z.object({ kind: z.literal("until"), date: localDate }),
    ]),
  }),
]);

/** A meeting kind's key: a default (`flyt_mote`) or one of the municipality's own. */
const kindKey = z.string().regex(/^[a-z0-9_]{1,40}$/, "must be a kind key");
const nullableText = (max: number) => optionalText(max).nullable().optional();
const videoLink = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .nullable()
  .optional();

const seriesFields = {
  kind: kindKey,
  title: text(200),
  organiserUnitId: idSchema,
  chairUserId: idSchema.nullable().optional(),
  minuteTakerUserId: idSchema.nullable().optional(),
  participantUnitIds: z.array(idSchema).max(50),
  participantUserIds: z.array(idSchema).max(200),
  externalParticipants: z.array(z.object({ name: text(120), role: text(120) })).max(30),
  place: nullableText(300),
  videoLink,
  durationMinutes: z.number().int().min(5).max(1440),
  dtstartLocal: localDateTime,
  recurrence: recurrenceInputSchema,
  exdates: z.array(localDateTime).max(500),
  holidayPolicy: z.enum(holidayPolicies),
};

export const seriesInputSchema = z.object({
  ...seriesFields,
  participantUnitIds: seriesFields.participantUnitIds.default([]),
  participantUserIds: seriesFields.participantUserIds.default([]),
  externalParticipants: seriesFields.externalParticipants.default([]),
  exdates: seriesFields.exdates.default([]),
  holidayPolicy: seriesFields.holidayPolicy.default("none"),
});
export type SeriesInput = z.infer<typeof seriesInputSchema>;
export const seriesChangesSchema = z.object(seriesFields).partial();
export type SeriesChanges = z.infer<typeof seriesChangesSchema>;

export const previewInput = z.object({
  dtstartLocal: localDateTime,
  recurrence: recurrenceInputSchema,
  exdates: z.array(localDateTime).max(500).default([]),
  holidayPolicy: z.enum(holidayPolicies).default("none"),
  durationMinutes: z.number().int().min(5).max(1440).default(60),
});

export const updateSeriesInput = z
  .object({
    seriesId: idSchema,
    scope: z.enum(["all", "following"]),
    recurrenceId: localDateTime.optional(),
    changes: seriesChangesSchema,
  })
  .refine((v) => v.scope !== "following" || v.recurrenceId !== undefined, { message: "required for scope following", path: ["recurrenceId"] });

export const updateOccurrenceInput = z.object({
  seriesId: idSchema,
  recurrenceId: localDateTime,
  movedToLocal: localDateTime.nullable().optional(),
  durationMinutes: z.number().int().min(5).max(1440).nullable().optional(),
  place: nullableText(300),
  videoLink,
  status: z.enum(["planned", "held", "cancelled"]).optional(),
});

export const seriesIdInput = z.object({ seriesId: idSchema });
export const meetingIdInput = z.object({ meetingId: idSchema });
export const openInput = z.object({ seriesId: idSchema, recurrenceId: localDateTime });
export const listInput = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

export const setAttendanceInput = z.object({
  meetingId: idSchema,
  entries: z
    .array(
      z.union([
        z.object({ userId: idSchema, status: z.enum(attendanceStatuses) }).strict(),
        z.object({ externalParticipantId: idSchema, status: z.enum(attendanceStatuses) }).strict(),
      ]),
    )
    .min(1)
    .max(300),
});
