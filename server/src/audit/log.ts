import type { Basis, Purpose } from "@laget/policy";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";

/**
 * The audit log: one hash chain per municipality. Each event's hash covers the previous
 * event's hash and the event's own fields (audit_event_payload in migration 0002), so
 * altering or deleting any row breaks the chain from there on. The chaining itself is
 * done by a trigger under a lock on the chain head.
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

/** Appends events in one statement; inside a caller's transaction it commits with the write it records. */
export async function appendAudit(db: Db, municipalityId: string, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
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
    .execute();
}

export type ChainVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAtId: number; problem: "hash_mismatch" | "link_mismatch" | "head_mismatch" };

/** Walks a municipality's chain from the start and reports the first broken link. */
export async function verifyAuditChain(db: Db, municipalityId: string): Promise<ChainVerification> {
  const head = await db
    .selectFrom("audit_chain_heads")
    .select(["last_seq", "last_hash"])
    .where("municipality_id", "=", municipalityId)
    .executeTakeFirst();
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let lastId = 0;
  let checked = 0;
  const pageSize = 10_000;
  for (;;) {
    const { rows } = await sql<{ id: number; seq: number; prev_hash: string; hash: string; expected: string }>`
      select id, seq, prev_hash, hash,
             encode(sha256(convert_to(prev_hash || audit_event_payload(e), 'UTF8')), 'hex') as expected
      from audit_events e
      where municipality_id = ${municipalityId} and seq > ${lastSeq}
      order by seq
      limit ${pageSize}`.execute(db);
    for (const r of rows) {
      // A gap in the sequence or a wrong back-link: something was deleted or rewritten.
      if (r.prev_hash !== prev || r.seq !== lastSeq + 1) return { ok: false, checked, brokenAtId: r.id, problem: "link_mismatch" };
      if (r.hash !== r.expected) return { ok: false, checked, brokenAtId: r.id, problem: "hash_mismatch" };
      prev = r.hash;
      lastSeq = r.seq;
      lastId = r.id;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  // Deleting the newest events leaves an intact but shorter chain: the head remembers.
  if (head && (head.last_seq !== lastSeq || head.last_hash !== prev)) {
    return { ok: false, checked, brokenAtId: lastId, problem: "head_mismatch" };
  }
  return { ok: true, checked };
}
