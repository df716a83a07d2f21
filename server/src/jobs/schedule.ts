import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import type { Logger } from "../log.ts";

/**
 * Runs scheduled work every interval on whichever node holds the job's session advisory
 * lock, so it runs once across nodes (in-process on the embedded database). The work
 * gets the locked connection; a tick still running is not started again.
 */
export function scheduleExclusiveJob({
  db,
  log,
  name,
  run,
  intervalMs = 60_000,
}: {
  db: Db;
  log: Logger;
  /** Names the advisory lock and the log lines. */
  name: string;
  run: (conn: Db) => Promise<void>;
  intervalMs?: number;
}): () => void {
  const lockKey = `laget:${name}`;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await db.connection().execute(async (conn) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtext(${lockKey})) as locked`.execute(conn);
        if (!rows[0]?.locked) return;
        try {
          await run(conn);
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(conn);
        }
      });
    } catch (err) {
      log.error({ err, job: name }, "scheduled job failed");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
