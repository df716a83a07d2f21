import type { Mentions, MessageView as WireMessageView, UserEvent as WireUserEvent } from "@laget/realtime";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "./bus.ts";

/**
 * The per-user event log behind lossless reconnects, for events about any resource (a
 * conversation, a meeting, a referral…). Every event a user should receive gets the next
 * number in that user's sequence (1, 2, 3…), taken under the lock on the user's counter
 * row inside the transaction that causes it. So a user's events commit in id order, and a
 * client that sees id n+2 before n+1 knows it has a gap, not a delay (@laget/realtime's
 * EventCursor). A replay judges each event again by its type (replay.ts); old events are
 * pruned (retention.ts).
 */
export type ResourceRef = { type: string; id: string };

export type NewUserEvent = {
  type: string;
  /** What the event is about; its type's judge decides on replay whether the user may still see it. */
  resource: ResourceRef | null;
  messageId?: string | null;
  /** Small, non-personal extras (read state, notification kind); content is referenced, never copied. */
  data?: Record<string, unknown> | null;
};

/** One event as a user receives it (dates are Date here and ISO strings on the wire). */
export type UserEvent = WireUserEvent<Date>;
/** A message as its readers see it, with Date fields. */
export type MessageView = WireMessageView<Date>;
export type { Mentions };

export type Delivery = { userId: string; event: UserEvent };

/** An event about a conversation (a message in it, its read state, a membership). */
export function conversationEvent(type: string, conversationId: string, extra: { messageId?: string; data?: Record<string, unknown> } = {}): NewUserEvent {
  return { type, resource: { type: "conversation", id: conversationId }, ...extra };
}

/** The event as its users see it, without its id. */
export function viewOf(event: NewUserEvent, extra: { message?: MessageView } = {}): Omit<UserEvent, "eventId"> {
  const view: Omit<UserEvent, "eventId"> = {
    type: event.type,
    resourceType: event.resource?.type ?? null,
    resourceId: event.resource?.id ?? null,
    conversationId: event.resource?.type === "conversation" ? event.resource.id : null,
  };
  if (extra.message) view.message = extra.message;
  if (event.data) view.data = event.data;
  return view;
}

/**
 * Appends the same event to each user's log and returns each user's new event id, in one
 * statement. Counter rows are locked in user-id order, so concurrent fan-outs never deadlock.
 */
export async function appendUserEvents(db: Db, userIds: readonly string[], event: NewUserEvent): Promise<Map<string, number>> {
  const ids = [...new Set(userIds)].sort();
  const result = new Map<string, number>();
  if (ids.length === 0) return result;
  const rows = await db
    .with("counters", (qb) =>
      qb
        .insertInto("user_event_counters")
        .values(ids.map((user_id) => ({ user_id, last_event_id: 1 })))
        .onConflict((oc) => oc.column("user_id").doUpdateSet((eb) => ({ last_event_id: eb("user_event_counters.last_event_id", "+", 1) })))
        .returning(["user_id", "last_event_id"]),
    )
    .insertInto("user_events")
    .columns(["user_id", "event_id", "type", "resource_type", "resource_id", "message_id", "data"])
    .expression((eb) =>
      eb
        .selectFrom("counters")
        .select([
          "counters.user_id",
          "counters.last_event_id",
          sql<string>`${event.type}::text`.as("type"),
          sql<string | null>`${event.resource?.type ?? null}::text`.as("resource_type"),
          sql<string | null>`${event.resource?.id ?? null}::text`.as("resource_id"),
          sql<string | null>`${event.messageId ?? null}::uuid`.as("message_id"),
          sql<string | null>`${event.data ? JSON.stringify(event.data) : null}::jsonb`.as("data"),
        ]),
    )
    .returning(["user_id", "event_id"])
    .execute();
  for (const r of rows) result.set(r.user_id, r.event_id);
  return result;
}

/** Appends an event and returns its deliveries, ready to push after commit. */
export async function appendAndDeliver(db: Db, userIds: readonly string[], event: NewUserEvent, extra: { message?: MessageView } = {}): Promise<Delivery[]> {
  return deliveriesFor(await appendUserEvents(db, userIds, event), viewOf(event, extra));
}

/**
 * Appends an event outside a transaction and pushes it at once to the users' sockets on
 * every node (through the bus): how a capability with no socket of its own (a meeting's
 * invitation, a referral's status) reaches users live. Clients away get it on replay.
 */
export async function publishUserEvent(options: { db: Db; bus: EventBus; userIds: readonly string[]; event: NewUserEvent }): Promise<Delivery[]> {
  const deliveries = await appendAndDeliver(options.db, options.userIds, options.event);
  if (deliveries.length > 0) await options.bus.publish({ type: "userEventsCommitted", deliveries });
  return deliveries;
}

/** The deliveries for an appended event, ready to push after commit. */
export function deliveriesFor(eventIds: Map<string, number>, event: Omit<UserEvent, "eventId">): Delivery[] {
  return [...eventIds].map(([userId, eventId]) => ({ userId, event: { eventId, ...event } }));
}

/** The head of the user's log: the id of its last event (0 before any). */
export async function lastEventId(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom("user_event_counters").select("last_event_id").where("user_id", "=", userId).executeTakeFirst();
  return row?.last_event_id ?? 0;
}
