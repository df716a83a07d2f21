import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { sentinel } from "../testing/sentinel.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import type { UserEvent } from "@laget/realtime";

// A case thread is read by whom decide() allows, at every step: joining its room, every
// send's readers, history pages and replays. Withdrawal takes effect at once.

let server: TestServer;
const http: Record<string, HttpClient> = {};
const live: Record<string, LiveClient> = {};
let caseId: string;
let consentId: string;
let conversationId: string;

beforeAll(async () => {
  server = await startTestServer();
  for (const user of ["koordinator", "helsesykepleier", "barnevern"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
    live[user] = await connectLive(server.url, http[user].cookie!);
  }
  const units = await unitIdsByName(http.koordinator!);
  let subjectId: string;
  ({ caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!));
  ({ consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", {
    caseId,
    ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
  }));
  await http.koordinator!.mutationOk("consents.activate", { consentId });
});
afterAll(async () => {
  for (const c of Object.values(live)) c.close();
  await server?.stop();
});

const send = (body: string) =>
  live.koordinator!.request<{ message: { seq: number } }>("message:send", { id: randomUUID(), conversationId, body });
const received = (client: LiveClient, body: string) => client.applied.some((e: UserEvent) => e.message?.body === body);

test("under consent: the nurse opens the case thread, joins its room and receives live; barnevern cannot even find it", async () => {
  ({ id: conversationId } = await http.koordinator!.mutationOk<{ id: string }>("conversations.ofCase", { caseId }));
  const nurseView = await http.helsesykepleier!.mutationOk<{ id: string; personalDataWarning: boolean }>("conversations.ofCase", { caseId });
  expect(nurseView).toMatchObject({ id: conversationId, personalDataWarning: false });
  expect((await live.helsesykepleier!.request("conversation:join", { conversationId })).ok).toBe(true);

  const refused = await http.barnevern!.mutation("conversations.ofCase", { caseId });
  expect(!refused.ok && refused.error.data.appCode).toBe("NOT_FOUND");
  const join = await live.barnevern!.request("conversation:join", { conversationId });
  expect(!join.ok && join.error.code).toBe("NOT_FOUND");
  expect((await http.barnevern!.queryOk<{ id: string }[]>("conversations.list")).map((c) => c.id)).not.toContain(conversationId);

  expect((await send("Før tilbaketrekking")).ok).toBe(true);
  await live.helsesykepleier!.until((a) => a.some((e) => e.message?.body === "Før tilbaketrekking"));
  const list = await http.helsesykepleier!.queryOk<{ id: string; title: string; unread: number }[]>("conversations.list");
  expect(list.find((c) => c.id === conversationId)).toMatchObject({ title: "Emma Hansen", unread: 1 });

  const page = await http.helsesykepleier!.queryOk<{ messages: { body: string }[] }>("messages.history", { conversationId });
  expect(page.messages.map((m) => m.body)).toEqual(["Før tilbaketrekking"]);
  const log = await http.koordinator!.queryOk<{ actorName: string; action: string; basis: { kind: string } | null }[]>("audit.caseLog", { caseId });
  expect(log.some((e) => e.actorName === "Hanne Helsesykepleier" && e.action === "conversation.read" && e.basis?.kind === "consent")).toBe(true);
  // The live delivery itself is audited too, with the consent it relied on; never to barnevern.
  expect(log.some((e) => e.actorName === "Hanne Helsesykepleier" && e.action === "message.deliver" && e.basis?.kind === "consent")).toBe(true);
  expect(log.some((e) => e.actorName === "Berit Barnevern" && e.action === "message.deliver")).toBe(false);
  expect(received(live.barnevern!, "Før tilbaketrekking")).toBe(false);
});

test("a retried send is audited once; a first send that calls itself a retry is audited all the same", async () => {
  const deliveriesToNurse = async () =>
    (await http.koordinator!.queryOk<{ actorName: string; action: string }[]>("audit.caseLog", { caseId })).filter(
      (e) => e.actorName === "Hanne Helsesykepleier" && e.action === "message.deliver",
    ).length;
  const before = await deliveriesToNurse();
  const sendAs = (id: string, body: string, retry: boolean) =>
    live.koordinator!.request<{ duplicate: boolean }>("message:send", { id, conversationId, body, retry });

  const id = randomUUID();
  expect(await sendAs(id, "Sendt to ganger", false)).toMatchObject({ ok: true, duplicate: false });
  // The answer was lost: the same id again, now as a retry.
  expect(await sendAs(id, "Sendt to ganger", true)).toMatchObject({ ok: true, duplicate: true });
  expect(await deliveriesToNurse()).toBe(before + 1);

  expect(await sendAs(randomUUID(), "Første gang, merket som nytt forsøk", true)).toMatchObject({ ok: true, duplicate: false });
  expect(await deliveriesToNurse()).toBe(before + 2);
});

test("after withdrawal: the nurse's socket is told and leaves the room, gets no further message, and history and replay are refused", async () => {
  const revoked = live.helsesykepleier!.next<{ conversationId: string }>("conversation:revoked");
  await http.koordinator!.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket" });
  expect(await revoked).toEqual({ conversationId });

  // Typing no longer reaches her either: she is out of the room. The coordinator's second
  // socket, still in the room, is the witness that the typing went out.
  const watcher = await connectLive(server.url, http.koordinator!.cookie!);
  expect((await watcher.request("conversation:join", { conversationId })).ok).toBe(true);
  let typed = false;
  live.helsesykepleier!.socket.on("typing", () => (typed = true));
  const witnessed = watcher.next<{ conversationId: string }>("typing", (p) => p.conversationId === conversationId);
  live.koordinator!.socket.emit("typing", { conversationId, typing: true });
  await witnessed;
  watcher.close();

  expect((await send("Etter tilbaketrekking")).ok).toBe(true);
  await live.koordinator!.until((a) => a.some((e) => e.message?.body === "Etter tilbaketrekking"));
  await sentinel(http.koordinator!, { http: http.helsesykepleier!, live: live.helsesykepleier! });
  expect(received(live.helsesykepleier!, "Etter tilbaketrekking")).toBe(false);
  expect(typed).toBe(false);

  const history = await http.helsesykepleier!.query("messages.history", { conversationId });
  expect(!history.ok && history.error.data.appCode).toBe("NOT_FOUND");
  const again = await live.helsesykepleier!.request("conversation:join", { conversationId });
  expect(!again.ok && again.error.code).toBe("NOT_FOUND");
  const write = await live.helsesykepleier!.request("message:send", { id: randomUUID(), conversationId, body: "Hallo?" });
  expect(!write.ok && write.error.code).toBe("NOT_FOUND");
  expect((await http.helsesykepleier!.queryOk<{ id: string }[]>("conversations.list")).map((c) => c.id)).not.toContain(conversationId);

  // A replay from the start shows the earlier message's event as gone: the id is kept, the content is not.
  const replay = await live.helsesykepleier!.request<{ events: UserEvent[] }>("sync", { since: 0 });
  expect(replay.ok).toBe(true);
  const events = replay.ok ? replay.events : [];
  expect(events.some((e) => e.message && e.conversationId === conversationId)).toBe(false);
  expect(events.filter((e) => e.type === "gone").length).toBeGreaterThan(0);
});
