import { sql, type Kysely } from "kysely";

// Who changed a plan since its last revision, kept with the plan rather than in the memory
// of whichever node folded the edit: the next revision, written by any node, names them all.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("plan_documents")
    .addColumn("pending_editor_user_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
