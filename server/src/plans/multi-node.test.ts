import { addMeasure, planDocumentName, readPlan } from "@laget/plan";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseConfig } from "../config.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createLogger } from "../log.ts";
import { startServer, type RunningServer } from "../server.ts";
import { consentTerms, createChildCase, demoActor, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { connectPlan, eventually, type PlanClient } from "./test-client.ts";

// Two server nodes sharing one PostgreSQL database and Redis.
describe.runIf(process.env.DATABASE_URL && process.env.REDIS_URL)("plans across two nodes", () => {
  let testDb: TestDb;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  let teacherA: HttpClient;
  let nurseB: HttpClient;
  let caseId: string;
  let consentId: string;
  const clients: PlanClient[] = [];

  beforeAll(async () => {
    testDb = await createTestDb("postgres");
    const start = (demo: boolean) =>
      startServer({
        config: parseConfig({ NODE_ENV: "test", PORT: "0", LAGET_DEMO: demo ? "on" : "off", REDIS_URL: process.env.REDIS_URL }),
        log: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
        db: testDb.db,
      });
    nodeA = await start(true);
    nodeB = await start(false);
    teacherA = await signedIn(nodeA.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
    nurseB = await signedIn(nodeB.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
    const units = await unitIdsByName(teacherA);
    let subjectId: string;
    ({ caseId, subjectId } = await createChildCase(teacherA, units["Fjellheim skole"]!));
    ({ consentId } = await teacherA.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) }));
    await teacherA.mutationOk("consents.activate", { consentId });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.allSettled([nodeA?.close(), nodeB?.close()]);
    await testDb?.close();
  });

  test("clients on two nodes see each other's edits", async () => {
    const a = connectPlan(nodeA.url, teacherA.cookie, caseId);
    const b = connectPlan(nodeB.url, nurseB.cookie, caseId);
    clients.push(a, b);
    await Promise.all([a.ready, b.ready]);
    addMeasure(a.doc, { title: "Fra node A" });
    addMeasure(b.doc, { title: "Fra node B" });
    await eventually(() => {
      for (const c of [a, b]) expect(readPlan(c.doc).measures.map((m) => m.title).sort()).toEqual(["Fra node A", "Fra node B"]);
    });
    // Both nodes store; the projection ends up with both measures whichever wrote last.
    await eventually(async () => {
      const rows = await testDb.db.selectFrom("plan_measures").select("title").where("case_id", "=", caseId).orderBy("title").execute();
      expect(rows.map((r) => r.title)).toEqual(["Fra node A", "Fra node B"]);
    }, 15_000);
  });

  test("a server-side transact on node B reaches the client on node A", async () => {
    const [a, b] = clients as [PlanClient, PlanClient];
    const actor = await demoActor(testDb.db);
    await nodeB.liveDocuments.transact({ documentName: planDocumentName(caseId), actor, change: (doc) => void addMeasure(doc, { title: "Fra serveren" }) });
    for (const c of [a, b]) await eventually(() => expect(readPlan(c.doc).measures.map((m) => m.title)).toContain("Fra serveren"));
  });

  test("withdrawing consent on node A closes the nurse's connection on node B", async () => {
    const b = clients[1]!;
    await teacherA.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket" });
    await eventually(() => {
      expect(b.stateless.map((s) => JSON.parse(s))).toContainEqual({ type: "laget:access-revoked", reason: "consent_withdrawn" });
      expect(b.closeReasons).toContain("access-revoked");
    });
    expect(clients[0]!.closeReasons).toEqual([]);
  });
});
