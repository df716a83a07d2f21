import { sql, type Kysely } from "kysely";

// Realtime messaging (DESIGN.md §5): conversations (one per case, groups, direct),
// messages with a per-conversation sequence number, edit history, per-user read state,
// and the per-user event log that makes reconnects lossless.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("conversations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('case', 'group', 'direct')`))
    .addColumn("case_id", "uuid", (c) => c.unique().references("cases.id"))
    // Groups only: a team, a forum or an SLT group.
    .addColumn("group_kind", "text", (c) => c.check(sql`group_kind in ('team', 'forum', 'slt')`))
    .addColumn("title", "text")
    .addColumn("owner_user_id", "uuid", (c) => c.references("users.id"))
    // Direct only: the two user ids sorted and joined, so a pair has one conversation.
    .addColumn("direct_key", "text", (c) => c.unique())
    .addColumn("last_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("last_message_at", "timestamptz")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "conversations_kind_fields_check",
      sql`(kind = 'case') = (case_id is not null) and (kind = 'group') = (group_kind is not null) and (kind = 'direct') = (direct_key is not null)`,
    )
    .execute();

  // Membership of group and direct conversations. A case thread has no members here:
  // who reads it is decided by decide() at every step, never stored as a grant.
  await db.schema
    .createTable("conversation_members")
    .addColumn("conversation_id", "uuid", (c) => c.notNull().references("conversations.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("added_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("joined_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("left_at", "timestamptz")
    .addPrimaryKeyConstraint("conversation_members_pkey", ["conversation_id", "user_id"])
    .execute();
  await db.schema.createIndex("conversation_members_user_idx").on("conversation_members").columns(["user_id", "conversation_id"]).execute();

  // Read state per user and conversation (any kind), created lazily: counters, never row counts.
  await db.schema
    .createTable("conversation_reads")
    .addColumn("conversation_id", "uuid", (c) => c.notNull().references("conversations.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("last_read_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("mention_count", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("conversation_reads_pkey", ["conversation_id", "user_id"])
    .execute();

  // The id is the client's: a retried send finds the message it already made.
  await db.schema
    .createTable("messages")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("conversation_id", "uuid", (c) => c.notNull().references("conversations.id"))
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("author_user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("reply_to_seq", "bigint")
    // Kept after deletion for audit; readers get a tombstone.
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("mentions", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("edited_at", "timestamptz")
    .addColumn("deleted_at", "timestamptz")
    .addUniqueConstraint("messages_conversation_seq_key", ["conversation_id", "seq"])
    .execute();

  await db.schema
    .createTable("message_edits")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("message_id", "uuid", (c) => c.notNull().references("messages.id"))
    .addColumn("previous_body", "text", (c) => c.notNull())
    .addColumn("edited_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("edited_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("message_edits_message_idx").on("message_edits").column("message_id").execute();

  // Every event a user should receive, numbered 1, 2, 3… per user. The number is taken
  // under the lock on the user's counter row, so a user's events commit in id order and
  // a client can tell a gap from a delay. Events reference messages rather than copy them:
  // a replay shows the message as it is now (deleted text stays gone).
  await db.schema
    .createTable("user_event_counters")
    .addColumn("user_id", "uuid", (c) => c.primaryKey().references("users.id"))
    .addColumn("last_event_id", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("user_events")
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("event_id", "bigint", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("conversation_id", "uuid", (c) => c.references("conversations.id"))
    .addColumn("message_id", "uuid")
    .addColumn("data", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("user_events_pkey", ["user_id", "event_id"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
