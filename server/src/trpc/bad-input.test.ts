import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { sessionCookie, userIdByEmail } from "../testing/factories.ts";
import { HttpClient } from "../testing/http-client.ts";
import { connectLive } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { appRouter } from "./router.ts";

let server: TestServer;
let adminId: string;
beforeAll(async () => {
  server = await startTestServer();
  adminId = await userIdByEmail(server.db, "admin@demo.laget.no");
});
afterAll(() => server?.stop());

const garbage: unknown[] = [
  null,
  42,
  "text",
  [],
  { unitId: "not-a-uuid" },
  { userId: 12, name: { nested: true } },
  { email: "x".repeat(100_000), password: "y" },
  { name: "", kind: "spaceship" },
  { memberships: [{ unitId: "00000000-0000-4000-8000-000000000000", role: "king" }] },
];

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[] } }>,
);

test("the router has procedures to sweep", () => {
  expect(procedures.length).toBeGreaterThan(10);
});

test.each(procedures.map(([path, p]) => [path, p._def.type, p._def.inputs.length > 0] as const))(
  "%s (%s): wrong input gives a clear 4xx error, never a 500",
  async (path, type, takesInput) => {
    // Signed in as an admin, so the input is what gets judged (and logout cannot spoil later calls):
    // a session of its own, made directly (a password check per procedure only costs time).
    const caller = new HttpClient(server.url);
    caller.cookie = await sessionCookie(server.db, adminId);
    for (const input of garbage) {
      const res = type === "query" ? await caller.query(path, input) : await caller.mutation(path, input);
      const label = `${path} ${JSON.stringify(input)?.slice(0, 80)}`;
      expect(res.status, label).toBeLessThan(500);
      if (takesInput && input !== null) {
        expect(res.ok, label).toBe(false);
        if (!res.ok) expect([400, 413, 414, 431], label).toContain(res.status);
      }
    }
  },
);

test("malformed request bodies get 4xx, and the server keeps serving", async () => {
  const admin = new HttpClient(server.url);
  await admin.login("admin@demo.laget.no", DEMO_PASSWORD);
  for (const body of ["{", "null", '{"json":', "\u0000\u0001", "[1,2,3]"]) {
    const res = await fetch(`${server.url}/trpc/units.create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, cookie: admin.cookie! },
      body,
    });
    expect(res.status, body).toBeGreaterThanOrEqual(400);
    expect(res.status, body).toBeLessThan(500);
  }
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
});

const NUL = "a\u0000b";
const LONE_SURROGATE = "a\ud800b";

test("text the database cannot hold and implausible dates get a validation error naming the field, never a 500", async () => {
  const coordinator = new HttpClient(server.url);
  await coordinator.login("koordinator@demo.laget.no", DEMO_PASSWORD);
  const admin = new HttpClient(server.url);
  await admin.login("admin@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(coordinator);
  const school = units["Fjellheim skole"]!;
  const { caseId, subjectId } = await createChildCase(coordinator, school);
  const { noteId } = await coordinator.mutationOk<{ noteId: string }>("cases.addNote", { caseId, category: "school", body: "Trives" });
  const thread = await coordinator.mutationOk<{ id: string }>("conversations.ofCase", { caseId });
  const sent = await coordinator.mutationOk<{ message: { id: string } }>("messages.send", { id: randomUUID(), conversationId: thread.id, body: "Hei" });
  const terms = (overrides: Record<string, unknown>) => ({ caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!], overrides) });
  const disclosure = (overrides: Record<string, unknown>) => ({
    caseId,
    statuteId: randomUUID(),
    recipientUnitId: units["Barneverntjenesten"]!,
    categories: ["school"],
    justification: "Bekymring",
    ...overrides,
  });

  const cases: [client: HttpClient, path: string, input: unknown, field: string][] = [
    [coordinator, "cases.create", { owningUnitId: school, subjects: [{ role: "child", name: NUL, birthYear: 2014 }] }, "subjects.0.name"],
    [coordinator, "cases.create", { owningUnitId: school, subjects: [{ role: "child", name: LONE_SURROGATE, birthYear: 2014 }] }, "subjects.0.name"],
    [coordinator, "cases.create", { owningUnitId: school, subjects: [{ role: "child", name: "Ola", birthDate: "0000-01-01" }] }, "subjects.0.birthDate"],
    [coordinator, "cases.addSubject", { caseId, subject: { role: "parent", name: NUL } }, "subject.name"],
    [coordinator, "cases.list", { search: NUL }, "search"],
    [coordinator, "cases.addNote", { caseId, category: "school", body: NUL }, "body"],
    [coordinator, "cases.editNote", { noteId, category: "school", body: LONE_SURROGATE }, "body"],
    [coordinator, "cases.close", { caseId, reason: NUL }, "reason"],
    [coordinator, "cases.proposeHandover", { caseId, toUserId: randomUUID(), note: NUL }, "note"],
    [coordinator, "messages.send", { id: randomUUID(), conversationId: thread.id, body: NUL }, "body"],
    [coordinator, "messages.send", { id: randomUUID(), conversationId: thread.id, body: LONE_SURROGATE }, "body"],
    [coordinator, "messages.edit", { messageId: sent.message.id, body: NUL }, "body"],
    [coordinator, "conversations.createGroup", { groupKind: "team", title: NUL }, "title"],
    [coordinator, "disclosures.create", disclosure({ justification: NUL }), "justification"],
    [coordinator, "disclosures.create", disclosure({ validUntil: -8.64e15 }), "validUntil"],
    [coordinator, "consents.create", terms({ grantors: [{ name: NUL, relation: "parent" }] }), "grantors.0.name"],
    [coordinator, "consents.create", terms({ grantors: [{ name: LONE_SURROGATE, relation: "parent" }] }), "grantors.0.name"],
    [coordinator, "consents.create", terms({ childViews: { heardOn: "2026-01-05", how: "Samtale", summary: LONE_SURROGATE } }), "childViews.summary"],
    [coordinator, "consents.create", terms({ childViews: { heardOn: "0000-01-01", how: "Samtale", summary: "Ja" } }), "childViews.heardOn"],
    [coordinator, "consents.create", terms({ evidence: { form: "oral", language: NUL, interpreter: false } }), "evidence.language"],
    [coordinator, "consents.create", terms({ periodEnd: -8.64e15 }), "periodEnd"],
    [coordinator, "consents.withdraw", { consentId: randomUUID(), reason: NUL }, "reason"],
    [admin, "plans.setDomains", { domains: [{ id: "skole", name: LONE_SURROGATE }] }, "domains.0.name"],
    [admin, "units.create", { name: NUL, kind: "school" }, "name"],
  ];
  // Every case is tried, and every one that is not a validation error of its field is listed.
  const wrong: string[] = [];
  for (const [client, path, input, field] of cases) {
    const res = path === "cases.list" ? await client.query(path, input) : await client.mutation(path, input);
    const fields = res.ok ? [] : Object.keys(res.error.data.fieldErrors ?? {});
    if (res.ok || res.status !== 400 || res.error.data.appCode !== "VALIDATION" || !fields.includes(field)) {
      wrong.push(`${path} ${field}: ${res.status} ${res.ok ? "ok" : `${res.error.data.appCode} [${fields.join(", ")}]`}`);
    }
  }
  expect(wrong).toEqual([]);
});

test("text is stored in NFC, so the same name is the same string whichever way it was typed", async () => {
  const coordinator = new HttpClient(server.url);
  await coordinator.login("koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(coordinator);
  const decomposed = "Ro\u0308rvik Bjo\u0308rn"; // o + combining diaeresis
  const { caseId } = await createChildCase(coordinator, units["Fjellheim skole"]!, decomposed);
  const c = await coordinator.queryOk<{ subjects: { name: string }[] }>("cases.get", { caseId });
  expect(c.subjects[0]!.name).toBe(decomposed.normalize("NFC"));
  expect(c.subjects[0]!.name).toBe("Rörvik Björn");
});

test("a message the database cannot hold, sent over the socket, is answered with a validation error, not INTERNAL", async () => {
  const coordinator = new HttpClient(server.url);
  await coordinator.login("koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(coordinator);
  const { caseId } = await createChildCase(coordinator, units["Fjellheim skole"]!);
  const thread = await coordinator.mutationOk<{ id: string }>("conversations.ofCase", { caseId });
  const live = await connectLive(server.url, coordinator.cookie!);
  try {
    for (const body of [NUL, LONE_SURROGATE]) {
      const ack = await live.request("message:send", { id: randomUUID(), conversationId: thread.id, body });
      expect(ack.ok).toBe(false);
      if (!ack.ok) {
        expect(ack.error.code).toBe("VALIDATION");
        expect(Object.keys(ack.error.fieldErrors ?? {})).toContain("body");
      }
    }
    const edited = await live.request<{ message: { id: string } }>("message:send", { id: randomUUID(), conversationId: thread.id, body: "Hei" });
    expect(edited.ok).toBe(true);
    if (edited.ok) {
      const ack = await live.request("message:edit", { messageId: edited.message.id, body: NUL });
      expect(!ack.ok && ack.error.code).toBe("VALIDATION");
    }
  } finally {
    live.close();
  }
});
