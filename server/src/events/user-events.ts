import type { Mentions, MessageView as WireMessageView, UserEvent as WireUserEvent } from "@laget/realtime";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import { groupCommit } from "../db/group-commit.ts";
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

/** One event to append to some users' logs. */
export type EventAppend = { userIds: readonly string[]; event: NewUserEvent };

/**
 * Appends several events, each to its users' logs, in one statement: each user's counter
 * is bumped once by the number of its events (counter rows locked in user-id order, so
 * concurrent fan-outs never deadlock) and its events take the ids in the order given.
 * Returns, per event, each user's new event id.
 */
export async function appendUserEventsBatch(db: Db, appends: readonly EventAppend[]): Promise<Map<string, number>[]> {
  const perEvent = appends.map((a) => [...new Set(a.userIds)].sort());
  const count = new Map<string, number>();
  for (const users of perEvent) for (const u of users) count.set(u, (count.get(u) ?? 0) + 1);
  const results = perEvent.map(() => new Map<string, number>());
  if (count.size === 0) return results;
  const users = [...count.keys()].sort();
  // How far below the user's new head each event's id is: the last event of a user is its head.
  const seen = new Map<string, number>();
  const rows = perEvent.flatMap((us, idx) =>
    us.map((u) => {
      const ordinal = seen.get(u) ?? 0;
      seen.set(u, ordinal + 1);
      return { user: u, back: count.get(u)! - 1 - ordinal, idx };
    }),
  );
  const events = appends.map((a, idx) => {
    const e = a.event;
    return sql`(${idx}::int, ${e.type}::text, ${e.resource?.type ?? null}::text, ${e.resource?.id ?? null}::text, ${e.messageId ?? null}::uuid, ${e.data ? JSON.stringify(e.data) : null}::jsonb)`;
  });
  const { rows: heads } = await sql<{ user_id: string; last_event_id: number }>`
    with counters as (
      insert into user_event_counters (user_id, last_event_id)
      values ${sql.join(users.map((u) => sql`(${u}::uuid, ${count.get(u)!}::bigint)`))}
      on conflict (user_id) do update set last_event_id = user_event_counters.last_event_id + excluded.last_event_id
      returning user_id, last_event_id
    ), appended as (
      insert into user_events (user_id, event_id, type, resource_type, resource_id, message_id, data)
      select r.user_id, c.last_event_id - r.back, e.type, e.resource_type, e.resource_id, e.message_id, e.data
      from (values ${sql.join(rows.map((r) => sql`(${r.user}::uuid, ${r.back}::bigint, ${r.idx}::int)`))}) as r(user_id, back, idx)
      join (values ${sql.join(events)}) as e(idx, type, resource_type, resource_id, message_id, data) on e.idx = r.idx
      join counters c on c.user_id = r.user_id
    )
    select user_id::text as user_id, last_event_id from counters`.execute(db);
  const head = new Map(heads.map((h) => [h.user_id, Number(h.last_event_id)]));
  for (const r of rows) results[r.idx]!.set(r.user, head.get(r.user)! - r.back);
  return results;
}

/** Appends outside a transaction, group-committed: concurrent appends share one statement. */
const appendsOf = new WeakMap<Db, (a: EventAppend) => Promise<Map<string, number>>>();
function groupAppend(db: Db) {
  let append = appendsOf.get(db);
  if (!append) {
    append = groupCommit<EventAppend, Map<string, number>>(
      async (appends) => (await appendUserEventsBatch(db, appends)).map((value) => ({ ok: true, value })),
      { weight: (a) => Math.max(1, a.userIds.length), maxWeight: 2_000 },
    );
    appendsOf.set(db, append);
  }
  return append;
}

/**
 * Appends the same event to each user's log and returns each user's new event id, in one
 * statement. Counter rows are locked in user-id order, so concurrent fan-outs never deadlock.
 * Outside a transaction concurrent appends are group-committed (still committed when this resolves).
 */
export async function appendUserEvents(db: Db, userIds: readonly string[], event: NewUserEvent): Promise<Map<string, number>> {
  if (new Set(userIds).size === 0) return new Map();
  if (!db.isTransaction) return groupAppend(db)({ userIds, event });
  return (await appendUserEventsBatch(db, [{ userIds, event }]))[0]!;
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
