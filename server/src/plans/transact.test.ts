import { addMeasure, planDocumentName, readPlan } from "@laget/plan";
import { afterAll, beforeAll, expect, test } from "vitest";
import { AppError } from "../errors.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, demoActor, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { connectPlan, eventually, type PlanClient } from "./test-client.ts";

// A change made on the server (a meeting's decision adding a measure, say) reaches the
// clients that have the plan open as an ordinary update, and is logged and audited.

let server: TestServer;
let caseId: string;
const clients: PlanClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const nurse = await signedIn(server.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(teacher);
  let subjectId: string;
  ({ caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!));
  const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
  await teacher.mutationOk("consents.activate", { consentId });
  for (const who of [teacher, nurse]) clients.push(connectPlan(server.url, who.cookie, caseId));
  await Promise.all(clients.map((c) => c.ready));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

test("a server-side transact on an open plan reaches both connected clients live, and is in the write-ahead log and the audit log", async () => {
  const coordinator = await demoActor(server.db);
  const documentName = planDocumentName(caseId);
  await server.liveDocuments.transact({ documentName, actor: coordinator, change: (doc) => void addMeasure(doc, { title: "Vedtatt i møtet" }) });
  for (const c of clients) await eventually(() => expect(readPlan(c.doc).measures.map((m) => m.title)).toEqual(["Vedtatt i møtet"]));
  // Logged before any client had it (well inside the 2 s debounce, not yet folded).
  const logged = await server.db.selectFrom("live_document_updates").select(["user_id", "basis"]).where("document_name", "=", documentName).where("user_id", "=", coordinator.id).execute();
  expect(logged).toHaveLength(1);
  expect(logged[0]!.basis).toMatchObject({ kind: "own_unit" });
  const audited = await server.db.selectFrom("audit_events").select(["actor_user_id", "resource_type", "resource_id", "basis"]).where("case_id", "=", caseId).where("action", "=", "plan.transact").execute();
  expect(audited).toEqual([{ actor_user_id: coordinator.id, resource_type: "plan", resource_id: caseId, basis: expect.objectContaining({ kind: "own_unit" }) }]);
  // Stored and projected like a client's edit.
  await server.liveDocuments.flush();
  const rows = await server.db.selectFrom("plan_measures").select("title").where("case_id", "=", caseId).execute();
  expect(rows).toEqual([{ title: "Vedtatt i møtet" }]);
});

test("a transact is judged by the plan's own authorise: someone who may not write the plan changes nothing", async () => {
  const outsider = await demoActor(server.db, "barnevern@demo.laget.no");
  const documentName = planDocumentName(caseId);
  const attempt = server.liveDocuments.transact({ documentName, actor: outsider, change: (doc) => void addMeasure(doc, { title: "Uten grunnlag" }) });
  await expect(attempt).rejects.toThrow(AppError);
  await expect(attempt).rejects.toMatchObject({ code: "NOT_FOUND" });
  const misspelt = server.liveDocuments.transact({ documentName: documentName.toUpperCase(), actor: outsider, change: () => {} });
  await expect(misspelt).rejects.toMatchObject({ code: "NOT_FOUND" });
  expect(readPlan(clients[0]!.doc).measures.map((m) => m.title)).not.toContain("Uten grunnlag");
  expect(await server.db.selectFrom("audit_events").select("id").where("actor_user_id", "=", outsider.id).where("action", "=", "plan.transact").execute()).toEqual([]);
});

test("a closed case's plan takes no server-side change either", async () => {
  const teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  await teacher.mutationOk("cases.close", { caseId, reason: "Målene er nådd" });
  const coordinator = await demoActor(server.db);
  const attempt = server.liveDocuments.transact({ documentName: planDocumentName(caseId), actor: coordinator, change: (doc) => void addMeasure(doc, { title: "Etter lukking" }) });
  await expect(attempt).rejects.toMatchObject({ code: "FORBIDDEN" });
  expect(readPlan(clients[0]!.doc).measures.map((m) => m.title)).not.toContain("Etter lukking");
});
