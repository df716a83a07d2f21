import { GONE } from "@laget/realtime";
import type { Actor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import { lastEventId, type UserEvent } from "./user-events.ts";

/**
 * Replaying a user's event log (`sync`, after a reconnect). Every event is judged again
 * now by the judge registered for its type: one it says the user may no longer see comes
 * back as `gone` (its id kept, so the client's sequence has no hole), and so does one of
 * a type nobody registered (fail closed). Messaging registers its types, notifications
 * theirs; meetings (`meeting.*`) and referrals (`referral.*`) register theirs beside them.
 */
export type StoredUserEvent = {
  eventId: number;
  type: string;
  resourceType: string | null;
  resourceId: string | null;
  messageId: string | null;
  data: Record<string, unknown> | null;
};

/**
 * Judges a page of one user's events of the types it was registered for (all at once, so
 * it loads what it needs in a few queries, and audits what a replay shows as a read).
 * Returns, by event id, the event as the user may see it now; a missing id is `gone`.
 */
export type EventJudge = (options: { db: Db; actor: Actor; events: StoredUserEvent[] }) => Promise<Map<number, UserEvent>>;

/** Registered judges: by exact type, or by a prefix such as `meeting.` for `meeting.*`. */
const exact = new Map<string, EventJudge>();
const prefixes = new Map<string, EventJudge>();

/** Registers the judge of some event types: `"notification"`, or `"meeting.*"` for every type under `meeting.`. */
export function registerEventJudge(types: readonly string[], judge: EventJudge): () => void {
  for (const type of types) {
    const [table, key] = type.endsWith(".*") ? [prefixes, type.slice(0, -1)] : [exact, type];
    const known = table.get(key);
    if (known && known !== judge) throw new Error(`event type ${type} already has a judge`);
    table.set(key, judge);
  }
  return () => {
    for (const type of types) {
      if (type.endsWith(".*")) prefixes.delete(type.slice(0, -1));
      else exact.delete(type);
    }
  };
}

export function judgeOf(type: string): EventJudge | undefined {
  const found = exact.get(type);
  if (found) return found;
  for (const [prefix, judge] of prefixes) if (type.startsWith(prefix)) return judge;
  return undefined;
}

/** The event as stored, as its user sees it: for judges that only say yes or no. */
export function shownAs(e: StoredUserEvent, extra: Partial<UserEvent> = {}): UserEvent {
  const event: UserEvent = {
    eventId: e.eventId,
    type: e.type,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    conversationId: e.resourceType === "conversation" ? e.resourceId : null,
    ...extra,
  };
  if (e.data) event.data = e.data;
  return event;
}

const gone = (eventId: number): UserEvent => ({ eventId, type: GONE, conversationId: null });

/**
 * The user's events after `since`, in order, each judged again now, for a client catching
 * up after a reconnect. If some of those events were pruned (retention.ts), the answer is
 * `reset` instead: the client fetches its views again and goes on from `lastEventId`.
 */
export async function eventsSince(options: { db: Db; actor: Actor; since: number; limit: number }) {
  const { db, actor, since, limit } = options;
  // The head first: every event up to it has committed, so one missing below it was pruned.
  const head = await lastEventId(db, actor.id);
  const rows = await db
    .selectFrom("user_events")
    .select(["event_id", "type", "resource_type", "resource_id", "message_id", "data"])
    .where("user_id", "=", actor.id)
    .where("event_id", ">", since)
    .orderBy("event_id")
    .limit(limit + 1)
    .execute();
  // Ids have no holes (taken under the counter's lock), so any jump means pruned events.
  const pruned = rows.length === 0 ? head > since : rows.some((r, i) => r.event_id !== since + 1 + i);
  // Whatever the rows show has committed, so a fetch after this answer sees it too.
  if (pruned) return { events: [], more: false, reset: true, lastEventId: Math.max(head, rows.at(-1)?.event_id ?? 0) };
  const more = rows.length > limit;
  const page: StoredUserEvent[] = rows.slice(0, limit).map((r) => ({
    eventId: r.event_id,
    type: r.type,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    messageId: r.message_id,
    data: (r.data as Record<string, unknown> | null) ?? null,
  }));

  const byJudge = new Map<EventJudge, StoredUserEvent[]>();
  for (const e of page) {
    const judge = judgeOf(e.type);
    if (judge) byJudge.set(judge, [...(byJudge.get(judge) ?? []), e]);
  }
  const shown = new Map<number, UserEvent>();
  for (const [judge, events] of byJudge) {
    for (const [id, event] of await judge({ db, actor, events })) shown.set(id, event);
  }
  const events = page.map((e) => shown.get(e.eventId) ?? gone(e.eventId));
  return { events, more, reset: false, lastEventId: Math.max(head, page.at(-1)?.eventId ?? 0) };
}
