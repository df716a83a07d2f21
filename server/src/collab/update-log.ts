import type { Basis } from "@laget/policy";
import type { Db } from "../db/connect.ts";
import { encodeState } from "./store.ts";

/**
 * The write-ahead log of live documents (table `live_document_updates`). A client's update
 * is appended here as it is applied, and acknowledged once committed (held-acks.ts); a
 * server-side transact is committed here before it is applied. The next snapshot folds
 * the logged rows in and deletes them (store.ts), and loading a document replays what is
 * left on top of its snapshot.
 *
 * Appends are group-committed: those arriving in the same event-loop turn go into one
 * INSERT, and once `maxConcurrentWrites` INSERTs are in flight, all that arrive meanwhile
 * go into the next one together. An idle server adds one commit to an update's path; a
 * busy one needs far fewer commits than updates. Several INSERTs in flight keep an update
 * from waiting behind a whole commit first (PostgreSQL flushes concurrent commits together).
 */

export type LoggedUpdate = { documentName: string; update: Uint8Array; userId: string | null; basis: Basis | null };

export type UpdateLog = {
  /** Resolves with the row id once the update is committed. */
  append(entry: LoggedUpdate): Promise<number>;
};

type Row = { document_name: string; update: string; user_id: string | null; basis: string | null };
type Waiting = { row: Row; resolve(id: number): void; reject(err: unknown): void };

export function createUpdateLog(db: Db, options: { maxBatch?: number; maxConcurrentWrites?: number } = {}): UpdateLog {
  const maxBatch = options.maxBatch ?? 500;
  const maxConcurrentWrites = options.maxConcurrentWrites ?? 4;
  const queue: Waiting[] = [];
  let scheduled = false;
  let inFlight = 0;

  // setImmediate: every message read in this poll phase joins the batch.
  function schedule() {
    if (scheduled || inFlight >= maxConcurrentWrites || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void write();
    });
  }

  async function write() {
    inFlight++;
    const batch = queue.splice(0, maxBatch);
    try {
      const ids = await db
        .insertInto("live_document_updates")
        .values(batch.map((w) => w.row))
        .returning("id")
        .execute();
      // PostgreSQL returns the rows of a multi-row VALUES insert in the order given.
      batch.forEach((w, i) => w.resolve(ids[i]!.id));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      inFlight--;
      schedule();
    }
  }

  return {
    append(entry) {
      return new Promise<number>((resolve, reject) => {
        const row = { document_name: entry.documentName, update: encodeState(entry.update), user_id: entry.userId, basis: entry.basis === null ? null : JSON.stringify(entry.basis) };
        queue.push({ row, resolve, reject });
        schedule();
      });
    },
  };
}
