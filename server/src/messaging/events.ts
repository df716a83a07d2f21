import { sql } from "kysely";
import type { Db } from "../db/connect.ts";

/**
 * The per-user event log behind lossless reconnects. Every event a user should receive
 * gets the next number in that user's sequence (1, 2, 3…), taken under the lock on the
 * user's counter row inside the transaction that causes it. So a user's events commit in
 * id order, and a client that sees id n+2 before n+1 knows it has a gap, not a delay.
 */
export type UserEventType =
  | "message.created"
  | "message.edited"
  | "message.deleted"
  | "conversation.read"
  | "conversation.added"
  | "conversation.removed"
  | "notification";

export type NewUserEvent = {
  type: UserEventType;
  conversationId: string | null;
  messageId?: string | null;
  /** Small, non-personal extras (read state, notification kind); messages are referenced, never copied. */
  data?: Record<string, unknown> | null;
};

/** One event as a user receives it, live or in a replay. */
export type MessageView = {
  id: string;
  conversationId: string;
  seq: number;
  authorUserId: string;
  authorName: string;
  replyToSeq: number | null;
  /** Null once deleted: the text is gone for readers (kept for audit). */
  body: string | null;
  mentions: Mentions;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
};
export type Mentions = { userIds: string[]; unitIds: string[] };

export type UserEvent = {
  eventId: number;
  type: UserEventType | "gone";
  conversationId: string | null;
  message?: MessageView;
  data?: Record<string, unknown> | null;
};

export type Delivery = { userId: string; event: UserEvent };

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
    .columns(["user_id", "event_id", "type", "conversation_id", "message_id", "data"])
    .expression((eb) =>
      eb
        .selectFrom("counters")
        .select([
          "counters.user_id",
          "counters.last_event_id",
          sql<string>`${event.type}::text`.as("type"),
          sql<string | null>`${event.conversationId}::uuid`.as("conversation_id"),
          sql<string | null>`${event.messageId ?? null}::uuid`.as("message_id"),
          sql<string | null>`${event.data ? JSON.stringify(event.data) : null}::jsonb`.as("data"),
        ]),
    )
    .returning(["user_id", "event_id"])
    .execute();
  for (const r of rows) result.set(r.user_id, r.event_id);
  return result;
}

/** The deliveries for an appended event, ready to push after commit. */
export function deliveriesFor(eventIds: Map<string, number>, event: Omit<UserEvent, "eventId">): Delivery[] {
  return [...eventIds].map(([userId, eventId]) => ({ userId, event: { eventId, ...event } }));
}

export async function lastEventId(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom("user_event_counters").select("last_event_id").where("user_id", "=", userId).executeTakeFirst();
  return row?.last_event_id ?? 0;
}
