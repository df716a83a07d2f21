import { sql, type Kysely } from "kysely";

// Live shared action plans (DESIGN.md §5): one Yjs document per case, stored as a
// snapshot (base64 text: identical on PostgreSQL and PGlite), its revisions, and a
// relational projection of its measures written in the same transaction, so search,
// reminders and reports never decode Yjs. Plus each municipality's plan domains.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("plan_documents")
    .addColumn("case_id", "uuid", (c) => c.primaryKey().references("cases.id"))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    // The whole document as one Yjs update (encodeStateAsUpdate), base64.
    .addColumn("state", "text", (c) => c.notNull())
    // Bumped on every write: a node that last saw this version need not merge before writing.
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "uuid", (c) => c.references("users.id"))
    .addColumn("last_revision_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("plan_revisions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull().check(sql`reason in ('periodic', 'last_editor_left', 'restore')`))
    // Who changed the plan since the previous revision.
    .addColumn("editor_user_ids", "jsonb", (c) => c.notNull())
    .addColumn("restored_from", "uuid", (c) => c.references("plan_revisions.id"))
    .addColumn("created_by", "uuid", (c) => c.references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("plan_revisions_case_idx").on("plan_revisions").columns(["case_id", "created_at"]).execute();

  // One row per measure in a plan, kept equal to the document with every snapshot. References into the
  // document (units, people) are whatever the document says, so they carry no foreign key.
  await db.schema
    .createTable("plan_measures")
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("measure_id", "text", (c) => c.notNull())
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("domain_id", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('planned', 'in_progress', 'completed', 'ended')`))
    .addColumn("responsible_unit_id", "uuid")
    .addColumn("responsible_user_id", "uuid")
    .addColumn("start_date", "date")
    .addColumn("deadline", "date")
    .addColumn("evaluation_date", "date")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("plan_measures_pkey", ["case_id", "measure_id"])
    .execute();
  await db.schema.createIndex("plan_measures_user_idx").on("plan_measures").columns(["responsible_user_id", "deadline"]).execute();
  await db.schema.createIndex("plan_measures_deadline_idx").on("plan_measures").columns(["deadline"]).execute();
  await db.schema.createIndex("plan_measures_evaluation_idx").on("plan_measures").columns(["evaluation_date"]).execute();

  // A municipality's own plan domains; none means the Norwegian defaults.
  await db.schema
    .createTable("plan_settings")
    .addColumn("municipality_id", "uuid", (c) => c.primaryKey().references("municipalities.id"))
    .addColumn("domains", "jsonb", (c) => c.notNull())
    .addColumn("updated_by", "uuid", (c) => c.references("users.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
