import { sql, type Kysely } from "kysely";

// The audit chain's anchor (server/src/audit/key.ts): an HMAC, with a key the database
// never holds, of each event's chain hash and of the chain head. Events written before
// this migration have none (verify reports them as unanchored).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_events add column mac text`.execute(db);
  await sql`alter table audit_chain_heads add column mac text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
