import { sql, type Kysely } from "kysely";

// The per-user event log carries events about any resource, not only conversations
// (meeting invitations, referral status changes): each event names its resource by type
// and id. Every existing row keeps its event id; a row about a conversation becomes one
// about resource ('conversation', its id). message_id stays: a replay shows a message
// as it is now.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("user_events")
    .addColumn("resource_type", "text")
    .addColumn("resource_id", "text")
    .execute();
  await sql`update user_events set resource_type = 'conversation', resource_id = conversation_id::text where conversation_id is not null`.execute(db);
  await db.schema
    .alterTable("user_events")
    .addCheckConstraint("user_events_resource_check", sql`(resource_type is null) = (resource_id is null)`)
    .execute();
  await db.schema.alterTable("user_events").dropColumn("conversation_id").execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
