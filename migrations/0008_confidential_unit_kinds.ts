import { sql, type Kysely } from "kysely";

// That child welfare or police take part in a case is itself confidential (DESIGN.md §4.3).
// A municipality may mark further unit kinds so (e.g. "ppt"): the kinds listed here are
// confidential in addition to child_welfare and police, which always are.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("municipalities")
    .addColumn("confidential_unit_kinds", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
