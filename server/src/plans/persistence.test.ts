import { addMeasure, initPlan, planTypes, readPlan } from "@laget/plan";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import { loadActor } from "../auth/actor.ts";
import { createCase } from "../cases/cases.ts";
import { seedDemo } from "../demo/seed.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { loadPlanSnapshot, storePlanSnapshot } from "./persistence.ts";

let testDb: TestDb;
let caseId: string;
let municipalityId: string;
let userId: string;

beforeAll(async () => {
  testDb = await createTestDb();
  await seedDemo(testDb.db);
  const user = await testDb.db.selectFrom("users").select("id").where("email", "=", "koordinator@demo.laget.no").executeTakeFirstOrThrow();
  userId = user.id;
  const actor = (await loadActor(testDb.db, userId))!;
  const unitId = actor.memberships[0]!.unitId;
  municipalityId = actor.municipalityId;
  ({ caseId } = await createCase(testDb.db, actor, { owningUnitId: unitId, btiLevel: 1, subjects: [{ role: "child", name: "Test Barn", birthYear: 2015 }] }));
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
  const revisions = await testDb.db.selectFrom("plan_revisions").select("id").where("case_id", "=", caseId).execute();
  expect(revisions).toHaveLength(1);
});
