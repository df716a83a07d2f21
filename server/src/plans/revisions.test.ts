import { addMeasure, readPlan, updateMeasure } from "@laget/plan";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { connectPlan, eventually, type PlanClient } from "./test-client.ts";

let server: TestServer;
let teacher: HttpClient;
let nav: HttpClient;
let caseId: string;
const clients: PlanClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  nav = await signedIn(server.url, "nav@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(teacher);
  ({ caseId } = await createChildCase(teacher, units["Fjellheim skole"]!));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

type Revision = { id: string; reason: string; editors: { id: string; name: string | null }[]; restoredFrom: string | null };
const revisions = () => teacher.queryOk<Revision[]>("plans.revisions", { caseId });
const openTeacher = async () => {
  const c = connectPlan(server.url, teacher.cookie, caseId);
  clients.push(c);
  await c.ready;
  return c;
};

test("a revision is kept when the last editor leaves, naming who changed it; restore applies it as a new change", async () => {
  const first = await openTeacher();
  const id = addMeasure(first.doc, { title: "Første versjon" });
  first.destroy();
  const [v1] = await eventually(async () => {
    const list = await revisions();
    expect(list).toHaveLength(1);
    return list;
  });
  expect(v1).toMatchObject({ reason: "last_editor_left", restoredFrom: null });
  expect(v1!.editors.map((e) => e.name)).toEqual([expect.any(String)]);

  const second = await openTeacher();
  updateMeasure(second.doc, id, { title: "Andre versjon" });
  addMeasure(second.doc, { title: "Nytt tiltak" });
  await eventually(async () => expect(await revisions()).toHaveLength(1));
  const watcher = await openTeacher();
  await eventually(() => expect(readPlan(watcher.doc).measures).toHaveLength(2));

  // Others cannot see the revisions or restore them.
  expect((await nav.query("plans.revisions", { caseId })).ok).toBe(false);
  const refused = await nav.mutation("plans.restoreRevision", { caseId, revisionId: v1!.id });
  expect(!refused.ok && refused.error.data.appCode).toBe("NOT_FOUND");

  await teacher.mutationOk("plans.restoreRevision", { caseId, revisionId: v1!.id });
  // Every open client receives the restore as an ordinary update.
  for (const c of [second, watcher]) {
    await eventually(() => expect(readPlan(c.doc).measures.map((m) => m.title)).toEqual(["Første versjon"]));
  }
  const list = await revisions();
  expect(list[0]).toMatchObject({ reason: "restore", restoredFrom: v1!.id });
  const rows = await server.db.selectFrom("plan_measures").select("title").where("case_id", "=", caseId).execute();
  expect(rows.map((r) => r.title)).toEqual(["Første versjon"]);

  // History was not rewritten: the edit after the restore is on top of it.
  updateMeasure(second.doc, id, { status: "completed" });
  await eventually(() => expect(readPlan(watcher.doc).measures[0]!.status).toBe("completed"));
});
