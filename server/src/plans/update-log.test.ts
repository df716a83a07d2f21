import { addMeasure, initPlan, planDocumentName, readPlan } from "@laget/plan";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import type { Actor } from "../auth/actor.ts";
import { seedDemo } from "../demo/seed.ts";
import { createCaseAs, demoActor } from "../testing/case-fixtures.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { loadPlanSnapshot, storePlanSnapshot } from "./persistence.ts";
import { createUpdateLog } from "../collab/update-log.ts";

let testDb: TestDb;
let actor: Actor;
let municipalityId: string;
let userId: string;
let unitId: string;

beforeAll(async () => {
  testDb = await createTestDb();
  await seedDemo(testDb.db);
  actor = await demoActor(testDb.db);
  userId = actor.id;
  unitId = actor.memberships[0]!.unitId;
  municipalityId = actor.municipalityId;
});
afterAll(() => testDb?.close());

const newCase = () => createCaseAs(testDb.db, actor);

/** A client's edit as the update it would send, made on a replica of `base`. */
function editOf(base: Y.Doc, title: string): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(replica);
  addMeasure(replica, { title });
  return Y.encodeStateAsUpdate(replica, before);
}

/** What a node loading the plan now sees: the snapshot plus the replayed log. */
async function loadedTitles(caseId: string): Promise<string[]> {
  const loaded = await loadPlanSnapshot(testDb.db, caseId);
  const doc = new Y.Doc();
  if (loaded.state) Y.applyUpdate(doc, loaded.state);
  for (const update of loaded.logged) Y.applyUpdate(doc, update);
  return readPlan(doc)
    .measures.map((m) => m.title)
    .sort();
}

const snapshotOf = (caseId: string, doc: Y.Doc, knownVersion: number) =>
  storePlanSnapshot(testDb.db, { caseId, municipalityId, doc, knownVersion, editors: new Map(), revisionEditors: new Set(), lastEditorLeft: false });

test("appends in the same turn are committed in one INSERT, each resolving with its own row, in order", async () => {
  const caseId = await newCase();
  const log = createUpdateLog(testDb.db);
  const doc = new Y.Doc();
  initPlan(doc);
  const updates = ["A", "B", "C"].map((t) => editOf(doc, t));
  const ids = await Promise.all(updates.map((update) => log.append({ documentName: planDocumentName(caseId), update, userId, basis: { kind: "own_unit", unitId } })));
  expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  const rows = await testDb.db.selectFrom("live_document_updates").select(["id", "update", "user_id", "basis"]).where("document_name", "=", planDocumentName(caseId)).orderBy("id").execute();
  expect(rows.map((r) => r.id)).toEqual(ids);
  expect(rows.map((r) => Buffer.from(r.update, "base64"))).toEqual(updates.map((u) => Buffer.from(u)));
  expect(rows[0]).toMatchObject({ user_id: userId, basis: { kind: "own_unit", unitId } });
});

test("a snapshot deletes only logged updates it contains: one logged but not yet in the document is folded in, never dropped", async () => {
  const caseId = await newCase();
  const log = createUpdateLog(testDb.db);
  const live = new Y.Doc();
  initPlan(live);
  await log.append({ documentName: planDocumentName(caseId), update: Y.encodeStateAsUpdate(live), userId: null, basis: null });
  const applied = editOf(live, "Brukt");
  await log.append({ documentName: planDocumentName(caseId), update: applied, userId, basis: null });
  Y.applyUpdate(live, applied);
  // Committed to the log but not applied to this node's document yet (in flight, or another node's).
  await log.append({ documentName: planDocumentName(caseId), update: editOf(live, "Bare i loggen"), userId, basis: null });

  const result = await snapshotOf(caseId, live, 0);
  expect(readPlan(live).measures.map((m) => m.title).sort()).toEqual(["Bare i loggen", "Brukt"]);
  expect(result.plan.measures.map((m) => m.title).sort()).toEqual(["Bare i loggen", "Brukt"]);
  expect(await testDb.db.selectFrom("live_document_updates").select("id").where("document_name", "=", planDocumentName(caseId)).execute()).toEqual([]);
  expect(await loadedTitles(caseId)).toEqual(["Bare i loggen", "Brukt"]);
  // The logged editor is audited once, by the snapshot that folded the rows.
  const audited = await testDb.db.selectFrom("audit_events").select("actor_user_id").where("case_id", "=", caseId).where("action", "=", "plan.update").execute();
  expect(audited).toEqual([{ actor_user_id: userId }]);
});

test("updates appended while a snapshot is being written are never lost", async () => {
  const caseId = await newCase();
  const log = createUpdateLog(testDb.db);
  const live = new Y.Doc();
  initPlan(live);
  await log.append({ documentName: planDocumentName(caseId), update: Y.encodeStateAsUpdate(live), userId: null, basis: null });
  const titles = Array.from({ length: 40 }, (_, i) => `Tiltak ${String(i).padStart(2, "0")}`);
  // Logged one after another (not applied to `live`) while two snapshots run.
  const appending = (async () => {
    for (const title of titles) await log.append({ documentName: planDocumentName(caseId), update: editOf(live, title), userId, basis: null });
  })();
  const first = await snapshotOf(caseId, live, 0);
  await snapshotOf(caseId, live, first.version);
  await appending;
  expect(await loadedTitles(caseId)).toEqual(titles);
});

test.runIf(process.env.DATABASE_URL)("a row whose INSERT commits after the snapshot's delete began stays logged", async () => {
  const caseId = await newCase();
  const live = new Y.Doc();
  initPlan(live);
  const first = await snapshotOf(caseId, live, 0);
  const late = editOf(live, "Sen");
  // An INSERT still uncommitted while the snapshot deletes: its id may be lower than rows
  // the snapshot sees, and it is not in the document, so it must survive the snapshot.
  let commit!: () => void;
  const committed = new Promise<void>((r) => (commit = r));
  let inserted!: () => void;
  const insertedYet = new Promise<void>((r) => (inserted = r));
  const writer = testDb.db.transaction().execute(async (trx) => {
    await trx.insertInto("live_document_updates").values({ document_name: planDocumentName(caseId), update: Buffer.from(late).toString("base64"), user_id: userId, basis: null }).execute();
    inserted();
    await committed;
  });
  await insertedYet;
  await snapshotOf(caseId, live, first.version);
  commit();
  await writer;
  expect(await loadedTitles(caseId)).toEqual(["Sen"]);
});
