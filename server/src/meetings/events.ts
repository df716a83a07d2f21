import { decideMeeting } from "@laget/policy";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import { registerEventJudge, shownAs, type EventJudge } from "../events/replay.ts";
import { publishUserEvent, type UserEvent } from "../events/user-events.ts";
import { invalidateSeriesMinutes } from "./agenda.ts";
import { seriesResource } from "./access.ts";

/**
 * Invitations and changes reach a series' people live through their per-user event
 * streams (DESIGN.md §5): `meeting.invited`, `meeting.changed`, `meeting.cancelled`,
 * about resource `meeting` with the series' id. The payload is neutral (ids and the kind
 * of change, never a title or a name): the client refetches what it may see. On replay
 * each is judged again by decideMeeting: one about a series the user may no longer read
 * comes back as `gone`.
 */
export const meetingEventTypes = ["meeting.invited", "meeting.changed", "meeting.cancelled"] as const;
export type MeetingEventType = (typeof meetingEventTypes)[number];

/** What changed: the whole series, one occurrence, or the series split from a date on. */
export type MeetingChange = "series" | "occurrence" | "split" | "attendance" | "participants";

/**
 * Everyone who may read the series now: the active members of its organiser and
 * participating units (in active units), the people invited by name, the chair and
 * the minute-taker, if their accounts are active.
 */
export async function seriesAudience({ db, seriesId }: { db: Db; seriesId: string }): Promise<string[]> {
  const series = await db.selectFrom("meeting_series").select(["organiser_unit_id", "chair_user_id", "minute_taker_user_id", "municipality_id"]).where("id", "=", seriesId).executeTakeFirst();
  if (!series) return [];
  const unitIds = db
    .selectFrom("meeting_series_units")
    .select("unit_id")
    .where("series_id", "=", seriesId)
    .union(db.selectFrom("meeting_series").select("organiser_unit_id as unit_id").where("id", "=", seriesId));
  const [members, named] = await Promise.all([
    db
      .selectFrom("memberships")
      .innerJoin("units", "units.id", "memberships.unit_id")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select("users.id")
      .where("memberships.unit_id", "in", unitIds)
      .where("units.valid_to", "is", null)
      .where("users.deactivated_at", "is", null)
      .where("users.municipality_id", "=", series.municipality_id)
      .execute(),
    db
      .selectFrom("users")
      .select("id")
      .where((eb) =>
        eb.or([
          eb("id", "in", eb.selectFrom("meeting_series_users").select("user_id").where("series_id", "=", seriesId)),
          eb("id", "=", series.chair_user_id ?? "00000000-0000-0000-0000-000000000000"),
          eb("id", "=", series.minute_taker_user_id ?? "00000000-0000-0000-0000-000000000000"),
        ]),
      )
      .where("deactivated_at", "is", null)
      .where("municipality_id", "=", series.municipality_id)
      .execute(),
  ]);
  return [...new Set([...members, ...named].map((u) => u.id))].sort();
}

/** Publishes one neutral meeting event to these users (never to the one who caused it). */
export async function publishMeetingEvent(options: {
  db: Db;
  bus: EventBus;
  userIds: readonly string[];
  exceptUserId: string | null;
  type: MeetingEventType;
  seriesId: string;
  recurrenceId?: string | null;
  change: MeetingChange;
  /** "This and following": the new series the old one continues as. */
  newSeriesId?: string;
}): Promise<void> {
  const userIds = options.userIds.filter((id) => id !== options.exceptUserId);
  if (userIds.length === 0) return;
  const data: Record<string, unknown> = { seriesId: options.seriesId, recurrenceId: options.recurrenceId ?? null, kind: options.change };
  if (options.newSeriesId) data.newSeriesId = options.newSeriesId;
  await publishUserEvent({
    db: options.db,
    bus: options.bus,
    userIds,
    event: { type: options.type, resource: { type: "meeting", id: options.seriesId }, data },
  });
}

/**
 * Tells the series' people what an edit did: those who could not read it before and can
 * now are invited; the others (and those who just lost it, so their views refetch and
 * find it gone) hear of the change.
 */
export async function announceSeriesChange(options: {
  db: Db;
  bus: EventBus;
  actorId: string;
  seriesId: string;
  before: readonly string[];
  after: readonly string[];
  type: "meeting.changed" | "meeting.cancelled";
  change: MeetingChange;
  recurrenceId?: string | null;
  newSeriesId?: string;
}): Promise<void> {
  const before = new Set(options.before);
  const invited = options.after.filter((id) => !before.has(id));
  const told = [...new Set([...options.before, ...options.after])].filter((id) => !invited.includes(id));
  const common = { db: options.db, bus: options.bus, exceptUserId: options.actorId, seriesId: options.seriesId, recurrenceId: options.recurrenceId ?? null };
  await publishMeetingEvent({ ...common, userIds: invited, type: "meeting.invited", change: options.change });
  await publishMeetingEvent({ ...common, userIds: told, type: options.type, change: options.change, ...(options.newSeriesId ? { newSeriesId: options.newSeriesId } : {}) });
  const seriesIds = [options.seriesId, ...(options.newSeriesId ? [options.newSeriesId] : [])];
  await invalidateSeriesMinutes({ db: options.db, bus: options.bus, seriesIds, reason: "meeting_series_changed" });
}

/** Replays a meeting event only while decideMeeting still lets the user read its series. */
export const replayMeetingEvents: EventJudge = async ({ db, actor, events }) => {
  const subject = policyActor(actor);
  const readable = new Set<string>();
  for (const seriesId of new Set(events.flatMap((e) => (e.resourceType === "meeting" && e.resourceId ? [e.resourceId] : [])))) {
    const found = await seriesResource({ db, seriesId });
    if (found && decideMeeting(subject, found.resource, "read").allow) readable.add(seriesId);
  }
  const shown = new Map<number, UserEvent>();
  for (const e of events) if (e.resourceType === "meeting" && readable.has(e.resourceId!)) shown.set(e.eventId, shownAs(e));
  return shown;
};

registerEventJudge(meetingEventTypes, replayMeetingEvents);
