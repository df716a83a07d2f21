import type { Kysely } from "kysely";

// A correction of approved minutes (DESIGN.md §6): reopening them takes a reason, which the
// next approval records on its version. Kept on the meeting in between.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("meetings").addColumn("minutes_correction_reason", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
