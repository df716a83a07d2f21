import type { Db } from "../db/connect.ts";
import type { Mentions, MessageView } from "../events/user-events.ts";

/** Messages as readers see them: a deleted one keeps its place as a tombstone without its text. */
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

export function view(r: MessageRow): MessageView {
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

export function selectMessages(db: Db) {
  return db.selectFrom("messages").innerJoin("users", "users.id", "messages.author_user_id").select(messageColumns);
}

export async function messageViews(db: Db, ids: readonly string[]): Promise<Map<string, MessageView>> {
  if (ids.length === 0) return new Map();
  const rows = await selectMessages(db).where("messages.id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, view(r)]));
}

