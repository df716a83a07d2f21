import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import type { MessageView } from "../events/user-events.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { loadActor } from "../auth/actor.ts";
import { createLogger } from "../log.ts";
import { createRateLimiter } from "./rate-limit.ts";
import type { RealtimeHub } from "./realtime.ts";
import { commitSend, type PendingSend } from "./send-commit.ts";
import { registerRequests } from "./socket-requests.ts";
import type { LagetSocket } from "./socket-types.ts";

// Sends are group-committed (send-commit.ts): concurrent sends share a transaction, each
// acked once it committed, one bad send never failing the others; and a send that
// committed is never reported as failed, whatever happens after the commit.

let server: TestServer;
const http: Record<string, HttpClient> = {};
const live: Record<string, LiveClient> = {};
const ids: Record<string, string> = {};
const groups: string[] = [];
type Sent = { message: MessageView; duplicate: boolean };

beforeAll(async () => {
  server = await startTestServer({ socketLimits: { messages: { burst: 200, perSecond: 100 } } });
  for (const user of ["koordinator", "helsesykepleier", "nav"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
    live[user] = await connectLive(server.url, http[user].cookie!);
    ids[user] = (await http[user].queryOk<{ id: string }>("auth.me")).id;
  }
  for (const title of ["Batch A", "Batch B", "Batch C"]) {
    const group = await http.koordinator!.mutationOk<{ id: string }>("conversations.createGroup", {
      groupKind: "team",
      title,
      memberIds: [ids.helsesykepleier, ids.nav],
    });
    groups.push(group.id);
  }
});
afterAll(async () => {
  for (const c of Object.values(live)) c.close();
  await server?.stop();
});

const send = (who: string, conversationId: string, body: string, extra: Record<string, unknown> = {}) =>
  live[who]!.request<Sent>("message:send", { id: randomUUID(), conversationId, body, ...extra });

test("a send whose commit succeeded is acked ok even when pushing it to readers fails after the commit", async () => {
  // The socket's request handlers with a push that fails after every commit.
  const handlers = new Map<string, (payload: unknown, ack: (r: unknown) => void) => Promise<void>>();
  const actor = (await loadActor(server.db, ids.nav!))!;
  const socket = { data: { actor }, rooms: new Set<string>(), on: (event: string, fn: never) => handlers.set(event, fn) };
  const failingPush: RealtimeHub = {
    bind: () => {},
    deliver: () => {
      throw new Error("injected: push after commit failed");
    },
    joinConversation: () => {},
    leaveConversation: () => {},
    membersChanged: () => {},
  };
  const limiter = createRateLimiter({ burst: 10, perSecond: 10 });
  registerRequests(socket as unknown as LagetSocket, {
    db: server.db,
    log: createLogger("silent"),
    realtime: failingPush,
    caseWatch: null as never,
    limiters: { messages: limiter, other: limiter, typing: limiter },
    maxInFlight: 16,
    narrowings: () => 0,
    actorOf: async () => actor,
    presenceOf: async () => ({}),
    announcePresence: async () => {},
    conversationRooms: () => [],
  });
  const id = randomUUID();
  const ack = await new Promise((resolve) => void handlers.get("message:send")!({ id, conversationId: groups[0], body: "Committed, push failed" }, resolve));
  expect(ack).toMatchObject({ ok: true, duplicate: false, message: { id } });
  // Committed: in the database, and a reader gets it on replay.
  expect(await server.db.selectFrom("messages").select("id").where("id", "=", id).executeTakeFirst()).toEqual({ id });
  const answer = await live.helsesykepleier!.request<{ events: { message?: { id: string } }[] }>("sync", { since: 0 });
  expect(answer.ok && answer.events.some((e) => e.message?.id === id)).toBe(true);
});

test("concurrent sends all commit: gapless sequence numbers per conversation and gapless event ids per reader, in order", async () => {
  const before = new Map<string, number>();
  for (const u of Object.values(ids)) {
    const row = await server.db.selectFrom("user_event_counters").select("last_event_id").where("user_id", "=", u).executeTakeFirst();
    before.set(u, Number(row?.last_event_id ?? 0));
  }
  const acks = await Promise.all(
    Array.from({ length: 45 }, (_, i) => send(["koordinator", "helsesykepleier", "nav"][i % 3]!, groups[i % 3]!, `Samtidig ${i}`)),
  );
  expect(acks.every((a) => a.ok)).toBe(true);
  for (const g of groups) {
    const seqs = (await server.db.selectFrom("messages").select("seq").where("conversation_id", "=", g).orderBy("seq").execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const conversation = await server.db.selectFrom("conversations").select("last_seq").where("id", "=", g).executeTakeFirstOrThrow();
    expect(Number(conversation.last_seq)).toBe(seqs.length);
  }
  for (const u of Object.values(ids)) {
    const events = await server.db
      .selectFrom("user_events")
      .select(["event_id", "message_id"])
      .where("user_id", "=", u)
      .where("event_id", ">", before.get(u)!)
      .orderBy("event_id")
      .execute();
    // Every reader is in every group: one event per send, ids gapless after the head before.
    expect(events.map((e) => Number(e.event_id))).toEqual(events.map((_, i) => before.get(u)! + i + 1));
    expect(events.filter((e) => e.message_id !== null)).toHaveLength(45);
    const counter = await server.db.selectFrom("user_event_counters").select("last_event_id").where("user_id", "=", u).executeTakeFirstOrThrow();
    expect(Number(counter.last_event_id)).toBe(before.get(u)! + events.length);
  }
  // Each conversation's messages reached each reader in sequence order.
  for (const g of groups) {
    await live.helsesykepleier!.until((a) => a.filter((e) => e.type === "message.created" && e.conversationId === g).length >= 15);
    const seen = live.helsesykepleier!.applied.filter((e) => e.type === "message.created" && e.conversationId === g).map((e) => e.message!.seq);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  }
});

test("in one batch a refused send (a reply to nothing) and a duplicate do not fail the others", async () => {
  const id = randomUUID();
  const [first, ...rest] = await Promise.all([
    live.nav!.request<Sent>("message:send", { id, conversationId: groups[1], body: "Første" }),
    live.nav!.request<Sent>("message:send", { id, conversationId: groups[1], body: "Første" }),
    send("nav", groups[1]!, "Svar på ingenting", { replyToSeq: 10_000 }),
    send("koordinator", groups[1]!, "Andre"),
    send("helsesykepleier", groups[2]!, "Tredje"),
  ]);
  expect(first).toMatchObject({ ok: true, message: { id } });
  const [again, reply, second, third] = rest;
  expect(again).toMatchObject({ ok: true, message: { id } });
  expect([first, again].map((a) => (a.ok ? a.duplicate : null)).sort()).toEqual([false, true]);
  expect(reply).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
  expect(second!.ok && third!.ok).toBe(true);
  const seqs = (await server.db.selectFrom("messages").select("seq").where("conversation_id", "=", groups[1]!).orderBy("seq").execute()).map((r) => Number(r.seq));
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
});

test("a batch that fails as a whole is retried send by send: only the bad send fails", async () => {
  const pending = (body: string, readers: string[]): PendingSend => ({
    id: randomUUID(),
    conversationId: groups[2]!,
    authorUserId: ids.nav!,
    authorName: "NAV",
    body,
    replyToSeq: null,
    mentions: { userIds: [], unitIds: [] },
    readers,
    mentioned: [],
    caseId: null,
    now: new Date(),
  });
  const everyone = Object.values(ids);
  // A reader who is no user breaks the batch's statement (a foreign key), not only its own row.
  const results = await Promise.allSettled([
    commitSend(server.db, pending("God 1", everyone)),
    commitSend(server.db, pending("Ødelagt", [...everyone, randomUUID()])),
    commitSend(server.db, pending("God 2", everyone)),
  ]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  const bodies = (await server.db.selectFrom("messages").select("body").where("conversation_id", "=", groups[2]!).orderBy("seq").execute()).map((r) => r.body);
  expect(bodies.slice(-2)).toEqual(["God 1", "God 2"]);
  expect(bodies).not.toContain("Ødelagt");
});
