import type { Basis, Purpose } from "@laget/policy";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import { auditKey, headMac, rowMac } from "./key.ts";

/**
 * The audit log: one hash chain per municipality. Each event's hash covers the previous
 * event's hash and the event's own fields (audit_event_payload in migration 0002), so
 * altering or deleting any row breaks the chain from there on. The chaining itself is
 * done by a trigger under a lock on the chain head.
 *
 * The chain is anchored outside the database: in the same transaction, each new event
 * and the head get an HMAC with the audit key (key.ts), which the database never holds.
 * Recomputing every hash and the head in SQL, or inserting a row through the trigger,
 * leaves rows whose anchor does not match.
 */
export const GENESIS_HASH = "0".repeat(64);

export type AuditEvent = {
  actorUserId: string | null;
  actorUnitId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  caseId: string | null;
  basis: Basis | null;
  purpose: Purpose | null;
};

/** Appends and anchors events; inside a caller's transaction it commits with the write it records. */
export async function appendAudit(db: Db, municipalityId: string, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (db.isTransaction) await appendAnchored(db, municipalityId, events);
  else await db.transaction().execute((trx) => appendAnchored(trx, municipalityId, events));
}

async function appendAnchored(trx: Db, municipalityId: string, events: readonly AuditEvent[]): Promise<void> {
  const key = auditKey();
  const rows = await trx
    .insertInto("audit_events")
    .values(
      events.map((e) => ({
        municipality_id: municipalityId,
        actor_user_id: e.actorUserId,
        actor_unit_id: e.actorUnitId,
        action: e.action,
        resource_type: e.resourceType,
        resource_id: e.resourceId,
        case_id: e.caseId,
        basis: e.basis === null ? null : JSON.stringify(e.basis),
        purpose: e.purpose,
      })),
    )
    .returning(["id", "seq", "hash"])
    .execute();
  // The trigger holds the head's row lock until this transaction ends: the head is ours.
  const last = rows.reduce((a, b) => (b.seq > a.seq ? b : a));
  const macs = rows.map((r) => sql`(${r.id}::bigint, ${rowMac(key, municipalityId, r.seq, r.hash)})`);
  await sql`
    with v(id, mac) as (values ${sql.join(macs)}),
    anchored as (update audit_events e set mac = v.mac from v where e.id = v.id)
    update audit_chain_heads set mac = ${headMac(key, municipalityId, last.seq, last.hash)}
    where municipality_id = ${municipalityId}`.execute(trx);
}

export type ChainVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAtId: number; problem: "hash_mismatch" | "link_mismatch" | "head_mismatch" | "anchor_mismatch" };

/**
 * Walks a municipality's chain from the start and reports the first broken link: a
 * wrong back-link or gap, a hash that does not match its row, an anchor that does not
 * match its hash (or is missing), or a head that does not match the chain or its anchor.
 */
export async function verifyAuditChain(db: Db, municipalityId: string, key: Buffer = auditKey()): Promise<ChainVerification> {
  const head = await db
    .selectFrom("audit_chain_heads")
    .select(["last_seq", "last_hash", "mac"])
    .where("municipality_id", "=", municipalityId)
    .executeTakeFirst();
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let lastId = 0;
  let checked = 0;
  const pageSize = 10_000;
  for (;;) {
    const { rows } = await sql<{ id: number; seq: number; prev_hash: string; hash: string; mac: string | null; expected: string }>`
      select id, seq, prev_hash, hash, mac,
             encode(sha256(convert_to(prev_hash || audit_event_payload(e), 'UTF8')), 'hex') as expected
      from audit_events e
      where municipality_id = ${municipalityId} and seq > ${lastSeq}
      order by seq
      limit ${pageSize}`.execute(db);
    for (const r of rows) {
      // A gap in the sequence or a wrong back-link: something was deleted or rewritten.
      if (r.prev_hash !== prev || r.seq !== lastSeq + 1) return { ok: false, checked, brokenAtId: r.id, problem: "link_mismatch" };
      if (r.hash !== r.expected) return { ok: false, checked, brokenAtId: r.id, problem: "hash_mismatch" };
      // A consistent chain whose anchor does not match was rewritten (or extended) by someone without the key.
      if (r.mac !== rowMac(key, municipalityId, r.seq, r.hash)) return { ok: false, checked, brokenAtId: r.id, problem: "anchor_mismatch" };
      prev = r.hash;
      lastSeq = r.seq;
      lastId = r.id;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  // Deleting the newest events leaves an intact but shorter chain: the head remembers.
  if (!head ? checked > 0 : head.last_seq !== lastSeq || head.last_hash !== prev) {
    return { ok: false, checked, brokenAtId: lastId, problem: "head_mismatch" };
  }
  if (head && head.mac !== headMac(key, municipalityId, head.last_seq, head.last_hash)) {
    return { ok: false, checked, brokenAtId: lastId, problem: "anchor_mismatch" };
  }
  return { ok: true, checked };
}
