import { addMeasure, initPlan, planDocumentName, readPlan } from "@laget/plan";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import type { Actor } from "../auth/actor.ts";
import { seedDemo } from "../demo/seed.ts";
import { loadPlanSnapshot } from "../plans/persistence.ts";
import { listRevisions } from "../plans/plans.ts";
import { createCaseAs, demoActor } from "../testing/case-fixtures.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { migrateTo } from "./migrate.ts";

// Migration 0013 on a copy of a populated database: plans stored under the old schema
// (snapshots, write-ahead log rows, revisions, keyed by case id) are all there after it,
// each under its plan's one document name, and the plans load with their content.

let testDb: TestDb;
let actor: Actor;
const encode = (update: Uint8Array) => Buffer.from(update).toString("base64");

beforeAll(async () => {
  testDb = await createTestDb(undefined, { upTo: "0012_plan_pending_editors" });
  await seedDemo(testDb.db, { meetings: false });
  actor = await demoActor(testDb.db);
});
afterAll(() => testDb?.close());

/** An edit as a client would send it: a measure added on a replica of `base`. */
function editOf(base: Y.Doc, title: string): Uint8Array {
  const before = Y.encodeStateVector(base);
  addMeasure(base, { title });
  return Y.encodeStateAsUpdate(base, before);
}

test("0013 moves every snapshot, logged update and revision under its document name, and the plans load", async () => {
  const db = testDb.db;
  const stored = await createCaseAs(db, actor);
  const logOnly = await createCaseAs(db, actor);
  const unit = actor.memberships[0]!.unitId;

  // A plan with a snapshot, two edits logged after it, and two revisions (one a restore of the other).
  const doc = new Y.Doc();
  initPlan(doc);
  addMeasure(doc, { title: "I øyeblikksbildet" });
  const snapshot = encode(Y.encodeStateAsUpdate(doc));
  const logged = [editOf(doc, "Logget først"), editOf(doc, "Logget sist")].map(encode);
  await sql`insert into plan_documents (case_id, municipality_id, state, version, updated_by, pending_editor_user_ids)
    values (${stored}, ${actor.municipalityId}, ${snapshot}, 7, ${actor.id}, ${JSON.stringify([actor.id])}::jsonb)`.execute(db);
  for (const update of logged) {
    await sql`insert into plan_updates (case_id, update, user_id, basis)
      values (${stored}, ${update}, ${actor.id}, ${JSON.stringify({ kind: "own_unit", unitId: unit })}::jsonb)`.execute(db);
  }
  const first = await sql<{ id: string }>`insert into plan_revisions (case_id, state, reason, editor_user_ids)
    values (${stored}, ${snapshot}, 'periodic', ${JSON.stringify([actor.id])}::jsonb) returning id`.execute(db);
  const firstId = first.rows[0]!.id;
  await sql`insert into plan_revisions (case_id, state, reason, editor_user_ids, restored_from, created_by)
    values (${stored}, ${snapshot}, 'restore', ${JSON.stringify([actor.id])}::jsonb, ${firstId}, ${actor.id})`.execute(db);
  // A plan never snapshotted (a crash right after its first edits): only logged updates.
  const fresh = new Y.Doc();
  initPlan(fresh);
  await sql`insert into plan_updates (case_id, update, user_id, basis) values (${logOnly}, ${encode(Y.encodeStateAsUpdate(fresh))}, null, null)`.execute(db);
  await sql`insert into plan_updates (case_id, update, user_id, basis) values (${logOnly}, ${encode(editOf(fresh, "Bare logget"))}, ${actor.id}, null)`.execute(db);
  const updateIds = (await sql<{ id: string; case_id: string }>`select id, case_id from plan_updates order by id`.execute(db)).rows;

  expect(await migrateTo(db, "0013_documents_by_name")).toEqual(["0013_documents_by_name"]);

  const documents = await db.selectFrom("live_documents").selectAll().execute();
  expect(documents).toEqual([
    expect.objectContaining({ document_name: planDocumentName(stored), municipality_id: actor.municipalityId, state: snapshot, version: 7, updated_by: actor.id, pending_editor_user_ids: [actor.id] }),
  ]);
  const updates = await db.selectFrom("live_document_updates").select(["id", "document_name", "update", "user_id", "basis"]).orderBy("id").execute();
  expect(updates.map((u) => [String(u.id), u.document_name])).toEqual(updateIds.map((u) => [String(u.id), planDocumentName(u.case_id)]));
  expect(updates.filter((u) => u.document_name === planDocumentName(stored)).map((u) => u.update)).toEqual(logged);
  expect(updates[0]).toMatchObject({ user_id: actor.id, basis: { kind: "own_unit", unitId: unit } });
  const revisions = await db.selectFrom("document_revisions").select(["id", "document_name", "reason", "restored_from"]).orderBy("reason").execute();
  expect(revisions).toEqual([
    { id: firstId, document_name: planDocumentName(stored), reason: "periodic", restored_from: null },
    { id: expect.any(String), document_name: planDocumentName(stored), reason: "restore", restored_from: firstId },
  ]);
  // The old tables are gone; nothing is keyed by case id any more.
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_name like 'plan_%' order by table_name`.execute(db);
  expect(tables.rows.map((r) => r.table_name)).toEqual(["plan_measures", "plan_settings"]);

  // Each plan loads with its content: the snapshot and the log replayed on top of it.
  const titles = async (caseId: string) => {
    const loaded = await loadPlanSnapshot(db, caseId);
    const replica = new Y.Doc();
    if (loaded.state) Y.applyUpdate(replica, loaded.state);
    for (const update of loaded.logged) Y.applyUpdate(replica, update);
    return readPlan(replica).measures.map((m) => m.title).sort();
  };
  expect(await titles(stored)).toEqual(["I øyeblikksbildet", "Logget først", "Logget sist"]);
  expect(await titles(logOnly)).toEqual(["Bare logget"]);
  expect((await loadPlanSnapshot(db, stored)).version).toBe(7);
  // And the revisions read as before.
  const listed = await listRevisions({ db, actor, caseId: stored });
  expect(listed.map((r) => [r.reason, r.restoredFrom]).sort()).toEqual([
    ["periodic", null],
    ["restore", firstId],
  ]);
});
