import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { appendAudit, verifyAuditChain, type AuditEvent } from "./log.ts";

let testDb: TestDb;
let municipalityId: string;
let otherMunicipalityId: string;
let ids: number[];

const event = (i: number): AuditEvent => ({
  actorUserId: null,
  actorUnitId: null,
  action: i % 2 ? "case.read" : "note.read",
  resourceType: "case",
  resourceId: `r${i}`,
  caseId: null,
  basis: i % 3 ? { kind: "consent", consentId: `c${i}`, consentVersion: 2, unitId: "u" } : { kind: "own_unit", unitId: "u" },
  purpose: "coordination",
});

beforeAll(async () => {
  testDb = await createTestDb();
  const [a, b] = await testDb.db.insertInto("municipalities").values([{ name: "A" }, { name: "B" }]).returning("id").execute();
  municipalityId = a!.id;
  otherMunicipalityId = b!.id;
});
afterAll(() => testDb?.close());

beforeEach(async () => {
  const { db } = testDb;
  await db.deleteFrom("audit_events").execute();
  await db.deleteFrom("audit_chain_heads").execute();
  for (let i = 0; i < 10; i++) {
    await appendAudit(db, municipalityId, [event(i)]);
    await appendAudit(db, otherMunicipalityId, [event(i)]);
  }
  // A batch append chains too.
  await appendAudit(db, municipalityId, [event(10), event(11), event(12)]);
  ids = (await db.selectFrom("audit_events").select("id").where("municipality_id", "=", municipalityId).orderBy("seq").execute()).map((r) => r.id);
});

test("an untouched chain verifies", async () => {
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: true, checked: 13 });
});

test("concurrent appends still form one unbroken chain", async () => {
  await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(testDb.db, municipalityId, [event(i), event(i + 1)])));
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: true, checked: 53 });
});

test.each(["action", "basis", "at", "actor_user_id"] as const)("altering %s in SQL is reported at that row", async (column) => {
  const target = ids[4]!;
  const change = {
    action: sql`update audit_events set action = 'nothing.happened' where id = ${target}`,
    basis: sql`update audit_events set basis = '{"kind":"own_unit","unitId":"x"}' where id = ${target}`,
    at: sql`update audit_events set at = at - interval '1 day' where id = ${target}`,
    actor_user_id: sql`update audit_events set actor_user_id = gen_random_uuid() where id = ${target}`,
  }[column];
  await change.execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toMatchObject({ ok: false, brokenAtId: target, problem: "hash_mismatch", checked: 4 });
  // The other municipality's chain is its own, and intact.
  expect((await verifyAuditChain(testDb.db, otherMunicipalityId)).ok).toBe(true);
});

test("rewriting a row together with its own hash is caught at the next link", async () => {
  await sql`update audit_events set action = 'x', hash = repeat('a', 64) where id = ${ids[6]!}`.execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toMatchObject({ ok: false, brokenAtId: ids[6]!, problem: "hash_mismatch" });
});

test("deleting a row in the middle is reported at the first row after it", async () => {
  await sql`delete from audit_events where id = ${ids[7]!}`.execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toMatchObject({ ok: false, brokenAtId: ids[8]!, problem: "link_mismatch", checked: 7 });
});

test("deleting the newest rows is caught by the chain head, after the last row left", async () => {
  await sql`delete from audit_events where id >= ${ids[11]!} and municipality_id = ${municipalityId}`.execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toMatchObject({ ok: false, brokenAtId: ids[10]!, problem: "head_mismatch", checked: 11 });
});

test("deleting the first row is reported at the new first row", async () => {
  await sql`delete from audit_events where id = ${ids[0]!}`.execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toMatchObject({ ok: false, brokenAtId: ids[1]!, problem: "link_mismatch", checked: 0 });
});

// An attacker with SQL access alone: everything the database can compute, they can too.
const recomputeChain = (m: string) =>
  sql`
    do $$
    declare
      r record;
      prev text := repeat('0', 64);
    begin
      for r in select id from audit_events where municipality_id = ${sql.lit(m)}::uuid order by seq loop
        update audit_events e set prev_hash = prev, hash = encode(sha256(convert_to(prev || audit_event_payload(e), 'UTF8')), 'hex')
          where e.id = r.id returning e.hash into prev;
      end loop;
      update audit_chain_heads set last_hash = prev, last_seq = (select max(seq) from audit_events where municipality_id = ${sql.lit(m)}::uuid)
        where municipality_id = ${sql.lit(m)}::uuid;
    end $$`;

test("rewriting a row and then recomputing every hash and the head in SQL is caught by the anchor at that row", async () => {
  await sql`update audit_events set action = 'nothing.happened' where id = ${ids[4]!}`.execute(testDb.db);
  await recomputeChain(municipalityId).execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: false, checked: 4, brokenAtId: ids[4]!, problem: "anchor_mismatch" });
});

test("a row inserted through the chaining trigger is caught by the anchor", async () => {
  const forged = await sql<{ id: number }>`
    insert into audit_events (municipality_id, action, resource_type) values (${municipalityId}, 'case.read', 'case') returning id`.execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: false, checked: 13, brokenAtId: forged.rows[0]!.id, problem: "anchor_mismatch" });
  // Later genuine appends do not launder it.
  await appendAudit(testDb.db, municipalityId, [event(20)]);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toMatchObject({ ok: false, brokenAtId: forged.rows[0]!.id, problem: "anchor_mismatch" });
});

test("cutting off the newest rows and moving the head back is caught by the head's anchor", async () => {
  await sql`delete from audit_events where id >= ${ids[11]!} and municipality_id = ${municipalityId}`.execute(testDb.db);
  await sql`update audit_chain_heads h set last_seq = e.seq, last_hash = e.hash from audit_events e where e.id = ${ids[10]!} and h.municipality_id = e.municipality_id`.execute(testDb.db);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: false, checked: 11, brokenAtId: ids[10]!, problem: "anchor_mismatch" });
});

test("the anchor is the key's: verified with another key, an untouched chain fails at its first row", async () => {
  expect(await verifyAuditChain(testDb.db, municipalityId, Buffer.from("another-key-another-key-another-key"))).toEqual({
    ok: false,
    checked: 0,
    brokenAtId: ids[0]!,
    problem: "anchor_mismatch",
  });
});

test("appends made at the same time outside a transaction are committed together, in one batch", async () => {
  await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(testDb.db, municipalityId, [event(i), event(i + 1)])));
  // One transaction: one now() for all forty rows.
  const batches = await sql<{ n: number }>`
    select count(distinct at)::int as n from audit_events where municipality_id = ${municipalityId} and seq > 13`.execute(testDb.db);
  expect(batches.rows[0]!.n).toBe(1);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: true, checked: 53 });
});

test("a bad event fails its own append only: the others in its batch commit", async () => {
  const bad: AuditEvent = { ...event(0), actorUserId: "not-a-uuid" };
  const results = await Promise.allSettled([appendAudit(testDb.db, municipalityId, [event(1)]), appendAudit(testDb.db, municipalityId, [bad]), appendAudit(testDb.db, municipalityId, [event(2), event(3)])]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: true, checked: 16 });
});

test("an append whose transaction rolled back leaves nothing, and the next append chains from the real head", async () => {
  await testDb.db
    .transaction()
    .execute(async (trx) => {
      await appendAudit(trx, municipalityId, [event(30), event(31)]);
      throw new Error("rolled back");
    })
    .catch(() => undefined);
  await appendAudit(testDb.db, municipalityId, [event(32)]);
  expect(await verifyAuditChain(testDb.db, municipalityId)).toEqual({ ok: true, checked: 14 });
});
