import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import type { RunningServer } from "../server.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startChildServer, stopChildServer, type ChildServer } from "../testing/child-server.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { sentinel } from "../testing/sentinel.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { startServerOn } from "../testing/test-server.ts";

// Two server processes on different ports over one PostgreSQL database and one Redis:
// node A in this process, node B spawned from the real entry point.

const redisUrl = process.env.REDIS_URL;
describe.runIf(process.env.DATABASE_URL && redisUrl)("two nodes sharing PostgreSQL and Redis", () => {
  let testDb: TestDb;
  let nodeA: RunningServer;
  let nodeB: ChildServer;
  const http: Record<string, HttpClient> = {};
  const live: LiveClient[] = [];
  let caseId: string;
  let consentId: string;

  beforeAll(async () => {
    testDb = await createTestDb("postgres");
    nodeA = await startServerOn(testDb, { redisUrl });
    nodeB = await startChildServer({ DATABASE_URL: testDb.url!, REDIS_URL: redisUrl, NODE_ENV: "test", LAGET_DEMO: "on", LOG_LEVEL: "info" });
    http.teacherA = await signedIn(nodeA.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
    http.navB = await signedIn(nodeB.url, "nav@demo.laget.no", DEMO_PASSWORD);
    http.nurseB = await signedIn(nodeB.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
  });
  afterAll(async () => {
    for (const c of live) c.close();
    if (nodeB) await stopChildServer(nodeB.child);
    await nodeA?.close();
    await testDb?.close();
  });

  const connect = async (url: string, client: HttpClient) => {
    const c = await connectLive(url, client.cookie!);
    live.push(c);
    return c;
  };

  test("a user on node B receives live what a user on node A sends, and the other way round", async () => {
    const navId = (await http.navB!.queryOk<{ id: string }>("auth.me")).id;
    const { id: conversationId } = await http.teacherA!.mutationOk<{ id: string }>("conversations.createGroup", {
      groupKind: "team",
      title: "Team på tvers",
      memberIds: [navId],
    });
    const teacher = await connect(nodeA.url, http.teacherA!);
    const nav = await connect(nodeB.url, http.navB!);

    const ack = await teacher.request("message:send", { id: randomUUID(), conversationId, body: "Fra node A" });
    expect(ack.ok).toBe(true);
    await nav.until((a) => a.some((e) => e.message?.body === "Fra node A"));
    expect((await nav.request("message:send", { id: randomUUID(), conversationId, body: "Fra node B" })).ok).toBe(true);
    await teacher.until((a) => a.some((e) => e.message?.body === "Fra node B"));

    // Room broadcasts (typing) cross nodes too.
    const typing = nav.next<{ typing: boolean }>("typing");
    teacher.socket.emit("typing", { conversationId, typing: true });
    expect(await typing).toMatchObject({ typing: true });
  });

  test("a member added on node A joins the room on node B at once; removed on node A, they leave it on node B at once", async () => {
    const nurseId = (await http.nurseB!.queryOk<{ id: string }>("auth.me")).id;
    const { id: conversationId } = await http.teacherA!.mutationOk<{ id: string }>("conversations.createGroup", {
      groupKind: "forum",
      title: "Forum på tvers",
      memberIds: [],
    });
    const teacher = await connect(nodeA.url, http.teacherA!);
    const nurse = await connect(nodeB.url, http.nurseB!);

    const added = nurse.until((a) => a.some((e) => e.type === "conversation.added" && e.conversationId === conversationId));
    await http.teacherA!.mutationOk("conversations.addMembers", { conversationId, userIds: [nurseId] });
    await added;
    // Put in the room by node A, without asking: typing from node A reaches her on node B.
    const typing = nurse.next<{ conversationId: string }>("typing", (p) => p.conversationId === conversationId);
    teacher.socket.emit("typing", { conversationId, typing: true });
    await typing;

    const removed = nurse.until((a) => a.some((e) => e.type === "conversation.removed" && e.conversationId === conversationId));
    await http.teacherA!.mutationOk("conversations.removeMembers", { conversationId, userIds: [nurseId] });
    await removed;
    let typed = false;
    nurse.socket.on("typing", (p: { conversationId: string }) => (typed ||= p.conversationId === conversationId));
    // The teacher's second socket, on node B with the nurse, witnesses the typing crossing over.
    const witness = await connect(nodeB.url, http.teacherA!);
    const witnessed = witness.next<{ conversationId: string }>("typing", (p) => p.conversationId === conversationId);
    teacher.socket.emit("typing", { conversationId, typing: false });
    await witnessed;
    expect((await teacher.request("message:send", { id: randomUUID(), conversationId, body: "Uten henne" })).ok).toBe(true);
    await witness.until((a) => a.some((e) => e.message?.body === "Uten henne"));
    await sentinel(http.teacherA!, { http: http.nurseB!, live: nurse });
    expect(typed).toBe(false);
    expect(nurse.applied.some((e) => e.message?.body === "Uten henne")).toBe(false);
  });

  test("a consent withdrawal processed on node A removes the nurse's access on node B at once", async () => {
    const units = await unitIdsByName(http.teacherA!);
    let subjectId: string;
    ({ caseId, subjectId } = await createChildCase(http.teacherA!, units["Fjellheim skole"]!));
    ({ consentId } = await http.teacherA!.mutationOk<{ consentId: string }>("consents.create", {
      caseId,
      ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
    }));
    await http.teacherA!.mutationOk("consents.activate", { consentId });
    const { id: conversationId } = await http.teacherA!.mutationOk<{ id: string }>("conversations.ofCase", { caseId });

    const teacher = await connect(nodeA.url, http.teacherA!);
    const nurse = await connect(nodeB.url, http.nurseB!);
    expect((await nurse.request("conversation:join", { conversationId })).ok).toBe(true);
    expect((await teacher.request("message:send", { id: randomUUID(), conversationId, body: "Før" })).ok).toBe(true);
    await nurse.until((a) => a.some((e) => e.message?.body === "Før"));

    const revoked = nurse.next<{ conversationId: string }>("conversation:revoked");
    await http.teacherA!.mutationOk("consents.withdraw", { consentId, reason: "Trukket" });
    expect(await revoked).toEqual({ conversationId });

    expect((await teacher.request("message:send", { id: randomUUID(), conversationId, body: "Etter" })).ok).toBe(true);
    await teacher.until((a) => a.some((e) => e.message?.body === "Etter"));
    await sentinel(http.teacherA!, { http: http.nurseB!, live: nurse });
    expect(nurse.applied.some((e) => e.message?.body === "Etter")).toBe(false);
    const history = await http.nurseB!.query("messages.history", { conversationId });
    expect(!history.ok && history.error.data.appCode).toBe("NOT_FOUND");
  });
});
