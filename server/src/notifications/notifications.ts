import type { EventBus } from "../events/bus.ts";
import type { Db } from "../db/connect.ts";
import { appendAndDeliver, type Delivery } from "../events/user-events.ts";

/**
 * In-app notifications carry a kind and, at most, a link to a case and/or a conversation:
 * never names, case content or agency type. The client words each kind neutrally. A link
 * is only where to look: opening it is judged again there.
 *
 * Each new notification is also an event in its user's log (kind only), so the bell hears
 * of it at once: the caller hands the returned deliveries to the socket gateway
 * (`realtime.deliver`) once committed; a client not connected then gets it on replay.
 */
export const notificationKinds = [
  "case_invited",
  "handover_proposed",
  "handover_answered",
  "consent_expiring",
  "consent_ended",
  /** The user can no longer see a case they could see (any cause: consent, membership, participation). */
  "case_access_ended",
  "disclosure_to_review",
  "measure_due",
  "measure_evaluation",
  "measure_overdue",
  "mention",
  /** A meeting the user takes part in starts within 24 hours. */
  "meeting_soon",
  /** A meeting the user organises is 3 days away with nothing on its agenda. */
  "meeting_agenda_empty",
  /** An action from a meeting the user is responsible for has its deadline today. */
  "meeting_action_due",
  /** A referral from a case the user coordinates has had no answer within the response deadline. */
  "referral_unanswered",
  /** A referral was sent to the user's (volunteer) unit. No case is linked. */
  "referral_received",
  /** The recipient answered a referral the user made or coordinates (linked to its case). */
  "referral_answered",
  /** A referral to the user's unit was withdrawn (by the referrer, or as its basis ended). No case is linked. */
  "referral_withdrawn",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export async function notify({
  db,
  userIds,
  kind,
  caseId,
  dedupeKey,
  conversationId = null,
}: {
  db: Db;
  userIds: readonly string[];
  kind: NotificationKind;
  caseId: string | null;
  dedupeKey?: string;
  /** A mention: the conversation it was made in (direct and group conversations have no case). */
  conversationId?: string | null;
}): Promise<Delivery[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const created = await db
    .insertInto("notifications")
    .values(unique.map((userId) => ({ user_id: userId, kind, case_id: caseId, conversation_id: conversationId, dedupe_key: dedupeKey ?? null })))
    .onConflict((oc) => oc.columns(["user_id", "dedupe_key"]).doNothing())
    .returning("user_id")
    .execute();
  // Only those actually notified now (a dedupe key seen before notifies no one again).
  // About the conversation it links to, if any: a replay hides it once that conversation may not be read (replay.ts).
  const resource = conversationId ? { type: "conversation", id: conversationId } : null;
  return appendAndDeliver(db, created.map((r) => r.user_id), { type: "notification", resource, data: { kind } });
}

/** notify(), outside a transaction, with the new notifications pushed at once to the users' sockets on every node. */
export async function notifyNow({
  db,
  bus,
  userIds,
  kind,
  caseId,
  dedupeKey,
}: {
  db: Db;
  bus: EventBus;
  userIds: readonly string[];
  kind: NotificationKind;
  caseId: string | null;
  dedupeKey?: string;
}): Promise<void> {
  const deliveries = await notify({ db, userIds, kind, caseId, dedupeKey });
  if (deliveries.length > 0) await bus.publish({ type: "userEventsCommitted", deliveries });
}

export async function listNotifications(db: Db, userId: string) {
  const rows = await db
    .selectFrom("notifications")
    .select(["id", "kind", "case_id", "conversation_id", "created_at", "read_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as NotificationKind,
    caseId: r.case_id,
    conversationId: r.conversation_id,
    createdAt: r.created_at,
    read: r.read_at !== null,
  }));
}

export async function unreadNotificationCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function markNotificationsRead(db: Db, userId: string, ids?: readonly string[]): Promise<void> {
  let query = db.updateTable("notifications").set({ read_at: new Date() }).where("user_id", "=", userId).where("read_at", "is", null);
  if (ids) {
    if (ids.length === 0) return;
    query = query.where("id", "in", ids);
  }
  await query.execute();
}
