import { sql, type Kysely } from "kysely";

// The audit chain is now computed by appendAudit (server/src/audit/log.ts) for a whole
// batch at once: the payloads come from audit_event_payload (unchanged, so every hash
// means what it did), the hashes and anchors are chained in the server under the head's
// lock, and each row is inserted complete. The per-row trigger updated the head once per
// row, which made a batch cost grow with its square; it stays only for a row inserted
// without a hash (by hand), which it chains as before and verify then finds unanchored.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_events_chain on audit_events`.execute(db);
  await sql`
    create trigger audit_events_chain before insert on audit_events
    for each row when (new.hash is null) execute function audit_events_chain()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
