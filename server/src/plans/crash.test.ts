import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { addMeasure, planDocumentName, readPlan } from "@laget/plan";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { CHILD_SERVER_TEST_TIMEOUT_MS, startChildServer, stopChildServer, type ChildServer } from "../testing/child-server.ts";
import { signedIn } from "../testing/http-client.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { connectPlan, eventually } from "./test-client.ts";

// A server process killed with SIGKILL between an acknowledged edit and the debounced
// snapshot: a new process on the same database must have the edit. On PostgreSQL when
// DATABASE_URL is set (a database of its own), else on embedded PGlite in a directory.

let testDb: TestDb | undefined;
let dataDir: string | undefined;
const servers: ChildServer[] = [];

beforeAll(async () => {
  if (process.env.DATABASE_URL) testDb = await createTestDb("postgres");
  else dataDir = mkdtempSync(path.join(tmpdir(), "laget-crash-"));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => stopChildServer(s.child, "SIGKILL")));
  await testDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ChildServer> {
  const server = await startChildServer({
    NODE_ENV: "test",
    LAGET_DEMO: "on",
    DATABASE_URL: testDb?.url,
    DATA_DIR: dataDir,
    // One node: nothing else may hold the edit.
    REDIS_URL: undefined,
  });
  servers.push(server);
  return server;
}

test("an edit acknowledged to the client survives SIGKILL before the snapshot", async () => {
  const first = await start();
  const teacher = await signedIn(first.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(teacher);
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!);

  const client = connectPlan(first.url, teacher.cookie, caseId);
  await client.ready;
  const editedAt = Date.now();
  addMeasure(client.doc, { title: "Lagret før krasjet", deadline: "2026-09-01" });
  // Acknowledged: the server answered the update with its sync status.
  expect(client.provider.hasUnsyncedChanges).toBe(true);
  await eventually(() => expect(client.provider.hasUnsyncedChanges).toBe(false), 5_000, 5);
  await stopChildServer(first.child, "SIGKILL");
  client.destroy();
  // Killed well inside the 2 s debounce: no snapshot can have been written.
  expect(Date.now() - editedAt).toBeLessThan(2_000);
  if (testDb) {
    expect(await testDb.db.selectFrom("live_documents").select("document_name").where("document_name", "=", planDocumentName(caseId)).execute()).toEqual([]);
    expect((await testDb.db.selectFrom("live_document_updates").select("id").where("document_name", "=", planDocumentName(caseId)).execute()).length).toBeGreaterThan(0);
  }

  const second = await start();
  const again = await signedIn(second.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const reader = connectPlan(second.url, again.cookie, caseId);
  try {
    await reader.ready;
    expect(readPlan(reader.doc).measures.map((m) => m.title)).toEqual(["Lagret før krasjet"]);
    expect(readPlan(reader.doc).domains.length).toBeGreaterThan(0);
  } finally {
    reader.destroy();
  }
  if (testDb) {
    // Loading folds the replayed edits into a snapshot: the projection and the audit catch up.
    const db = testDb.db;
    await eventually(async () => {
      expect(await db.selectFrom("plan_measures").select("title").where("case_id", "=", caseId).execute()).toEqual([{ title: "Lagret før krasjet" }]);
      expect(await db.selectFrom("live_document_updates").select("id").where("document_name", "=", planDocumentName(caseId)).execute()).toEqual([]);
    }, 10_000);
    const audited = await db
      .selectFrom("audit_events")
      .innerJoin("users", "users.id", "audit_events.actor_user_id")
      .select("users.email")
      .where("audit_events.case_id", "=", caseId)
      .where("audit_events.action", "=", "plan.update")
      .execute();
    expect(audited).toEqual([{ email: "koordinator@demo.laget.no" }]);
  }
  expect((await stopChildServer(second.child, "SIGTERM")).code).toBe(0);
}, CHILD_SERVER_TEST_TIMEOUT_MS);
