import type { Kysely } from "kysely";

// The retention job deletes user_events by age in small batches; without this index each
// batch would scan the whole log.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("user_events_created_at_idx").on("user_events").column("created_at").execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
