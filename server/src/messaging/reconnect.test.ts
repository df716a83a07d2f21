import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import type { RunningServer } from "../server.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startServerOn } from "../testing/test-server.ts";

// Lossless reconnect: whatever happened while a client was away, it ends up with every
// event exactly once and in order — by socket.io's recovery when that works, by the
// per-user event log (`sync`) when it does not, e.g. after a server restart.

let testDb: TestDb;
let server: RunningServer;
let teacher: HttpClient;
let nav: LiveClient;
let conversationId: string;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startServerOn(testDb);
  teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const navHttp = await signedIn(server.url, "nav@demo.laget.no", DEMO_PASSWORD);
  const navId = (await navHttp.queryOk<{ id: string }>("auth.me")).id;
  ({ id: conversationId } = await teacher.mutationOk<{ id: string }>("conversations.createGroup", { groupKind: "team", title: "Team", memberIds: [navId] }));
  nav = await connectLive(server.url, navHttp.cookie!);
});
afterAll(async () => {
  nav?.close();
  await server?.close();
  await testDb?.close();
});

const send = (body: string) => teacher.mutationOk("messages.send", { id: randomUUID(), conversationId, body });
const bodies = (client: LiveClient) => client.applied.filter((e) => e.type === "message.created").map((e) => e.message!.body);

function expectExactlyOnceInOrder(client: LiveClient) {
  const ids = client.applied.map((e) => e.eventId);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);
  const seqs = client.applied.filter((e) => e.type === "message.created").map((e) => e.message!.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

test("offline (a clean disconnect: no recovery) → messages sent meanwhile arrive once each, in order, on reconnect", async () => {
  await send("1");
  await nav.until((a) => a.filter((e) => e.type === "message.created").length === 1);
  nav.socket.disconnect();
  for (const b of ["2", "3", "4", "5"]) await send(b);
  const hello = nav.next<{ recovered: boolean }>("hello");
  nav.socket.connect();
  expect((await hello).recovered).toBe(false);
  await nav.until((a) => a.filter((e) => e.type === "message.created").length === 5);
  expect(bodies(nav)).toEqual(["1", "2", "3", "4", "5"]);
  expectExactlyOnceInOrder(nav);
});

test("a dropped connection on one node without Redis → not recovered by socket.io (no packets kept in the heap), yet exactly once, in order, from the log", async () => {
  const hello = nav.next<{ recovered: boolean }>("hello");
  // The transport dies without a goodbye, as on a flaky network; the client reconnects by itself.
  nav.socket.io.engine.close();
  await send("6");
  await send("7");
  expect((await hello).recovered).toBe(false);
  await nav.until((a) => a.filter((e) => e.type === "message.created").length === 7);
  await send("8");
  await nav.until((a) => a.filter((e) => e.type === "message.created").length === 8);
  expect(bodies(nav)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
  expectExactlyOnceInOrder(nav);
});

test("the server restarts while the client is away; messages sent after the restart arrive once each, in order", async () => {
  const port = server.port;
  // Keep the client away until we say so, so the messages are surely sent while it is gone.
  nav.socket.io.reconnection(false);
  const gone = nav.next("disconnect");
  await server.close();
  await gone;
  server = await startServerOn(testDb, { port });
  for (const b of ["9", "10", "11"]) await send(b);
  const hello = nav.next<{ recovered: boolean }>("hello");
  nav.socket.io.reconnection(true);
  nav.socket.connect();
  expect((await hello).recovered).toBe(false);
  await nav.until((a) => a.filter((e) => e.type === "message.created").length === 11);
  // And live again afterwards.
  await send("12");
  await nav.until((a) => a.filter((e) => e.type === "message.created").length === 12);
  expect(bodies(nav)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]);
  expectExactlyOnceInOrder(nav);
});
