import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import type { RunningServer } from "../server.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive } from "../testing/live-client.ts";
import { startServerOn } from "../testing/test-server.ts";
import type { UserEvent } from "@laget/realtime";
import { EVENT_RETENTION_DAYS, pruneUserEvents } from "../events/retention.ts";

// Retention of the per-user event log: old events are pruned, counters never are, and a
// client whose missed events were pruned is told to start over rather than left with a hole.

let testDb: TestDb;
let server: RunningServer;
let teacher: HttpClient;
let navHttp: HttpClient;
let navId: string;
let teacherId: string;
let conversationId: string;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startServerOn(testDb);
  teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  navHttp = await signedIn(server.url, "nav@demo.laget.no", DEMO_PASSWORD);
  navId = (await navHttp.queryOk<{ id: string }>("auth.me")).id;
  teacherId = (await teacher.queryOk<{ id: string }>("auth.me")).id;
  ({ id: conversationId } = await teacher.mutationOk<{ id: string }>("conversations.createGroup", { groupKind: "team", title: "Team", memberIds: [navId] }));
});
afterAll(async () => {
  await server?.close();
  await testDb?.close();
});

const DAY = 24 * 60 * 60 * 1000;
const send = (body: string) => teacher.mutationOk("messages.send", { id: randomUUID(), conversationId, body });
const created = (events: UserEvent[]) => events.filter((e) => e.type === "message.created").map((e) => e.message!.body);
const counter = async (userId: string) =>
  (await server.db.selectFrom("user_event_counters").select("last_event_id").where("user_id", "=", userId).executeTakeFirstOrThrow()).last_event_id;
const eventIds = async (userId: string) =>
  (await server.db.selectFrom("user_events").select("event_id").where("user_id", "=", userId).orderBy("event_id").execute()).map((r) => r.event_id);
/** Makes a user's events up to `upTo` older than the retention period. */
const age = (userId: string, upTo: number) =>
  server.db
    .updateTable("user_events")
    .set({ created_at: new Date(Date.now() - (EVENT_RETENTION_DAYS + 1) * DAY) })
    .where("user_id", "=", userId)
    .where("event_id", "<=", upTo)
    .execute();

test("a client away past the retention period gets a reset, a client within it exactly what it missed; counters stay", async () => {
  const resets: number[] = [];
  const nav = await connectLive(server.url, navHttp.cookie!, { onReset: (id) => resets.push(id) });
  await send("1");
  await send("2");
  await nav.until((a) => created(a).length === 2);
  const seen = nav.lastEventId();
  nav.socket.io.reconnection(false);
  nav.socket.disconnect();

  for (const b of ["3", "4", "5"]) await send(b);
  const head = await counter(navId);
  expect(head).toBe(seen + 3);
  const teacherEvents = await eventIds(teacherId);
  const teacherHead = await counter(teacherId);

  // Everything up to "4" is old; small batches so the job takes several.
  await age(navId, seen + 2);
  expect(await pruneUserEvents(server.db, new Date(), { batchSize: 2 })).toBe(seen + 2);
  expect(await eventIds(navId)).toEqual([head]);
  expect(await eventIds(teacherId)).toEqual(teacherEvents);
  expect(await counter(navId)).toBe(head);
  expect(await counter(teacherId)).toBe(teacherHead);
  // Nothing else is old enough.
  expect(await pruneUserEvents(server.db)).toBe(0);

  // Asked directly: from a pruned position a reset, from a retained one exactly the rest.
  const probe = await connectLive(server.url, navHttp.cookie!);
  try {
    const fromPruned = await probe.request<{ events: UserEvent[]; reset: boolean; lastEventId: number }>("sync", { since: seen });
    expect(fromPruned).toMatchObject({ ok: true, events: [], reset: true, lastEventId: head });
    const fromRetained = await probe.request<{ events: UserEvent[]; reset: boolean; more: boolean }>("sync", { since: head - 1 });
    if (!fromRetained.ok) throw new Error(fromRetained.error.code);
    expect(fromRetained.reset).toBe(false);
    expect(fromRetained.more).toBe(false);
    expect(fromRetained.events.map((e) => e.eventId)).toEqual([head]);
    expect(created(fromRetained.events)).toEqual(["5"]);
    expect(await probe.request("sync", { since: head })).toMatchObject({ ok: true, events: [], reset: false });
  } finally {
    probe.close();
  }

  // The client itself reconnects from its pruned position: it resets, then goes on live without a gap.
  const hello = nav.next("hello");
  nav.socket.io.reconnection(true);
  nav.socket.connect();
  await hello;
  await expect.poll(() => resets).toEqual([head]);
  expect(nav.lastEventId()).toBe(head);
  await send("6");
  await nav.until((a) => created(a).includes("6"));
  expect(created(nav.applied)).toEqual(["1", "2", "6"]);
  expect(nav.lastEventId()).toBe(head + 1);
  nav.close();
});

test("with every event pruned, a client behind the counter still gets a reset", async () => {
  await server.db.updateTable("user_events").set({ created_at: new Date(Date.now() - (EVENT_RETENTION_DAYS + 1) * DAY) }).execute();
  expect(await pruneUserEvents(server.db)).toBeGreaterThan(0);
  expect(await eventIds(navId)).toEqual([]);
  const head = await counter(navId);
  const probe = await connectLive(server.url, navHttp.cookie!);
  try {
    expect(await probe.request("sync", { since: head - 1 })).toMatchObject({ ok: true, events: [], reset: true, lastEventId: head });
    expect(await probe.request("sync", { since: head })).toMatchObject({ ok: true, events: [], reset: false });
  } finally {
    probe.close();
  }
});
