import { sql, type Kysely } from "kysely";

// Live documents of any kind (server/src/collab): snapshots, the write-ahead log and
// revisions keyed by document name (`plan:<case id>`, later `minutes:<agenda item id>`,
// `slt-plan:<id>`) rather than by case id. Today's rows move as they are, each under its
// plan's one name, 'plan:' and the case id in lower case (how PostgreSQL prints a uuid).
// The case id is not kept: a plan's name carries it, and the measure projection
// (plan_measures) keeps its own.

const moves = [
  { from: "plan_documents", to: "live_documents" },
  { from: "plan_updates", to: "live_document_updates" },
  { from: "plan_revisions", to: "document_revisions" },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { from, to } of moves) {
    await sql`alter table ${sql.table(from)} rename to ${sql.table(to)}`.execute(db);
    await sql`alter table ${sql.table(to)} add column document_name text`.execute(db);
    await sql`update ${sql.table(to)} set document_name = 'plan:' || lower(case_id::text)`.execute(db);
    await sql`alter table ${sql.table(to)} alter column document_name set not null`.execute(db);
  }
  await sql`alter table live_documents drop constraint plan_documents_pkey`.execute(db);
  await sql`alter table live_documents add constraint live_documents_pkey primary key (document_name)`.execute(db);
  // Dropping case_id drops the indexes on it (plan_updates_case_idx, plan_revisions_case_idx).
  for (const { to } of moves) await sql`alter table ${sql.table(to)} drop column case_id`.execute(db);
  await db.schema.createIndex("live_document_updates_name_idx").on("live_document_updates").columns(["document_name", "id"]).execute();
  await db.schema.createIndex("document_revisions_name_idx").on("document_revisions").columns(["document_name", "created_at"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
