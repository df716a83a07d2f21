import { MESSAGE_MAX_LENGTH, type SendMessageInput } from "@laget/domain";
import type { Basis } from "@laget/policy";
import type { Actor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { assertCaseOpen, authorizeConversation, caseThreadReadersWithBasis } from "./access.ts";
import { appendAndDeliver, conversationEvent, type Delivery, type Mentions, type MessageView } from "../events/user-events.ts";
import { messageViews, selectMessages, view } from "./message-views.ts";
import { commitSend } from "./send-commit.ts";

/** What every messaging procedure gets: the database and who asks. */
export type Deps = { db: Db; actor: Actor };

/**
 * Messages: persisted (with their sequence number and every reader's event) before the
 * sender's ack, pushed to readers after commit. The client's id makes a send idempotent.
 */

export function checkBody(body: string): void {
  if (body.trim().length === 0) throw new AppError("MESSAGE_EMPTY");
  if (body.length > MESSAGE_MAX_LENGTH) throw new AppError("MESSAGE_TOO_LONG", `A message can be at most ${MESSAGE_MAX_LENGTH} characters`);
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
async function auditDeliveries(options: Deps & { readers: CaseReaders; caseId: string | null; action: string; messageId: string }) {
  const { db, actor, readers, caseId, action, messageId } = options;
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

const messageExists = async (db: Deps["db"], id: string) => (await db.selectFrom("messages").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;

export async function sendMessage(options: Deps & SendMessageInput): Promise<SendResult> {
  const { db, actor, ...input } = options;
  checkBody(input.body);
  const access = await authorizeConversation({ db, actor, conversationId: input.conversationId, action: "write", auditAction: "message.create" });
  const caseId = access.conversation.case_id;
  // The case's status is in the facts just loaded for this send: a closed case's thread is read-only.
  if (access.facts?.status === "closed") throw new AppError("CASE_CLOSED");
  // In a case thread every delivery is a read of case data: each reader's basis is audited with it.
  const caseReaders = access.facts ? await caseThreadReadersWithBasis(db, access.facts) : null;
  const readers = [...new Set([...(caseReaders ? caseReaders.map((r) => r.userId) : access.members!), actor.id])];
  const mentioned = await resolveMentions(db, input.mentions, readers, actor.id);
  const conversationId = access.conversation.id;
  const now = new Date();
  const mentions: Mentions = { userIds: [...new Set(input.mentions.userIds)], unitIds: [...new Set(input.mentions.unitIds)] };

  // Audited first and outside the send's transaction (so it never holds the municipality's
  // audit chain head): committed before the message is, hence before any reader is pushed it
  // and before the sender's ack. A delivery that then fails is audited; none goes unaudited.
  // A retry of a message already committed delivers nothing new, so it is not audited twice;
  // the flag alone skips nothing (a first send marked as a retry is still audited).
  const alreadySent = input.retry && caseReaders !== null && (await messageExists(db, input.id));
  if (!alreadySent) await auditDeliveries({ db, actor, readers: caseReaders, caseId, action: "message.deliver", messageId: input.id });
  // Written in the next group commit (send-commit.ts); resolves once committed.
  const outcome = await commitSend(db, {
    id: input.id,
    conversationId,
    authorUserId: actor.id,
    authorName: actor.displayName,
    body: input.body,
    replyToSeq: input.replyToSeq ?? null,
    mentions,
    readers,
    mentioned,
    caseId,
    now,
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
async function authorForChange(options: Deps & { messageId: string; auditAction: string }) {
  const { db, actor, messageId, auditAction } = options;
  const message = await db.selectFrom("messages").select(["conversation_id", "author_user_id"]).where("id", "=", messageId).executeTakeFirst();
  if (!message) throw new AppError("NOT_FOUND");
  const access = await authorizeConversation({ db, actor, conversationId: message.conversation_id, action: "write", auditAction });
  if (message.author_user_id !== actor.id) throw new AppError("NOT_AUTHOR");
  if (access.conversation.case_id) await assertCaseOpen(db, access.conversation.case_id);
  const caseReaders = access.facts ? await caseThreadReadersWithBasis(db, access.facts) : null;
  const readers = [...new Set([...(caseReaders ? caseReaders.map((r) => r.userId) : access.members!), actor.id])];
  return { access, readers, caseReaders };
}

/** Edits a message; the previous text is kept in message_edits. */
export async function editMessage(options: Deps & { messageId: string; body: string }): Promise<SendResult> {
  const { db, actor, ...input } = options;
  checkBody(input.body);
  const { access, readers, caseReaders } = await authorForChange({ db, actor, messageId: input.messageId, auditAction: "message.edit" });
  const conversationId = access.conversation.id;
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("messages").select(["body", "deleted_at"]).where("id", "=", input.messageId).forUpdate().executeTakeFirstOrThrow();
    if (current.deleted_at) throw new AppError("INVALID_STATE", "A deleted message cannot be edited");
    await trx.insertInto("message_edits").values({ message_id: input.messageId, previous_body: current.body, edited_by: actor.id }).execute();
    await trx.updateTable("messages").set({ body: input.body, edited_at: new Date() }).where("id", "=", input.messageId).execute();
    const message = (await messageViews(trx, [input.messageId])).get(input.messageId)!;
    const deliveries = await appendAndDeliver(trx, readers, conversationEvent("message.edited", conversationId, { messageId: input.messageId }), { message });
    await auditDeliveries({ db: trx, actor, readers: caseReaders, caseId: access.conversation.case_id, action: "message.deliver_edit", messageId: input.messageId });
    return { message, duplicate: false, deliveries };
  });
}

/** Deletes a message: readers see a tombstone; the text stays in the database for audit. */
export async function deleteMessage(options: Deps & { messageId: string }): Promise<SendResult> {
  const { db, actor, messageId } = options;
  const { access, readers, caseReaders } = await authorForChange({ db, actor, messageId, auditAction: "message.delete" });
  const conversationId = access.conversation.id;
  const deliveries = await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("messages").select("deleted_at").where("id", "=", messageId).forUpdate().executeTakeFirstOrThrow();
    if (current.deleted_at) return [];
    await trx.updateTable("messages").set({ deleted_at: new Date() }).where("id", "=", messageId).execute();
    const message = (await messageViews(trx, [messageId])).get(messageId)!;
    const deliveries = await appendAndDeliver(trx, readers, conversationEvent("message.deleted", conversationId, { messageId }), { message });
    await auditDeliveries({ db: trx, actor, readers: caseReaders, caseId: access.conversation.case_id, action: "message.deliver_delete", messageId });
    return deliveries;
  });
  const message = (await messageViews(db, [messageId])).get(messageId)!;
  return { message, duplicate: false, deliveries };
}

/**
 * One page of history by keyset: `before` a sequence number (older), `after` one (newer),
 * or the latest page. Messages come oldest first. Audited once per page for a case thread.
 */
export async function history(options: Deps & { conversationId: string; before?: number; after?: number; limit: number }) {
  const { db, actor, ...input } = options;
  const { conversation } = await authorizeConversation({ db, actor, conversationId: input.conversationId, action: "read", auditAction: "conversation.read" });
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
export async function messageEdits(options: Deps & { messageId: string }) {
  const { db, actor, messageId } = options;
  const message = await db.selectFrom("messages").select(["conversation_id", "deleted_at"]).where("id", "=", messageId).executeTakeFirst();
  if (!message) throw new AppError("NOT_FOUND");
  await authorizeConversation({ db, actor, conversationId: message.conversation_id, action: "read", auditAction: "message.history" });
  if (message.deleted_at) return [];
  const rows = await db
    .selectFrom("message_edits")
    .select(["previous_body", "edited_at"])
    .where("message_id", "=", messageId)
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({ body: r.previous_body, replacedAt: r.edited_at }));
}
