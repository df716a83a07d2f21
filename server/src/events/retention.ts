import type { Db } from "../db/connect.ts";
import { scheduleExclusiveJob } from "../jobs/schedule.ts";
import type { Logger } from "../log.ts";

/**
 * How long the per-user event log is kept. A client away for longer gets a reset from
 * `sync` and fetches its views again (messages themselves are never pruned).
 */
export const EVENT_RETENTION_DAYS = 30;
const DAY = 24 * 60 * 60 * 1000;
/** Rows per delete: each batch is its own short transaction, so no long locks. */
const BATCH = 5_000;

/**
 * Deletes user_events older than the retention period, batch by batch. The counters stay:
 * ids go on from them, and `sync` compares against them to see what was pruned.
 */
export async function pruneUserEvents(db: Db, now = new Date(), options: { retentionDays?: number; batchSize?: number } = {}): Promise<number> {
  const cutoff = new Date(now.getTime() - (options.retentionDays ?? EVENT_RETENTION_DAYS) * DAY);
  const batchSize = options.batchSize ?? BATCH;
  let deleted = 0;
  for (;;) {
    const result = await db
      .deleteFrom("user_events")
      .where((eb) =>
        eb(
          eb.refTuple("user_id", "event_id"),
          "in",
          eb.selectFrom("user_events").select(["user_id", "event_id"]).where("created_at", "<", cutoff).limit(batchSize).$asTuple("user_id", "event_id"),
        ),
      )
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    if (n < batchSize) return deleted;
  }
}

/** Prunes the event log every hour on whichever node holds the lock (like the consent jobs). */
export function scheduleEventRetention(db: Db, log: Logger, intervalMs = 60 * 60_000): () => void {
  return scheduleExclusiveJob({
    db,
    log,
    name: "user-event-retention",
    run: async (conn) => {
      const deleted = await pruneUserEvents(conn);
      if (deleted) log.info({ deleted }, "old user events pruned");
    },
    intervalMs,
  });
}
