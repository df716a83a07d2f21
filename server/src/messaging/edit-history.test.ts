import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// A message's earlier versions are read like its conversation: only by those who may read
// it now, and in a case thread each read is audited with the reader's basis.

let server: TestServer;
const http: Record<string, HttpClient> = {};
let live: LiveClient;
let caseId: string;
let consentId: string;
let messageId: string;
type Edit = { body: string; replacedAt: Date };
type LogEntry = { actorName: string; action: string; basis: { kind: string } | null };

beforeAll(async () => {
  server = await startTestServer();
  for (const user of ["koordinator", "helsesykepleier", "nav", "barnevern"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
  }
  live = await connectLive(server.url, http.koordinator!.cookie!);
  const units = await unitIdsByName(http.koordinator!);
  let subjectId: string;
  ({ caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!));
  const terms = consentTerms(subjectId, [units["Helsestasjonen"]!]);
  // NAV sees who the case is about, not its conversation.
  terms.provisions.push({ unitId: units["NAV Fjellheim"]!, actions: ["access"], purposes: ["coordination"], categories: ["identity"], denies: [] });
  ({ consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms }));
  await http.koordinator!.mutationOk("consents.activate", { consentId });

  const { id: conversationId } = await http.koordinator!.mutationOk<{ id: string }>("conversations.ofCase", { caseId });
  const sent = await live.request<{ message: { id: string } }>("message:send", { id: randomUUID(), conversationId, body: "Møte tirsdag" });
  messageId = sent.ok ? sent.message.id : "";
  for (const body of ["Møte onsdag", "Møte onsdag kl. 10"]) {
    expect((await live.request("message:edit", { messageId, body })).ok).toBe(true);
  }
});
afterAll(async () => {
  live?.close();
  await server?.stop();
});

const caseLog = () => http.koordinator!.queryOk<LogEntry[]>("audit.caseLog", { caseId });

test("a reader under consent gets the earlier versions, newest first, and the read is audited with the consent", async () => {
  const edits = await http.helsesykepleier!.queryOk<Edit[]>("messages.edits", { messageId });
  expect(edits.map((e) => e.body)).toEqual(["Møte onsdag", "Møte tirsdag"]);
  expect(edits[0]!.replacedAt.getTime()).toBeGreaterThanOrEqual(edits[1]!.replacedAt.getTime());
  const log = await caseLog();
  expect(log.some((e) => e.actorName === "Hanne Helsesykepleier" && e.action === "message.history" && e.basis?.kind === "consent")).toBe(true);
});

test("no earlier versions for those who may not read the conversation: no case access is NOT_FOUND, identity only is NO_BASIS", async () => {
  const barnevern = await http.barnevern!.query("messages.edits", { messageId });
  expect(!barnevern.ok && barnevern.error.data.appCode).toBe("NOT_FOUND");
  const nav = await http.nav!.query("messages.edits", { messageId });
  expect(!nav.ok && nav.error.data.appCode).toBe("NO_BASIS");
  // The refusal is audited too, without a basis; nothing was shown.
  const log = await caseLog();
  expect(log.some((e) => e.actorName === "Nils Veileder" && e.action === "denied:message.history" && e.basis === null)).toBe(true);
  expect(log.some((e) => e.actorName === "Nils Veileder" && e.action === "message.history")).toBe(false);
  // An unknown message is just as unknown.
  const unknown = await http.helsesykepleier!.query("messages.edits", { messageId: randomUUID() });
  expect(!unknown.ok && unknown.error.data.appCode).toBe("NOT_FOUND");
});

test("after withdrawal the nurse can no longer read the earlier versions", async () => {
  await http.koordinator!.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket" });
  const res = await http.helsesykepleier!.query("messages.edits", { messageId });
  expect(res.ok).toBe(false);
  expect(!res.ok && ["NOT_FOUND", "NO_BASIS"]).toContain(res.ok ? null : res.error.data.appCode);
});
