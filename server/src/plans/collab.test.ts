import { addGoal, addMeasure, readPlan, updateMeasure } from "@laget/plan";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { parseConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { startServer, type RunningServer } from "../server.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { upgrade } from "../testing/upgrade.ts";
import { connectPlan, eventually, type PlanClient } from "./test-client.ts";

// Two Node clients on one server, over the real /collab endpoint with session cookies.

let server: TestServer;
let restarted: RunningServer | null = null;
let teacher: HttpClient;
let nurse: HttpClient;
let barnevern: HttpClient;
let units: Record<string, string>;
let caseId: string;
let consentId: string;
const clients: PlanClient[] = [];
const open = (url: string, who: HttpClient | null, id = caseId) => {
  const c = connectPlan(url, who?.cookie ?? null, id);
  clients.push(c);
  return c;
};
const baseUrl = () => (restarted ?? server).url;

beforeAll(async () => {
  server = await startTestServer();
  const as = (user: string) => signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
  [teacher, nurse, barnevern] = await Promise.all([as("koordinator"), as("helsesykepleier"), as("barnevern")]);
  units = await unitIdsByName(teacher);
  let subjectId: string;
  ({ caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!));
  const terms = consentTerms(subjectId, [units["Helsestasjonen"]!, units["NAV Fjellheim"]!]);
  ({ consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms }));
  await teacher.mutationOk("consents.activate", { consentId });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  if (restarted) await restarted.close();
  await server?.stop();
});

const measureRows = () =>
  server.db
    .selectFrom("plan_measures")
    .select(["measure_id", "title", "status", "deadline", "responsible_unit_id"])
    .where("case_id", "=", caseId)
    .orderBy("title")
    .execute();

describe("live shared plans", () => {
  test("the connection procedure names the document; the plan starts with the default domains", async () => {
    const info = await teacher.queryOk<{ documentName: string; path: string; readOnly: boolean }>("plans.connection", { caseId });
    expect(info).toEqual({ caseId, documentName: `plan:${caseId}`, path: "/collab", readOnly: false });
    const a = open(server.url, teacher);
    expect(await a.ready).toEqual({ readOnly: false });
    expect(readPlan(a.doc).domains.map((d) => d.name)).toContain("Skole og barnehage");
  });

  test("two clients' concurrent edits converge", async () => {
    const a = clients[0]!;
    const b = open(server.url, nurse);
    await b.ready;
    const goal = addGoal(a.doc, { text: "Emma vil trives på skolen", domainId: "skole-og-barnehage" });
    const m1 = addMeasure(a.doc, { title: "Leksehjelp", responsibleUnitId: units["Fjellheim skole"]!, deadline: "2026-12-01", goalId: goal });
    const m2 = addMeasure(b.doc, { title: "Helsesamtale", responsibleUnitId: units["Helsestasjonen"]!, deadline: "2026-11-01" });
    await eventually(() => expect(readPlan(b.doc).measures).toHaveLength(2));
    // Concurrent edits of the same measure's different fields.
    updateMeasure(a.doc, m1, { status: "in_progress" });
    updateMeasure(b.doc, m1, { description: "To ganger i uka" });
    updateMeasure(b.doc, m2, { status: "planned" });
    await eventually(() => {
      expect(readPlan(a.doc).measures).toEqual(readPlan(b.doc).measures);
      expect(readPlan(a.doc).measures.find((m) => m.id === m1)).toMatchObject({ status: "in_progress", description: "To ganger i uka" });
    });
  });

  test("after the debounce the projection rows match the document", async () => {
    const plan = readPlan(clients[0]!.doc);
    await eventually(async () => {
      const rows = await measureRows();
      expect(rows).toEqual(
        plan.measures
          .map((m) => ({ measure_id: m.id, title: m.title, status: m.status, deadline: m.deadline, responsible_unit_id: m.responsibleUnitId }))
          .sort((x, y) => x.title.localeCompare(y.title)),
      );
    }, 15_000);
    // One audit event per editor for the persisted edits.
    const audited = await server.db.selectFrom("audit_events").select(["actor_user_id"]).where("case_id", "=", caseId).where("action", "=", "plan.update").execute();
    expect(new Set(audited.map((a) => a.actor_user_id)).size).toBe(2);
  });

  test("an unauthorized client is refused: no session, no basis, another case name", async () => {
    const anonymous = open(server.url, null);
    await expect(anonymous.ready).rejects.toThrow(/unauthenticated/);
    const outsider = open(server.url, barnevern);
    await expect(outsider.ready).rejects.toThrow(/not-found/);
    const bogus = connectPlan(server.url, teacher.cookie, caseId, { name: "plan:../../etc/passwd" });
    clients.push(bogus);
    await expect(bogus.ready).rejects.toThrow(/not-found/);
    expect(outsider.doc.share.size === 0 || readPlan(outsider.doc).measures.length === 0).toBe(true);
  });

  test("the /collab upgrade is refused from a foreign Origin and switches protocols from the server's own", async () => {
    const cookie = teacher.cookie!;
    expect(await upgrade(server.url, "/collab", { origin: "https://evil.example", cookie })).toEqual({ status: 403, body: "" });
    expect(await upgrade(server.url, "/collab", { cookie })).toMatchObject({ status: 403 });
    expect(await upgrade(server.url, "/collab", { origin: server.url, cookie })).toEqual({ status: 101, body: "" });
  });

  test("withdrawing consent closes the nurse's connection, says why, and she cannot reconnect", async () => {
    const nurseClient = clients[1]!;
    await teacher.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket" });
    await eventually(() => {
      expect(nurseClient.stateless.map((s) => JSON.parse(s))).toContainEqual({ type: "laget:access-revoked", reason: "consent_withdrawn" });
      expect(nurseClient.closeReasons).toContain("access-revoked");
    });
    // Her later writes reach no one: once an edit made after hers has reached a fresh
    // reader, hers is not there, and the server never applied it.
    const answered = nurseClient.syncAnswers.length;
    addMeasure(nurseClient.doc, { title: "Skrevet etter tilbaketrekking" });
    const sentinel = readPlan(clients[0]!.doc).measures[0]!.id;
    updateMeasure(clients[0]!.doc, sentinel, { description: "Skrevet av læreren etterpå" });
    await eventually(() => expect(clients[0]!.provider.hasUnsyncedChanges).toBe(false));
    const witness = open(server.url, teacher);
    await witness.ready;
    await eventually(() => expect(readPlan(witness.doc).measures.find((m) => m.id === sentinel)?.description).toBe("Skrevet av læreren etterpå"));
    expect(readPlan(witness.doc).measures.map((m) => m.title)).not.toContain("Skrevet etter tilbaketrekking");
    expect(nurseClient.syncAnswers.slice(answered)).toEqual([]);
    witness.destroy();
    const again = open(server.url, nurse);
    await expect(again.ready).rejects.toThrow(/not-found|no-basis/);
    // The teacher (owning unit) is unaffected.
    expect(clients[0]!.closeReasons).toEqual([]);
  });

  test("a read-only client's writes are never persisted (a closed case's plan is read-only)", async () => {
    const teacherClient = clients[0]!;
    await teacher.mutationOk("cases.close", { caseId, reason: "Målene er nådd" });
    await eventually(() => expect(teacherClient.stateless.map((s) => JSON.parse(s))).toContainEqual({ type: "laget:read-only", reason: "case_closed" }));
    const info = await teacher.queryOk<{ readOnly: boolean }>("plans.connection", { caseId });
    expect(info.readOnly).toBe(true);
    const ro = open(server.url, teacher);
    expect(await ro.ready).toEqual({ readOnly: true });
    const before = await measureRows();
    // Its first sync is answered too: count from after that answer.
    await eventually(() => expect(ro.syncAnswers.length).toBeGreaterThan(0));
    const [roAnswered, teacherAnswered] = [ro.syncAnswers.length, teacherClient.syncAnswers.length];
    addMeasure(ro.doc, { title: "Lesetilgang skal ikke lagres" });
    updateMeasure(teacherClient.doc, readPlan(teacherClient.doc).measures[0]!.id, { title: "Endret i lukket sak" });
    // The server has answered both writes, and refused them.
    await eventually(() => {
      expect(ro.syncAnswers.slice(roAnswered)).toEqual([false]);
      expect(teacherClient.syncAnswers.slice(teacherAnswered)).toEqual([false]);
    });
    await server.liveDocuments.flush();
    expect(await measureRows()).toEqual(before);
    const reader = open(server.url, teacher);
    await reader.ready;
    expect(readPlan(reader.doc).measures.map((m) => m.title)).not.toContain("Lesetilgang skal ikke lagres");
    expect(readPlan(reader.doc).measures.map((m) => m.title)).not.toContain("Endret i lukket sak");
  });

  test("a server restart restores the document", async () => {
    // What the server holds (the teacher's own client still shows its refused local edit).
    const fresh = open(server.url, teacher);
    await fresh.ready;
    const expected = readPlan(fresh.doc);
    expect(expected.measures).toHaveLength(2);
    for (const c of clients.splice(0)) c.destroy();
    // Stop the server but keep its database; start a new one on it.
    await server.close();
    const config = parseConfig({ NODE_ENV: "test", PORT: "0", LAGET_DEMO: "off" });
    restarted = await startServer({ config, log: createLogger("silent"), db: server.testDb.db });
    const teacher2 = await signedIn(baseUrl(), "koordinator@demo.laget.no", DEMO_PASSWORD);
    const c = open(baseUrl(), teacher2);
    await c.ready;
    const plan = readPlan(c.doc);
    expect(plan.measures).toEqual(expected.measures);
    expect(plan.goals).toEqual(expected.goals);
  });
});
