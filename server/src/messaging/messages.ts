import { MESSAGE_MAX_LENGTH, type SendMessageInput } from "@laget/domain";
import type { Basis } from "@laget/policy";
import { sql } from "kysely";
import type { Actor } from "../auth/actor.ts";
import { appendAudit, type AuditEvent } from "../audit/log.ts";
import { decisionFor } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { notify } from "../notifications/notifications.ts";
import { assertCaseOpen, authorizeConversation, caseThreadReadersWithBasis, conversationReaders } from "./access.ts";
import { appendUserEvents, deliveriesFor, lastEventId, type Delivery, type Mentions, type MessageView, type UserEvent } from "./events.ts";

/**
 * Messages: persisted (with their sequence number and every reader's event) before the
 * sender's ack, pushed to readers after commit. The client's id makes a send idempotent.
 */

export function checkBody(body: string): void {
  if (body.trim().length === 0) throw new AppError("MESSAGE_EMPTY");
  if (body.length > MESSAGE_MAX_LENGTH) throw new AppError("MESSAGE_TOO_LONG", `A message can be at most ${MESSAGE_MAX_LENGTH} characters`);
}

const messageColumns = [
  "messages.id",
  "messages.conversation_id",
  "messages.seq",
  "messages.author_user_id",
  "messages.reply_to_seq",
  "messages.body",
  "messages.mentions",
  "messages.created_at",
  "messages.edited_at",
  "messages.deleted_at",
  "users.display_name as author_name",
] as const;

type MessageRow = {
  id: string;
  conversation_id: string;
  seq: number;
  author_user_id: string;
  reply_to_seq: number | null;
  body: string;
  mentions: unknown;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  author_name: string;
};

function view(r: MessageRow): MessageView {
  const deleted = r.deleted_at !== null;
  return {
    id: r.id,
    conversationId: r.conversation_id,
    seq: r.seq,
    authorUserId: r.author_user_id,
    authorName: r.author_name,
    replyToSeq: r.reply_to_seq,
    body: deleted ? null : r.body,
    mentions: deleted ? { userIds: [], unitIds: [] } : (r.mentions as Mentions),
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
  };
}

function selectMessages(db: Db) {
  return db.selectFrom("messages").innerJoin("users", "users.id", "messages.author_user_id").select(messageColumns);
}

async function messageViews(db: Db, ids: readonly string[]): Promise<Map<string, MessageView>> {
  if (ids.length === 0) return new Map();
  const rows = await selectMessages(db).where("messages.id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, view(r)]));
}

/** Mentioned users who can read the conversation (nobody else is told it exists), and readers in mentioned units. */
async function resolveMentions(db: Db, mentions: Mentions, readers: readonly string[], authorId: string): Promise<string[]> {
  const canRead = new Set(readers);
  const users = new Set(mentions.userIds.filter((u) => canRead.has(u)));
  if (mentions.unitIds.length > 0 && readers.length > 0) {
    const rows = await db
      .selectFrom("memberships")
      .select("user_id")
      .where("unit_id", "in", mentions.unitIds)
      .where("user_id", "in", [...readers])
      .execute();
    for (const r of rows) users.add(r.user_id);
  }
  users.delete(authorId);
  return [...users].sort();
}

export type SendResult = { message: MessageView; duplicate: boolean; deliveries: Delivery[] };

type CaseReaders = { userId: string; basis: Basis }[] | null;

/**
 * In a case thread every delivery is a read of case data: each reader other than the
 * actor is audited with the basis decide() found for them (a send, an edit's new text,
 * a delete's tombstone alike). Outside case threads nothing is audited here.
 */
async function auditDeliveries(db: Db, actor: Actor, readers: CaseReaders, caseId: string | null, action: string, messageId: string) {
  if (!readers || !caseId) return;
  await appendAudit(
    db,
    actor.municipalityId,
    readers
      .filter((r) => r.userId !== actor.id)
      .map((r) => ({
        actorUserId: r.userId,
        actorUnitId: r.basis.unitId,
        action,
        resourceType: "message",
        resourceId: messageId,
        caseId,
        basis: r.basis,
        purpose: "coordination" as const,
      })),
  );
}

/** Thrown inside a send's transaction to roll it back: the client's id was already used. */
class DuplicateSend extends Error {}

export async function sendMessage(db: Db, actor: Actor, input: SendMessageInput): Promise<SendResult> {
  checkBody(input.body);
  const access = await authorizeConversation(db, actor, input.conversationId, "write", "message.create");
  const caseId = access.conversation.case_id;
  // In a case thread every delivery is a read of case data: each reader's basis is audited with it.
  const [caseReaders] = await Promise.all([
    access.facts ? caseThreadReadersWithBasis(db, access.facts) : null,
    caseId ? assertCaseOpen(db, caseId) : null,
  ]);
  const readers = [...new Set([...(caseReaders ? caseReaders.map((r) => r.userId) : await conversationReaders(db, access)), actor.id])];
  const mentioned = await resolveMentions(db, input.mentions, readers, actor.id);
  const conversationId = access.conversation.id;
  const now = new Date();
  const mentions: Mentions = { userIds: [...new Set(input.mentions.userIds)], unitIds: [...new Set(input.mentions.unitIds)] };

  // Few statements while the conversation's row is locked: the next send to it waits for this commit.
  const outcome = await db.transaction().execute(async (trx) => {
    // Bumping last_seq locks the conversation's row, which orders its messages (seq is
    // last_seq + 1, without gaps). An id already used inserts nothing: roll back, a duplicate.
    const { rows } = await sql<{ seq: number }>`
      with bump as (
        update conversations set last_seq = last_seq + 1, last_message_at = ${now}
        where id = ${conversationId} returning last_seq
      )
      insert into messages (id, conversation_id, seq, author_user_id, reply_to_seq, body, mentions, created_at)
      select ${input.id}::uuid, ${conversationId}::uuid, last_seq, ${actor.id}::uuid, ${input.replyToSeq ?? null}::bigint,
             ${input.body}::text, ${JSON.stringify(mentions)}::jsonb, ${now}::timestamptz
      from bump
      on conflict (id) do nothing
      returning seq`.execute(trx);
    if (rows.length === 0) throw new DuplicateSend();
    const seq = rows[0]!.seq;
    if (input.replyToSeq !== undefined && input.replyToSeq >= seq) {
      throw new AppError("VALIDATION", "The message replied to does not exist");
    }
    // Read state in user-id order (no deadlocks): the author has read their own message; each mention counts one.
    const reads = [
      { conversation_id: conversationId, user_id: actor.id, last_read_seq: seq, mention_count: 0 },
      ...mentioned.map((user_id) => ({ conversation_id: conversationId, user_id, last_read_seq: 0, mention_count: 1 })),
    ].sort((a, b) => (a.user_id < b.user_id ? -1 : 1));
    await trx
      .insertInto("conversation_reads")
      .values(reads)
      .onConflict((oc) =>
        oc.columns(["conversation_id", "user_id"]).doUpdateSet({
          last_read_seq: sql`greatest(conversation_reads.last_read_seq, excluded.last_read_seq)`,
          mention_count: sql`conversation_reads.mention_count + excluded.mention_count`,
        }),
      )
      .execute();
    const message: MessageView = {
      id: input.id,
      conversationId,
      seq,
      authorUserId: actor.id,
      authorName: actor.displayName,
      replyToSeq: input.replyToSeq ?? null,
      body: input.body,
      mentions,
      createdAt: now,
      editedAt: null,
      deletedAt: null,
    };
    const created = await appendUserEvents(trx, readers, { type: "message.created", conversationId, messageId: input.id });
    const deliveries = deliveriesFor(created, { type: "message.created", conversationId, message });
    if (mentioned.length > 0) {
      // Neutral: the notification names no one and carries no content, only where to look.
      deliveries.push(...(await notify(trx, mentioned, "mention", caseId, `mention:${input.id}`, conversationId)));
    }
    // Last before commit: the insert holds the municipality's audit chain head until then.
    await auditDeliveries(trx, actor, caseReaders, caseId, "message.deliver", input.id);
    return { message, deliveries };
  }).catch((err: unknown) => {
    if (err instanceof DuplicateSend) return null;
    throw err;
  });

  if (!outcome) {
    const message = (await messageViews(db, [input.id])).get(input.id);
    // The client's id is an idempotency key of its sender in one conversation. Anyone
    // else's id (in a thread the actor cannot see, or can) is answered like a conversation
    // the actor cannot see, so the answer never tells hidden from missing.
    if (!message || message.conversationId !== conversationId || message.authorUserId !== actor.id) {
      throw new AppError("NOT_FOUND");
    }
    return { message, duplicate: true, deliveries: [] };
  }
  return { ...outcome, duplicate: false };
}

/** Loads a message for a change by its author, authorizing a write to its conversation (audited), with its readers now. */
async function authorForChange(db: Db, actor: Actor, messageId: string, auditAction: string) {
  const message = await db.selectFrom("messages").select(["conversation_id", "author_user_id"]).where("id", "=", messageId).executeTakeFirst();
  if (!message) throw new AppError("NOT_FOUND");
  const access = await authorizeConversation(db, actor, message.conversation_id, "write", auditAction);
  if (message.author_user_id !== actor.id) throw new AppError("NOT_AUTHOR");
  if (access.conversation.case_id) await assertCaseOpen(db, access.conversation.case_id);
  const caseReaders = access.facts ? await caseThreadReadersWithBasis(db, access.facts) : null;
  const readers = [...new Set([...(caseReaders ? caseReaders.map((r) => r.userId) : access.members!), actor.id])];
  return { access, readers, caseReaders };
}

/** Edits a message; the previous text is kept in message_edits. */
export async function editMessage(db: Db, actor: Actor, input: { messageId: string; body: string }): Promise<SendResult> {
  checkBody(input.body);
  const { access, readers, caseReaders } = await authorForChange(db, actor, input.messageId, "message.edit");
  const conversationId = access.conversation.id;
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("messages").select(["body", "deleted_at"]).where("id", "=", input.messageId).forUpdate().executeTakeFirstOrThrow();
    if (current.deleted_at) throw new AppError("INVALID_STATE", "A deleted message cannot be edited");
    await trx.insertInto("message_edits").values({ message_id: input.messageId, previous_body: current.body, edited_by: actor.id }).execute();
    await trx.updateTable("messages").set({ body: input.body, edited_at: new Date() }).where("id", "=", input.messageId).execute();
    const ids = await appendUserEvents(trx, readers, { type: "message.edited", conversationId, messageId: input.messageId });
    const message = (await messageViews(trx, [input.messageId])).get(input.messageId)!;
    await auditDeliveries(trx, actor, caseReaders, access.conversation.case_id, "message.deliver_edit", input.messageId);
    return { message, duplicate: false, deliveries: deliveriesFor(ids, { type: "message.edited", conversationId, message }) };
  });
}

/** Deletes a message: readers see a tombstone; the text stays in the database for audit. */
export async function deleteMessage(db: Db, actor: Actor, messageId: string): Promise<SendResult> {
  const { access, readers, caseReaders } = await authorForChange(db, actor, messageId, "message.delete");
  const conversationId = access.conversation.id;
  const deliveries = await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("messages").select("deleted_at").where("id", "=", messageId).forUpdate().executeTakeFirstOrThrow();
    if (current.deleted_at) return [];
    await trx.updateTable("messages").set({ deleted_at: new Date() }).where("id", "=", messageId).execute();
    const ids = await appendUserEvents(trx, readers, { type: "message.deleted", conversationId, messageId });
    const message = (await messageViews(trx, [messageId])).get(messageId)!;
    await auditDeliveries(trx, actor, caseReaders, access.conversation.case_id, "message.deliver_delete", messageId);
    return deliveriesFor(ids, { type: "message.deleted", conversationId, message });
  });
  const message = (await messageViews(db, [messageId])).get(messageId)!;
  return { message, duplicate: false, deliveries };
}

/**
 * One page of history by keyset: `before` a sequence number (older), `after` one (newer),
 * or the latest page. Messages come oldest first. Audited once per page for a case thread.
 */
export async function history(db: Db, actor: Actor, input: { conversationId: string; before?: number; after?: number; limit: number }) {
  const { conversation } = await authorizeConversation(db, actor, input.conversationId, "read", "conversation.read");
  let query = selectMessages(db).where("messages.conversation_id", "=", conversation.id);
  if (input.after !== undefined) query = query.where("messages.seq", ">", input.after).orderBy("messages.seq", "asc");
  else {
    if (input.before !== undefined) query = query.where("messages.seq", "<", input.before);
    query = query.orderBy("messages.seq", "desc");
  }
  const rows = await query.limit(input.limit + 1).execute();
  const hasMore = rows.length > input.limit;
  const page = rows.slice(0, input.limit).map(view);
  if (input.after === undefined) page.reverse();
  return { messages: page, hasMore, lastSeq: conversation.last_seq };
}

/** The earlier texts of a message, newest first (none once it is deleted). */
export async function messageEdits(db: Db, actor: Actor, messageId: string) {
  const message = await db.selectFrom("messages").select(["conversation_id", "deleted_at"]).where("id", "=", messageId).executeTakeFirst();
  if (!message) throw new AppError("NOT_FOUND");
  await authorizeConversation(db, actor, message.conversation_id, "read", "message.history");
  if (message.deleted_at) return [];
  const rows = await db
    .selectFrom("message_edits")
    .select(["previous_body", "edited_at"])
    .where("message_id", "=", messageId)
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({ body: r.previous_body, replacedAt: r.edited_at }));
}

/** Marks the conversation read up to `seq` (never backwards) and clears its mention count. */
export async function markRead(db: Db, actor: Actor, input: { conversationId: string; seq: number }) {
  await authorizeConversation(db, actor, input.conversationId, "read");
  return db.transaction().execute(async (trx) => {
    const { last_seq } = await trx.selectFrom("conversations").select("last_seq").where("id", "=", input.conversationId).executeTakeFirstOrThrow();
    const upTo = Math.min(input.seq, last_seq);
    const row = await trx
      .insertInto("conversation_reads")
      .values({ conversation_id: input.conversationId, user_id: actor.id, last_read_seq: upTo, mention_count: 0 })
      .onConflict((oc) =>
        oc.columns(["conversation_id", "user_id"]).doUpdateSet({
          last_read_seq: sql`greatest(conversation_reads.last_read_seq, excluded.last_read_seq)`,
          mention_count: 0,
        }),
      )
      .returning(["last_read_seq", "mention_count"])
      .executeTakeFirstOrThrow();
    const data = { lastReadSeq: row.last_read_seq, unread: last_seq - row.last_read_seq, mentionCount: row.mention_count };
    const ids = await appendUserEvents(trx, [actor.id], { type: "conversation.read", conversationId: input.conversationId, data });
    return { ...data, deliveries: deliveriesFor(ids, { type: "conversation.read", conversationId: input.conversationId, data }) };
  });
}

/**
 * The user's events after `since`, in order, for a client catching up after a reconnect.
 * Each is judged again now: an event in a conversation the user may no longer read comes
 * back as `gone` (its id kept, so the client's sequence has no hole). Messages are shown
 * as they are now. Case-thread content replayed is audited, one event per thread.
 *
 * If some of those events were pruned (retention.ts), the answer is `reset` instead: the
 * client fetches its views again and goes on from `lastEventId`.
 */
export async function eventsSince(db: Db, actor: Actor, since: number, limit: number) {
  // The head first: every event up to it has committed, so one missing below it was pruned.
  const head = await lastEventId(db, actor.id);
  const rows = await db
    .selectFrom("user_events")
    .select(["event_id", "type", "conversation_id", "message_id", "data"])
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
  const page = rows.slice(0, limit);

  const conversationIds = [...new Set(page.map((r) => r.conversation_id).filter((c): c is string => c !== null))];
  const readable = new Set<string>();
  const audits: AuditEvent[] = [];
  if (conversationIds.length > 0) {
    const [conversations, memberOf] = await Promise.all([
      db.selectFrom("conversations").select(["id", "kind", "case_id", "municipality_id"]).where("id", "in", conversationIds).execute(),
      db
        .selectFrom("conversation_members")
        .select("conversation_id")
        .where("user_id", "=", actor.id)
        .where("left_at", "is", null)
        .where("conversation_id", "in", conversationIds)
        .execute(),
    ]);
    for (const m of memberOf) readable.add(m.conversation_id);
    const threads = conversations.filter((c) => c.kind === "case" && c.municipality_id === actor.municipalityId);
    const facts = await loadCaseFacts(db, threads.map((t) => t.case_id!));
    for (const t of threads) {
      const f = facts.get(t.case_id!);
      const decision = f && decisionFor(actor, f, "conversation", "read", "coordination");
      if (!decision || !decision.allow) continue;
      readable.add(t.id);
      if (page.some((r) => r.conversation_id === t.id && r.message_id)) {
        audits.push({
          actorUserId: actor.id,
          actorUnitId: decision.basis.unitId,
          action: "conversation.sync",
          resourceType: "conversation",
          resourceId: t.id,
          caseId: t.case_id,
          basis: decision.basis,
          purpose: "coordination",
        });
      }
    }
  }
  const messages = await messageViews(db, page.filter((r) => r.message_id && readable.has(r.conversation_id!)).map((r) => r.message_id!));
  await appendAudit(db, actor.municipalityId, audits);

  const events: UserEvent[] = page.map((r) => {
    const conversationId = r.conversation_id;
    // Being told of a removal is never withheld; anything else needs the conversation readable now.
    const visible = conversationId === null || r.type === "conversation.removed" || readable.has(conversationId);
    if (!visible) return { eventId: r.event_id, type: "gone", conversationId: null };
    const event: UserEvent = { eventId: r.event_id, type: r.type as UserEvent["type"], conversationId };
    if (r.message_id) event.message = messages.get(r.message_id);
    if (r.data) event.data = r.data as Record<string, unknown>;
    return event;
  });
  return { events, more, reset: false, lastEventId: Math.max(head, page.at(-1)?.event_id ?? 0) };
}
