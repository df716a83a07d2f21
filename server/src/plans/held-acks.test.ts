import { addMeasure, readPlan } from "@laget/plan";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { connectPlan, eventually, type PlanClient } from "./test-client.ts";

// An edit is relayed to the other editors as it is applied; the sender's ack ("saved")
// waits for its write-ahead commit (collab/held-acks.ts), and never comes if that fails.

let server: TestServer;
let teacher: HttpClient;
const clients: PlanClient[] = [];
const open = (caseId: string) => {
  const c = connectPlan(server.url, teacher.cookie, caseId);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startTestServer();
  teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

const titles = (c: PlanClient) => readPlan(c.doc).measures.map((m) => m.title).sort();
const logged = (caseId: string) => server.db.selectFrom("live_document_updates").select("id").where("document_name", "=", `plan:${caseId}`).execute();

/**
 * Holds the write-ahead log's table until released: appends wait (PostgreSQL on the lock,
 * PGlite for its one connection, so nothing else may query meanwhile).
 */
async function holdTheLog() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const lockedYet = new Promise<void>((r) => (locked = r));
  const holder = server.db.transaction().execute(async (trx) => {
    await sql`lock table live_document_updates in exclusive mode`.execute(trx);
    locked();
    await released;
  });
  await lockedYet;
  return async () => {
    release();
    await holder;
  };
}

test("an edit reaches the other editor before its commit; the sender's ack waits for the commit", async () => {
  const units = await unitIdsByName(teacher);
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!);
  const [a, b] = [open(caseId), open(caseId)];
  await Promise.all([a.ready, b.ready]);
  await eventually(() => expect(a.provider.hasUnsyncedChanges).toBe(false));
  const acked = a.syncAnswers.length;
  const rowsBefore = (await logged(caseId)).length;

  const release = await holdTheLog();
  addMeasure(a.doc, { title: "Leksehjelp torsdag" });
  await eventually(() => expect(titles(b)).toContain("Leksehjelp torsdag"));
  // B's edit reaching A is sent to A after A's ack would have been: A has no ack yet.
  addMeasure(b.doc, { title: "Utstyrslån vinter" });
  await eventually(() => expect(titles(a)).toContain("Utstyrslån vinter"));
  expect(a.syncAnswers.length).toBe(acked);
  expect(a.provider.hasUnsyncedChanges).toBe(true);

  await release();
  await eventually(() => expect(a.syncAnswers.slice(acked)).toEqual([true]));
  expect(await logged(caseId)).toHaveLength(rowsBefore + 2);
});

test("an edit whose append fails is never acknowledged: its connection is reset, the server lives on", async () => {
  const units = await unitIdsByName(teacher);
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!);
  const a = open(caseId);
  await a.ready;
  await eventually(() => expect(a.provider.hasUnsyncedChanges).toBe(false));
  const acked = a.syncAnswers.length;
  await sql`alter table live_document_updates add constraint refuse_all check (false) not valid`.execute(server.db);
  try {
    addMeasure(a.doc, { title: "Fritidskort" });
    await eventually(() => expect(a.closeReasons).toContain("Reset Connection"));
    expect(a.syncAnswers.length).toBe(acked);
  } finally {
    await sql`alter table live_document_updates drop constraint refuse_all`.execute(server.db);
  }
  // The server still serves: a new editor syncs and its edit is acknowledged.
  const c = open(caseId);
  await c.ready;
  addMeasure(c.doc, { title: "Svømmekurs" });
  await eventually(() => expect(c.syncAnswers.at(-1)).toBe(true));
});
