import type { Db } from "../db/connect.ts";
import { seedDemo } from "../demo/seed.ts";
import { createEventBus, type EventBus } from "../events/bus.ts";
import { createLogger } from "../log.ts";
import { defaultLimits } from "../messaging/gateway.ts";
import { createRateLimiter } from "../messaging/rate-limit.ts";
import { createRealtimeHub } from "../messaging/realtime.ts";
import type { Context } from "../trpc/init.ts";
import { CallerClient, type CallerDeps } from "./caller-client.ts";
import { sessionCookie, userIdByEmail } from "./factories.ts";
import { createTestDb, type TestDb } from "./test-db.ts";

/**
 * The application without a server: a database of its own (seeded with the demo
 * municipality unless `demo: false`), an in-process event bus, and clients that call
 * procedures directly. For tests of procedures; tests of HTTP, cookies, sockets, live
 * documents or several nodes start a real server (test-server.ts).
 */
export type TestApp = {
  db: Db;
  bus: EventBus;
  testDb: TestDb;
  /** A signed-out client. */
  client(): CallerClient;
  /** A client signed in as this user (a session made directly, without checking a password). */
  signedIn(email: string): Promise<CallerClient>;
  stop(): Promise<void>;
};

export async function startTestApp(options: { demo?: boolean } = {}): Promise<TestApp> {
  const testDb = await createTestDb();
  const { db } = testDb;
  if (options.demo !== false) await seedDemo(db);
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const bus = await createEventBus({ log });
  const deps: CallerDeps = {
    db,
    bus,
    // Not bound to a socket gateway: pushes are dropped, as with no socket connected.
    realtime: createRealtimeHub(),
    liveDocuments: noLiveDocuments(),
    messageLimiter: createRateLimiter(defaultLimits.messages),
    log,
  };
  const client = () => new CallerClient(deps);
  return {
    db,
    bus,
    testDb,
    client,
    signedIn: async (email) => {
      const c = client();
      c.cookie = await sessionCookie(db, await userIdByEmail(db, email));
      return c;
    },
    stop: async () => {
      await bus.close();
      await testDb.close();
    },
  };
}

/** The live-document server is not part of the test app: a procedure that needs it fails loudly. */
function noLiveDocuments(): Context["liveDocuments"] {
  return new Proxy({} as Context["liveDocuments"], {
    get: (_target, property) => {
      throw new Error(`live documents (ctx.liveDocuments.${String(property)}) need a real server: use startTestServer()`);
    },
  });
}
