import { sql, type Kysely } from "kysely";

// The write-ahead log of live plans: every Yjs update a client sends is appended here
// before the server applies and acknowledges it, so a crash between debounced snapshots
// loses nothing acknowledged. A snapshot folds the rows it contains in and deletes them
// in its own transaction; on load, whatever is left is replayed on top of the snapshot.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("plan_updates")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    // One Yjs update, base64 (like plan_documents.state).
    .addColumn("update", "text", (c) => c.notNull())
    // Who wrote it and under which basis: audited when the update is folded into a snapshot.
    .addColumn("user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("basis", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("plan_updates_case_idx").on("plan_updates").columns(["case_id", "id"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
