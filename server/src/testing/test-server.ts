import { parseConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import type { GatewayLimits } from "../messaging/gateway.ts";
import { startServer, type RunningServer } from "../server.ts";
import { createTestDb, type TestDb } from "./test-db.ts";

export type TestServer = RunningServer & { testDb: TestDb; stop(): Promise<void> };

export type TestServerOptions = {
  demo?: boolean;
  redisUrl?: string;
  port?: number;
  /** PUBLIC_URL; by default the server's own http://localhost:PORT. */
  publicUrl?: string;
  socketLimits?: Partial<GatewayLimits>;
  /** The built client to serve; by default client/dist. */
  clientDist?: string;
};

/** A real server on a free port over a database of its own, seeded with the demo municipality. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const testDb = await createTestDb();
  const server = await startServerOn(testDb, options);
  return {
    ...server,
    testDb,
    stop: async () => {
      await server.close();
      await testDb.close();
    },
  };
}

/**
 * A server over an existing test database, which it leaves open on close: for a restart
 * (close, then start again on the same port) or a second node over the same database.
 */
export async function startServerOn(testDb: TestDb, options: TestServerOptions = {}): Promise<RunningServer> {
  const config = parseConfig({
    NODE_ENV: "test",
    PORT: String(options.port ?? 0),
    LAGET_DEMO: options.demo === false ? "off" : "on",
    REDIS_URL: options.redisUrl,
    PUBLIC_URL: options.publicUrl,
  });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  return startServer({ config, log, db: testDb.db, socketLimits: options.socketLimits, clientDist: options.clientDist });
}
