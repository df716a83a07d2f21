import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// A group's readers are its current members who are active users: a deactivated member
// is not one, though their membership row stays (they may be reactivated).
let server: TestServer;
const http: Record<string, HttpClient> = {};
const ids: Record<string, string> = {};
let nurse: LiveClient;

beforeAll(async () => {
  server = await startTestServer();
  for (const user of ["koordinator", "helsesykepleier", "nav", "admin"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
    ids[user] = (await http[user].queryOk<{ id: string }>("auth.me")).id;
  }
  nurse = await connectLive(server.url, http.helsesykepleier!.cookie!);
});
afterAll(async () => {
  nurse?.close();
  await server?.stop();
});

test("a deactivated member of a group gets nothing sent to it while deactivated; the active members do", async () => {
  const group = await http.koordinator!.mutationOk<{ id: string }>("conversations.createGroup", {
    groupKind: "team",
    title: "Team Fjellheim",
    memberIds: [ids.helsesykepleier, ids.nav],
  });
  await http.admin!.mutationOk("users.deactivate", { userId: ids.nav });
  const coordinator = await connectLive(server.url, http.koordinator!.cookie!);
  try {
    const sent = await coordinator.request<{ message: { id: string } }>("message:send", { id: randomUUID(), conversationId: group.id, body: "Møte torsdag kl. 10?" });
    expect(sent.ok).toBe(true);
    const messageId = sent.ok ? sent.message.id : "";
    // The active member's delivery is the sentinel: the send's events are all written by then.
    await nurse.until((events) => events.some((e) => e.message?.id === messageId));
    const logged = await server.testDb.db.selectFrom("user_events").select("user_id").where("message_id", "=", messageId).execute();
    expect(new Set(logged.map((e) => e.user_id))).toEqual(new Set([ids.koordinator, ids.helsesykepleier]));
  } finally {
    coordinator.close();
  }
});
