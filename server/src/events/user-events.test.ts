import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { signedIn } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { registerEventJudge, shownAs, type EventJudge } from "./replay.ts";
import { publishUserEvent } from "./user-events.ts";

// The per-user event log is not messaging's: any capability registers its event types
// with a judge and its events reach users live and survive reconnects, each judged again
// on replay. A throwaway `test.ping` about a `test` resource shows it.

let server: TestServer;
let live: LiveClient;
let userId: string;
/** The `test` resources the judge now says the user may not see. */
const hidden = new Set<string>();
let unregister: () => void;

const judgePings: EventJudge = async ({ events }) => new Map(events.filter((e) => !hidden.has(e.resourceId!)).map((e) => [e.eventId, shownAs(e)]));

beforeAll(async () => {
  unregister = registerEventJudge(["test.*"], judgePings);
  server = await startTestServer();
  const http = await signedIn(server.url, "nav@demo.laget.no", DEMO_PASSWORD);
  userId = (await http.queryOk<{ id: string }>("auth.me")).id;
  live = await connectLive(server.url, http.cookie!);
});
afterAll(async () => {
  unregister?.();
  live?.close();
  await server?.stop();
});

const ping = (resourceId: string, n: number, type = "test.ping") =>
  publishUserEvent({ db: server.db, bus: server.bus, userIds: [userId], event: { type, resource: { type: "test", id: resourceId }, data: { n } } });
const pings = () => live.applied.filter((e) => e.type === "test.ping" || e.type === "gone");

test("an event of a registered non-message type reaches its user live, naming its resource", async () => {
  await ping("a", 1);
  await live.until(() => pings().length === 1, 5_000);
  expect(pings()[0]).toMatchObject({ type: "test.ping", resourceType: "test", resourceId: "a", conversationId: null, data: { n: 1 } });
});

test("missed while away, it is replayed on reconnect; one the judge now refuses comes back as gone, and so does an unjudged type", async () => {
  live.socket.disconnect();
  await ping("a", 2);
  await ping("b", 3);
  hidden.add("b");
  // No judge is registered for `other.*`: fail closed.
  const [unjudged] = await publishUserEvent({ db: server.db, bus: server.bus, userIds: [userId], event: { type: "other.ping", resource: { type: "test", id: "a" } } });
  const hello = live.next<{ recovered: boolean }>("hello");
  live.socket.connect();
  expect((await hello).recovered).toBe(false);
  await live.until(() => live.lastEventId() === unjudged!.event.eventId, 5_000);
  expect(pings().slice(1).map((e) => [e.type, e.data?.n ?? null])).toEqual([
    ["test.ping", 2],
    ["gone", null],
    ["gone", null],
  ]);
  expect(live.applied.at(-1)).toEqual({ eventId: unjudged!.event.eventId, type: "gone", conversationId: null });
});
