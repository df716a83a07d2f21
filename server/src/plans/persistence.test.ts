import { addMeasure, initPlan, planDocumentName, planTypes, readPlan, removeMeasure, updateMeasure } from "@laget/plan";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import { seedDemo } from "../demo/seed.ts";
import { createCaseAs, demoActor } from "../testing/case-fixtures.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { loadPlanSnapshot, storePlanSnapshot } from "./persistence.ts";

let testDb: TestDb;
let caseId: string;
let municipalityId: string;
let userId: string;

beforeAll(async () => {
  testDb = await createTestDb();
  await seedDemo(testDb.db);
  const actor = await demoActor(testDb.db);
  userId = actor.id;
  municipalityId = actor.municipalityId;
  caseId = await createCaseAs(testDb.db, actor);
});
afterAll(() => testDb?.close());

const request = (doc: Y.Doc, knownVersion: number) => ({
  caseId,
  municipalityId,
  doc,
  knownVersion,
  editors: new Map([[userId, null]]),
  revisionEditors: new Set([userId]),
  lastEditorLeft: false,
});

test("a malformed measure written by a client is skipped in the projection, never a crash", async () => {
  const doc = new Y.Doc();
  initPlan(doc);
  addMeasure(doc, { title: "Gyldig", deadline: "2026-06-01" });
  const broken = new Y.Map<unknown>();
  planTypes.measures(doc).set("broken", broken);
  broken.set("status", "in_progress");
  (planTypes.measures(doc) as unknown as Y.Map<unknown>).set("x".repeat(50), 17);
  const result = await storePlanSnapshot(testDb.db, request(doc, 0));
  expect(result.plan.skipped).toBe(2);
  const rows = await testDb.db.selectFrom("plan_measures").select(["title", "deadline", "status"]).where("case_id", "=", caseId).execute();
  expect(rows).toEqual([{ title: "Gyldig", deadline: "2026-06-01", status: "planned" }]);
  // The first snapshot is also the first revision.
  expect(result.revisionId).not.toBeNull();
});

test("a node whose version is behind merges the stored state first: neither node's edits are lost", async () => {
  const stored = await loadPlanSnapshot(testDb.db, caseId);
  const nodeA = new Y.Doc();
  const nodeB = new Y.Doc();
  Y.applyUpdate(nodeA, stored.state!);
  Y.applyUpdate(nodeB, stored.state!);
  addMeasure(nodeA, { title: "Fra A" });
  addMeasure(nodeB, { title: "Fra B" });
  await storePlanSnapshot(testDb.db, request(nodeA, stored.version));
  await storePlanSnapshot(testDb.db, request(nodeB, stored.version));
  const after = await loadPlanSnapshot(testDb.db, caseId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, after.state!);
  expect(readPlan(doc).measures.map((m) => m.title).sort()).toEqual(["Fra A", "Fra B", "Gyldig"]);
  expect(after.version).toBe(stored.version + 2);
  const rows = await testDb.db.selectFrom("plan_measures").select("title").where("case_id", "=", caseId).orderBy("title").execute();
  expect(rows.map((r) => r.title)).toEqual(["Fra A", "Fra B", "Gyldig"]);
  // Within ten minutes of the last revision, no new one (unless the last editor left).
  const revisions = await testDb.db.selectFrom("document_revisions").select("id").where("document_name", "=", planDocumentName(caseId)).execute();
  expect(revisions).toHaveLength(1);
});

test("the projection is written incrementally from this node's last write, and whole when another node wrote since", async () => {
  const stored = await loadPlanSnapshot(testDb.db, caseId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored.state!);
  const rowsNow = () =>
    testDb.db.selectFrom("plan_measures").select(["measure_id", "title", "status", "updated_at"]).where("case_id", "=", caseId).orderBy("title").execute();
  const byTitle = (title: string) => readPlan(doc).measures.find((m) => m.title === title)!.id;
  const t1 = new Date("2026-03-01T10:00:00Z");
  const first = await storePlanSnapshot(testDb.db, { ...request(doc, stored.version), now: t1 });
  expect((await rowsNow()).map((r) => r.updated_at.toISOString())).toEqual([t1, t1, t1].map((t) => t.toISOString()));

  // One changed, one removed, one added, one untouched: only those rows move.
  updateMeasure(doc, byTitle("Fra A"), { status: "in_progress" });
  removeMeasure(doc, byTitle("Fra B"));
  addMeasure(doc, { title: "Fra C" });
  const t2 = new Date("2026-03-01T10:00:10Z");
  const second = await storePlanSnapshot(testDb.db, { ...request(doc, first.version), previousProjection: first.projection, now: t2 });
  expect((await rowsNow()).map((r) => [r.title, r.status, r.updated_at.toISOString()])).toEqual([
    ["Fra A", "in_progress", t2.toISOString()],
    ["Fra C", "planned", t2.toISOString()],
    ["Gyldig", "planned", t1.toISOString()],
  ]);

  // Another node writes (removing "Gyldig"); this node's remembered projection is stale,
  // so after merging it replaces the projection whole.
  const other = new Y.Doc();
  Y.applyUpdate(other, (await loadPlanSnapshot(testDb.db, caseId)).state!);
  removeMeasure(other, readPlan(other).measures.find((m) => m.title === "Gyldig")!.id);
  await storePlanSnapshot(testDb.db, request(other, second.version));
  updateMeasure(doc, byTitle("Fra C"), { title: "Fra C, endret" });
  const t3 = new Date("2026-03-01T10:00:20Z");
  const third = await storePlanSnapshot(testDb.db, { ...request(doc, second.version), previousProjection: second.projection, now: t3 });
  expect((await rowsNow()).map((r) => [r.title, r.updated_at.toISOString()])).toEqual([
    ["Fra A", t3.toISOString()],
    ["Fra C, endret", t3.toISOString()],
  ]);
  expect([...third.projection.keys()].sort()).toEqual(readPlan(doc).measures.map((m) => m.id).sort());
});

test("a revision names everyone who changed the plan since the last one, whichever node folded their edits", async () => {
  const coordinator = await demoActor(testDb.db);
  const nurse = await demoActor(testDb.db, "helsesykepleier@demo.laget.no");
  const planCase = await createCaseAs(testDb.db, coordinator);
  const edit = (doc: Y.Doc, editor: string, lastEditorLeft: boolean, knownVersion: number, now: Date) =>
    storePlanSnapshot(testDb.db, { caseId: planCase, municipalityId, doc, knownVersion, editors: new Map([[editor, null]]), revisionEditors: new Set([editor]), lastEditorLeft, now });
  const doc = new Y.Doc();
  initPlan(doc);
  const t0 = new Date("2026-04-01T10:00:00Z");
  const first = await edit(doc, coordinator.id, false, 0, t0);
  expect(first.revisionId).not.toBeNull();
  // Node B folds the nurse's edit a minute later: no revision is due yet, and node B's memory of her goes with it.
  const nodeB = new Y.Doc();
  Y.applyUpdate(nodeB, Y.encodeStateAsUpdate(doc));
  addMeasure(nodeB, { title: "Helsesamtale" });
  const second = await edit(nodeB, nurse.id, false, first.version, new Date(t0.getTime() + 60_000));
  expect(second.revisionId).toBeNull();
  // Node A: the coordinator edits and leaves; the revision names her and the nurse.
  addMeasure(doc, { title: "Leksehjelp" });
  const third = await edit(doc, coordinator.id, true, first.version, new Date(t0.getTime() + 120_000));
  const revision = await testDb.db.selectFrom("document_revisions").select("editor_user_ids").where("id", "=", third.revisionId!).executeTakeFirstOrThrow();
  expect([...(revision.editor_user_ids as string[])].sort()).toEqual([coordinator.id, nurse.id].sort());
  // And the one after starts afresh.
  addMeasure(doc, { title: "Oppfølging" });
  const fourth = await edit(doc, coordinator.id, true, third.version, new Date(t0.getTime() + 180_000));
  const next = await testDb.db.selectFrom("document_revisions").select("editor_user_ids").where("id", "=", fourth.revisionId!).executeTakeFirstOrThrow();
  expect(next.editor_user_ids).toEqual([coordinator.id]);
});

test("a measure typed live with a NUL or a lone surrogate is stored, its title made storable", async () => {
  const otherCase = await createCaseAs(testDb.db, await demoActor(testDb.db));
  const doc = new Y.Doc();
  initPlan(doc);
  addMeasure(doc, { title: "Lekse\u0000hjelp \uD800" });
  await storePlanSnapshot(testDb.db, { ...request(doc, 0), caseId: otherCase });
  const rows = await testDb.db.selectFrom("plan_measures").select("title").where("case_id", "=", otherCase).execute();
  expect(rows).toEqual([{ title: "Leksehjelp \uFFFD" }]);
});
