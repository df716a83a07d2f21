import { parseConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { startServer, type RunningServer } from "../server.ts";
import { createTestDb, type TestDb } from "./test-db.ts";

export type TestServer = RunningServer & { testDb: TestDb; stop(): Promise<void> };

/** A real server on a free port over a database of its own, seeded with the demo municipality. */
export async function startTestServer(options: { demo?: boolean; redisUrl?: string } = {}): Promise<TestServer> {
  const testDb = await createTestDb();
  const config = parseConfig({
    NODE_ENV: "test",
    PORT: "0",
    LAGET_DEMO: options.demo === false ? "off" : "on",
    REDIS_URL: options.redisUrl,
  });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const server = await startServer({ config, log, db: testDb.db });
  return {
    ...server,
    testDb,
    stop: async () => {
      await server.close();
      await testDb.close();
    },
  };
}
