import type { Basis, Purpose } from "@laget/policy";
import { hash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import { auditKey, headMac, rowMac } from "./key.ts";

/**
 * The audit log: one hash chain per municipality. Each event's hash covers the previous
 * event's hash and the event's own fields (audit_event_payload in migration 0002), so
 * altering or deleting any row breaks the chain from there on.
 *
 * The chain is anchored outside the database: each new event and the head get an HMAC
 * with the audit key (key.ts), which the database never holds. Recomputing every hash and
 * the head in SQL, or inserting a row through the trigger, leaves rows whose anchor does
 * not match.
 *
 * Appends are group-committed: appends outside a transaction that arrive while one batch
 * of a municipality is being written wait and go together in the next batch, a few
 * statements for any number of events, each caller answered once its batch committed.
 * An append inside a caller's transaction commits with the write it records instead.
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
  else await groupCommitter(db).append(municipalityId, events);
}

type Waiting = { events: readonly AuditEvent[]; resolve: () => void; reject: (err: unknown) => void };

/**
 * Batches written at once per municipality: the second waits on the head's lock in the
 * database while the first commits, so it starts the moment the head is free instead of
 * a round trip later; the database's lock, not this count, orders the chain.
 */
const BATCHES_IN_FLIGHT = 2;

/** One per database (pool): per municipality, the batches being written and the appends waiting for the next. */
class GroupCommitter {
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly writing = new Map<string, number>();

  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  append(municipalityId: string, events: readonly AuditEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(municipalityId);
      if (queue) queue.push({ events, resolve, reject });
      else this.waiting.set(municipalityId, [{ events, resolve, reject }]);
      if ((this.writing.get(municipalityId) ?? 0) < BATCHES_IN_FLIGHT) void this.write(municipalityId);
    });
  }

  private async write(municipalityId: string): Promise<void> {
    this.writing.set(municipalityId, (this.writing.get(municipalityId) ?? 0) + 1);
    // Appends made in the same turn of the event loop join this first batch.
    await new Promise<void>((r) => setImmediate(r));
    try {
      for (let batch = this.take(municipalityId); batch.length > 0; batch = this.take(municipalityId)) {
        try {
          await this.db.transaction().execute((trx) => appendAnchored(trx, municipalityId, batch.flatMap((w) => w.events)));
          for (const w of batch) w.resolve();
        } catch (err) {
          // One caller's bad event must not fail the others: each alone, in order.
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const w of batch) await this.db.transaction().execute((trx) => appendAnchored(trx, municipalityId, w.events)).then(w.resolve, w.reject);
        }
      }
    } finally {
      const left = this.writing.get(municipalityId)! - 1;
      if (left > 0) this.writing.set(municipalityId, left);
      else this.writing.delete(municipalityId);
    }
  }

  private take(municipalityId: string): Waiting[] {
    const batch = this.waiting.get(municipalityId) ?? [];
    this.waiting.delete(municipalityId);
    return batch;
  }
}

const committers = new WeakMap<Db, GroupCommitter>();
function groupCommitter(db: Db): GroupCommitter {
  let committer = committers.get(db);
  if (!committer) committers.set(db, (committer = new GroupCommitter(db)));
  return committer;
}

const sha256 = (text: string) => hash("sha256", text, "hex");

/**
 * Chains and anchors a batch under the head's row lock, held until the transaction ends:
 * the database formats each event's payload (the text its hash covers), the server chains
 * and signs, and every row is inserted complete with the head moved once.
 */
async function appendAnchored(trx: Db, municipalityId: string, events: readonly AuditEvent[]): Promise<void> {
  const key = auditKey();
  const rows = events.map((e) => ({
    municipality_id: municipalityId,
    actor_user_id: e.actorUserId,
    actor_unit_id: e.actorUnitId,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    case_id: e.caseId,
    basis: e.basis,
    purpose: e.purpose,
  }));
  // Locks the head and formats every payload in one round trip. The payload is
  // audit_event_payload's (migration 0002) with the seq and time this batch gives: verify
  // recomputes it with that function, so any difference shows as a broken chain in tests.
  const lockAndFormat = () => sql<{ last_seq: number; last_hash: string; at: string; payload: string }>`
    with head as (
      select last_seq, last_hash, to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
      from audit_chain_heads where municipality_id = ${municipalityId} for update)
    select head.last_seq, head.last_hash, head.at,
      json_build_array(r.municipality_id, head.last_seq + r.ordinality, head.at, r.actor_user_id, r.actor_unit_id, r.action,
                       r.resource_type, r.resource_id, r.case_id, r.basis, r.purpose)::text as payload
    from head, rows from (jsonb_populate_recordset(null::audit_events, ${JSON.stringify(rows)}::jsonb)) with ordinality as r
    order by r.ordinality`.execute(trx);
  let { rows: locked } = await lockAndFormat();
  if (locked.length === 0) {
    // The municipality's first event: its head starts at genesis.
    await trx.insertInto("audit_chain_heads").values({ municipality_id: municipalityId, last_seq: 0, last_hash: GENESIS_HASH }).onConflict((oc) => oc.doNothing()).execute();
    ({ rows: locked } = await lockAndFormat());
  }
  const first = locked[0]!;
  let prev = first.last_hash;
  const chained = rows.map((row, i) => {
    const seq = first.last_seq + i + 1;
    const hash = sha256(prev + locked[i]!.payload);
    const linked = { ...row, seq, at: locked[i]!.at, prev_hash: prev, hash, mac: rowMac(key, municipalityId, seq, hash) };
    prev = hash;
    return linked;
  });
  const lastSeq = first.last_seq + rows.length;
  await sql`
    with inserted as (
      insert into audit_events (municipality_id, seq, at, actor_user_id, actor_unit_id, action, resource_type, resource_id, case_id, basis, purpose, prev_hash, hash, mac)
      select municipality_id, seq, at, actor_user_id, actor_unit_id, action, resource_type, resource_id, case_id, basis, purpose, prev_hash, hash, mac
      from jsonb_populate_recordset(null::audit_events, ${JSON.stringify(chained)}::jsonb)
      returning 1)
    update audit_chain_heads set last_seq = ${lastSeq}, last_hash = ${prev}, mac = ${headMac(key, municipalityId, lastSeq, prev)}
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
