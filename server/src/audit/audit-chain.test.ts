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
