import type { AsActor } from "../auth/actor.ts";
import type { EventBus } from "../events/bus.ts";
import { authorizeMeeting, recordMeetingAccess } from "./access.ts";
import { publishMeetingEvent, seriesAudience } from "./events.ts";
import { FieldError } from "./series-values.ts";

export type AttendanceStatus = "present" | "absent" | "excused";
export type AttendanceEntry = ({ userId: string } | { externalParticipantId: string }) & { status: AttendanceStatus };

/**
 * Who came (DESIGN.md §6), recorded by the chair, the minute-taker or the organiser unit:
 * for the series' people with an account (named, or members of a participating or the
 * organiser unit) and its external participants (the parents). A later entry for the
 * same person replaces the earlier one.
 */
export async function setAttendance({ db, bus, actor, meetingId, entries }: AsActor & { bus: EventBus; meetingId: string; entries: AttendanceEntry[] }): Promise<{ meetingId: string }> {
  const { meeting, series } = await authorizeMeeting({ db, actor, meetingId, action: "recordAttendance" });
  const people = new Set(await seriesAudience({ db, seriesId: series.id }));
  const externals = new Set(
    (await db.selectFrom("meeting_external_participants").select("id").where("series_id", "=", series.id).where("removed_at", "is", null).execute()).map((e) => e.id),
  );
  entries.forEach((e, i) => {
    if ("userId" in e && !people.has(e.userId)) throw new FieldError("VALIDATION", `entries.${i}.userId`, "not a participant of the meeting");
    if ("externalParticipantId" in e && !externals.has(e.externalParticipantId)) throw new FieldError("VALIDATION", `entries.${i}.externalParticipantId`, "not an external participant of the meeting");
  });
  await db.transaction().execute(async (trx) => {
    for (const e of entries) {
      const values = { meeting_id: meeting.id, status: e.status, recorded_by: actor.id, recorded_at: new Date() };
      if ("userId" in e) {
        await trx
          .insertInto("meeting_attendance")
          .values({ ...values, user_id: e.userId })
          .onConflict((oc) => oc.columns(["meeting_id", "user_id"]).where("user_id", "is not", null).doUpdateSet({ status: e.status, recorded_by: actor.id, recorded_at: new Date() }))
          .execute();
      } else {
        await trx
          .insertInto("meeting_attendance")
          .values({ ...values, external_participant_id: e.externalParticipantId })
          .onConflict((oc) =>
            oc.columns(["meeting_id", "external_participant_id"]).where("external_participant_id", "is not", null).doUpdateSet({ status: e.status, recorded_by: actor.id, recorded_at: new Date() }),
          )
          .execute();
      }
    }
    await recordMeetingAccess({ db: trx, actor, seriesId: series.id, meetingId: meeting.id, action: "meeting.attendance" });
  });
  await publishMeetingEvent({ db, bus, userIds: [...people], exceptUserId: actor.id, type: "meeting.changed", seriesId: series.id, recurrenceId: meeting.recurrence_id, change: "attendance" });
  return { meetingId: meeting.id };
}
