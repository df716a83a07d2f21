import { decideMeeting, type Judgement, type MeetingResource, type MinutesState, type ResourceActions } from "@laget/policy";
import { sql, type Selectable } from "kysely";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import type { MeetingSeriesTable, MeetingsTable } from "../db/schema.ts";
import { AppError } from "../errors.ts";

/**
 * Who may see and change a meeting series and its occurrences (DESIGN.md §6): the policy's
 * `decideMeeting` on facts loaded here, the one place they are loaded. A series the actor
 * may not read is NOT_FOUND, exactly like one that does not exist; one they may read but
 * not change is FORBIDDEN.
 */

export type Series = Selectable<MeetingSeriesTable>;
export type Meeting = Selectable<MeetingsTable>;

/** The policy's view of a series: its people and units. Null when it does not exist. */
export async function seriesResource({ db, seriesId }: { db: Db; seriesId: string }): Promise<{ series: Series; resource: MeetingResource } | null> {
  const series = await db.selectFrom("meeting_series").selectAll().where("id", "=", seriesId).executeTakeFirst();
  if (!series) return null;
  const [units, users] = await Promise.all([
    db.selectFrom("meeting_series_units").select("unit_id").where("series_id", "=", seriesId).execute(),
    db.selectFrom("meeting_series_users").select("user_id").where("series_id", "=", seriesId).execute(),
  ]);
  return {
    series,
    resource: {
      kind: "meeting",
      meetingId: series.id,
      municipalityId: series.municipality_id,
      organiserUnitId: series.organiser_unit_id,
      participantUnitIds: units.map((u) => u.unit_id),
      participantUserIds: users.map((u) => u.user_id),
      chairUserId: series.chair_user_id,
      minuteTakerUserId: series.minute_taker_user_id,
    },
  };
}

type Authorize = AsActor & { action: ResourceActions["meeting"]; audit?: string };

/** The occurrence as the policy sees it: the series' people, and this occurrence's minutes state. */
export function occurrenceResource(series: MeetingResource, meeting: Meeting): MeetingResource {
  return { ...series, meetingId: meeting.id, minutesState: meeting.minutes_state as MinutesState };
}

/** The one mapping of a meeting's or agenda item's refusal to the API's error codes (hidden things are NOT_FOUND). */
export function refusal(judgement: Judgement & { allow: false }): AppError {
  switch (judgement.reason) {
    case "wrong_state":
      return new AppError("MINUTES_LOCKED");
    case "wrong_role":
      return new AppError("FORBIDDEN");
    case "no_basis":
      return new AppError("NO_BASIS");
    default:
      return new AppError("NOT_FOUND");
  }
}

/** Judges the action; one who may not even read it is told it does not exist. */
function judgeMeeting(actor: AsActor["actor"], resource: MeetingResource, action: ResourceActions["meeting"]): void {
  const subject = policyActor(actor);
  const judgement = decideMeeting(subject, resource, action);
  if (judgement.allow) return;
  if (action !== "read" && !decideMeeting(subject, resource, "read").allow) throw new AppError("NOT_FOUND");
  throw refusal(judgement);
}

/** Loads a series the actor may act on, or refuses. `audit`: the action recorded for the access. */
export async function authorizeSeries({ db, actor, seriesId, action, audit }: Authorize & { seriesId: string }) {
  const found = await seriesResource({ db, seriesId });
  if (!found) throw new AppError("NOT_FOUND");
  judgeMeeting(actor, found.resource, action);
  if (audit) await recordMeetingAccess({ db, actor, seriesId, action: audit });
  return found;
}

/** Loads an occurrence row and its series the actor may act on (judged with the occurrence's minutes state), or refuses. */
export async function authorizeMeeting({ db, actor, meetingId, action, audit }: Authorize & { meetingId: string }) {
  const meeting = await db.selectFrom("meetings").selectAll().where("id", "=", meetingId).executeTakeFirst();
  if (!meeting || meeting.municipality_id !== actor.municipalityId) throw new AppError("NOT_FOUND");
  const found = await seriesResource({ db, seriesId: meeting.series_id });
  if (!found) throw new AppError("NOT_FOUND");
  const resource = occurrenceResource(found.resource, meeting);
  judgeMeeting(actor, resource, action);
  if (audit) await recordMeetingAccess({ db, actor, seriesId: meeting.series_id, meetingId, action: audit });
  return { meeting, series: found.series, resource };
}

/** One audit event for an access to a meeting: a meeting's people and times are personal data. */
export async function recordMeetingAccess({ db, actor, seriesId, meetingId, action }: AsActor & { seriesId: string; meetingId?: string; action: string }) {
  await appendAudit(db, actor.municipalityId, [
    {
      actorUserId: actor.id,
      actorUnitId: actor.memberships[0]?.unitId ?? null,
      action,
      resourceType: meetingId ? "meeting" : "meeting_series",
      resourceId: meetingId ?? seriesId,
      caseId: null,
      basis: null,
      purpose: "meeting",
    },
  ]);
}

/**
 * The ids of the series the actor may read, as a subquery to filter in SQL before any
 * limit: the same parties `decideMeeting` admits (organiser unit, participating unit,
 * invited by name, chair, minute-taker), within the actor's municipality.
 */
export function visibleSeriesIds({ db, actor }: AsActor) {
  const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
  const units = unitIds.length ? unitIds : ["00000000-0000-0000-0000-000000000000"];
  return db
    .selectFrom("meeting_series as s")
    .select("s.id")
    .where("s.municipality_id", "=", actor.municipalityId)
    .where((eb) =>
      eb.or([
        eb("s.organiser_unit_id", "in", units),
        eb("s.chair_user_id", "=", actor.id),
        eb("s.minute_taker_user_id", "=", actor.id),
        eb.exists(eb.selectFrom("meeting_series_units as su").select(sql`1`.as("one")).whereRef("su.series_id", "=", "s.id").where("su.unit_id", "in", units)),
        eb.exists(eb.selectFrom("meeting_series_users as sp").select(sql`1`.as("one")).whereRef("sp.series_id", "=", "s.id").where("sp.user_id", "=", actor.id)),
      ]),
    );
}
