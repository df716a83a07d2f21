import { createServer, connect, type Server, type Socket } from "node:net";
import { addMeasure } from "@laget/plan";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "./demo/seed.ts";
import { connectPlan } from "./plans/test-client.ts";
import { createChildCase, unitIdsByName } from "./testing/case-fixtures.ts";
import { CHILD_SERVER_TEST_TIMEOUT_MS, startChildServer, stopChildServer, type ChildServer } from "./testing/child-server.ts";
import { signedIn } from "./testing/http-client.ts";
import { connectLive } from "./testing/live-client.ts";
import { createTestDb, type TestDb } from "./testing/test-db.ts";

// The real entry point in a child process must be gone within 10 s of SIGTERM, whatever
// state its surroundings are in.
const DEADLINE_MS = 10_000;
const CHILD_SERVER_TEST = { timeout: CHILD_SERVER_TEST_TIMEOUT_MS };

/**
 * A TCP proxy in front of PostgreSQL that can turn into a black hole: connections stay
 * open and accepted, but nothing gets through any more (a database host that vanished
 * from the network, which is worse than one that refuses).
 */
function blackHoleProxy(target: URL) {
  const sockets = new Set<Socket>();
  let dead = false;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("error", () => {});
    if (dead) return;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("data", (d) => !dead && upstream.write(d));
    upstream.on("data", (d) => !dead && client.write(d));
    client.on("close", () => upstream.destroy());
  });
  return {
    listen: () => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port))),
    kill: () => {
      dead = true;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

let testDb: TestDb | undefined;
const children: ChildServer[] = [];
beforeAll(async () => {
  if (process.env.DATABASE_URL) testDb = await createTestDb("postgres");
});
afterAll(async () => {
  await Promise.all(children.map((c) => stopChildServer(c.child, "SIGKILL")));
  await testDb?.close();
});

test.skipIf(!process.env.DATABASE_URL)("exits within 10 s of SIGTERM after its database vanished, with a live plan and a socket open", CHILD_SERVER_TEST, async () => {
  const proxy = blackHoleProxy(new URL(testDb!.url!));
  const port = await proxy.listen();
  const viaProxy = new URL(testDb!.url!);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(port);
  try {
    const server = await startChildServer({ NODE_ENV: "test", LAGET_DEMO: "on", DATABASE_URL: viaProxy.toString(), REDIS_URL: undefined });
    children.push(server);
    const teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
    const units = await unitIdsByName(teacher);
    const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!);
    const live = await connectLive(server.url, teacher.cookie!);
    const plan = connectPlan(server.url, teacher.cookie, caseId);
    await plan.ready;
    proxy.kill();
    // An edit that can no longer be stored, and a request stuck on the database.
    addMeasure(plan.doc, { title: "Aldri lagret", deadline: "2026-09-01" });
    void teacher.query("cases.list").catch(() => {});
    await new Promise((r) => setTimeout(r, 200));
    const { ms } = await stopChildServer(server.child, "SIGTERM");
    expect(ms).toBeLessThan(DEADLINE_MS);
    live.close();
    plan.destroy();
  } finally {
    proxy.close();
  }
});

test("keeps serving and exits within 10 s of SIGTERM when its stdout is a full pipe nobody reads", CHILD_SERVER_TEST, async () => {
  const server = await startChildServer({ NODE_ENV: "test", LAGET_DEMO: "on", DATABASE_URL: testDb?.url, REDIS_URL: undefined, LOG_LEVEL: "debug" });
  children.push(server);
  // Stop reading: once the kernel's buffers are full, every write to stdout would block.
  // A child's stdout is a socket pair (a few hundred KiB of buffer on Linux), so each
  // request carries a long path that its log line repeats: 200 requests log about 1.6 MB.
  server.child.stdout!.removeAllListeners("data");
  server.child.stdout!.pause();
  const longPath = `/api/${"x".repeat(8_000)}`;
  for (let i = 0; i < 200; i++) expect((await fetch(`${server.url}${longPath}`)).status).toBe(404);
  const teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  await teacher.queryOk("cases.list");
  const { ms } = await stopChildServer(server.child, "SIGTERM");
  expect(ms).toBeLessThan(DEADLINE_MS);
});

test("exits within 10 s of SIGTERM when its stdout is a closed pipe", CHILD_SERVER_TEST, async () => {
  const server = await startChildServer({ NODE_ENV: "test", LAGET_DEMO: "on", DATABASE_URL: testDb?.url, REDIS_URL: undefined, LOG_LEVEL: "debug" });
  children.push(server);
  // Nobody reads its output any more: every log line now meets EPIPE.
  server.child.stdout!.destroy();
  const teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  for (let i = 0; i < 20; i++) await teacher.query("cases.list");
  const { ms } = await stopChildServer(server.child, "SIGTERM");
  expect(ms).toBeLessThan(DEADLINE_MS);
});
