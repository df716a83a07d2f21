import type { Basis, Purpose } from "@laget/policy";
import { hash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import { groupCommit } from "../db/group-commit.ts";
import { auditKey, headMac, rowMac } from "./key.ts";
import { auditPayload, payloadTime } from "./payload.ts";

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
 * of a municipality is being written wait and go together in the next batch, one
 * statement for any number of events, each caller answered once its batch committed.
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
  else await groupCommitter(db, municipalityId)(events);
}

/** Per database (pool) and municipality: the group commit its appends outside a transaction join. */
const committers = new WeakMap<Db, Map<string, (events: readonly AuditEvent[]) => Promise<void>>>();
function groupCommitter(db: Db, municipalityId: string): (events: readonly AuditEvent[]) => Promise<void> {
  let byMunicipality = committers.get(db);
  if (!byMunicipality) committers.set(db, (byMunicipality = new Map()));
  let commit = byMunicipality.get(municipalityId);
  if (!commit) {
    commit = groupCommit<readonly AuditEvent[], void>(
      async (appends) => {
        await appendAnchored(db, municipalityId, appends.flat());
        return appends.map(() => ({ ok: true, value: undefined }));
      },
      { weight: (events) => events.length, maxWeight: 5_000 },
    );
    byMunicipality.set(municipalityId, commit);
  }
  return commit;
}

const sha256 = (text: string) => hash("sha256", text, "hex");

/** The head this process last wrote or read, per municipality: a guess that saves a read, checked by every write. */
const knownHeads = new Map<string, { seq: number; hash: string }>();

async function readHead(db: Db, municipalityId: string): Promise<{ seq: number; hash: string }> {
  const select = () => db.selectFrom("audit_chain_heads").select(["last_seq", "last_hash"]).where("municipality_id", "=", municipalityId).executeTakeFirst();
  let head = await select();
  if (!head) {
    // The municipality's first event: its head starts at genesis.
    await db.insertInto("audit_chain_heads").values({ municipality_id: municipalityId, last_seq: 0, last_hash: GENESIS_HASH }).onConflict((oc) => oc.doNothing()).execute();
    head = (await select())!;
  }
  return { seq: head.last_seq, hash: head.last_hash };
}

/**
 * Chains, anchors and writes a batch in one statement: the server formats each payload
 * (payload.ts, the same text as audit_event_payload), chains and signs from the head it
 * knows, and the statement moves the head only if it is still there, inserting the rows
 * only then. Another writer (another node, a caller's transaction) having moved it means
 * nothing was written: read the head and chain again. Moving the head locks it until the
 * transaction ends, so the chain's order is the database's.
 */
async function appendAnchored(db: Db, municipalityId: string, events: readonly AuditEvent[]): Promise<void> {
  const key = auditKey();
  const at = payloadTime(new Date());
  for (let attempt = 0; ; attempt++) {
    const head = knownHeads.get(municipalityId) ?? (await readHead(db, municipalityId));
    let prev = head.hash;
    const rows = events.map((e, i) => {
      const fields = {
        municipality_id: municipalityId,
        seq: head.seq + i + 1,
        at,
        actor_user_id: e.actorUserId?.toLowerCase() ?? null,
        actor_unit_id: e.actorUnitId?.toLowerCase() ?? null,
        action: e.action,
        resource_type: e.resourceType,
        resource_id: e.resourceId,
        case_id: e.caseId?.toLowerCase() ?? null,
        basis: e.basis,
        purpose: e.purpose,
      };
      const hash = sha256(prev + auditPayload(fields));
      const row = { ...fields, prev_hash: prev, hash, mac: rowMac(key, municipalityId, fields.seq, hash) };
      prev = hash;
      return row;
    });
    const lastSeq = head.seq + rows.length;
    // The count of rows written, not their ids: one row back however large the batch.
    const { rows: written } = await sql<{ n: number }>`
      with moved as (
        update audit_chain_heads set last_seq = ${lastSeq}, last_hash = ${prev}, mac = ${headMac(key, municipalityId, lastSeq, prev)}
        where municipality_id = ${municipalityId} and last_seq = ${head.seq} and last_hash = ${head.hash}
        returning 1)
      , inserted as (
        insert into audit_events (municipality_id, seq, at, actor_user_id, actor_unit_id, action, resource_type, resource_id, case_id, basis, purpose, prev_hash, hash, mac)
        select municipality_id, seq, at, actor_user_id, actor_unit_id, action, resource_type, resource_id, case_id, basis, purpose, prev_hash, hash, mac
        from jsonb_populate_recordset(null::audit_events, ${JSON.stringify(rows)}::jsonb)
        where exists (select 1 from moved)
        returning 1)
      select count(*)::int as n from inserted`.execute(db);
    if (written[0]?.n === rows.length) {
      // Inside a caller's transaction this is a guess until it commits; a wrong guess costs one retry.
      knownHeads.set(municipalityId, { seq: lastSeq, hash: prev });
      return;
    }
    knownHeads.delete(municipalityId);
    if (attempt >= 100) throw new Error("The audit chain's head kept moving: gave up after 100 attempts");
  }
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
