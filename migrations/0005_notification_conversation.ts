import type { Kysely } from "kysely";

// A notification may link to one conversation (a mention in a direct or group
// conversation, which has no case to link to), so the bell can open that conversation.
// Still only a link: the text stays neutral, worded by kind on the client.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("notifications")
    .addColumn("conversation_id", "uuid", (c) => c.references("conversations.id"))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
