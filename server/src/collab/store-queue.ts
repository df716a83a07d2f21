/**
 * The queue every snapshot store of a node goes through (persistence.ts), so that stores
 * never pile up on the database: at most `concurrency` run at once (a few on PostgreSQL,
 * one on PGlite, which runs one transaction at a time anyway), the rest wait in order.
 *
 * Keyed by document: a document is in the queue at most once, so a store requested while
 * that document already waits is the same store (it runs once, and reads the document's
 * state when it starts, so it writes the latest state); one requested while that
 * document's store runs is queued to run again after it, once, however often it is asked
 * for meanwhile. Two stores of one document never run at once.
 *
 * Back-pressure: a caller's promise settles when its store has run, so Hocuspocus (which
 * stores a document again only after its previous store settled) stores each document
 * less often when the database is slow, instead of opening more transactions; the
 * queue holds at most two entries per document. Nothing is lost meanwhile: every update
 * is committed to the write-ahead log before it is acknowledged (update-log.ts).
 *
 * A store that fails rejects every caller that was waiting for it (they report it and
 * keep what was pending for the next store); the queue goes on with the others.
 * `drain()` resolves once nothing is queued or running, including what is queued meanwhile.
 */

export type StoreQueueStats = {
  /** Stores run (each once however many requests it served). */
  stores: number;
  /** Requests that joined a store already queued or already queued to run again. */
  coalesced: number;
  failed: number;
  running: number;
  queued: number;
  maxRunning: number;
  maxQueued: number;
  /** Wall time of each store run since the last reset, in ms (for the bench). */
  durations: number[];
};

export type StoreQueue = {
  /** Runs `run` for this key once a slot is free (or joins the key's waiting store) and settles with it. */
  request(key: string, run: () => Promise<void>): Promise<void>;
  /** Changes how many stores may run at once (from now on). */
  setConcurrency(concurrency: number): void;
  /** Resolves once nothing is queued or running. */
  drain(): Promise<void>;
  stats(): StoreQueueStats;
  /** Starts the counters (not the queue) afresh; returns what they were. */
  resetStats(): StoreQueueStats;
};

type Entry = {
  key: string;
  run: () => Promise<void>;
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
};

export function createStoreQueue(options: { concurrency: number }): StoreQueue {
  let concurrency = Math.max(1, Math.floor(options.concurrency));
  /** Waiting to start, in order; at most one per key. */
  const waiting: Entry[] = [];
  const waitingByKey = new Map<string, Entry>();
  /** Running now: at most one per key. */
  const running = new Map<string, Entry>();
  /** Keys whose store must run again after the running one: the entry to start then. */
  const again = new Map<string, Entry>();
  let idle: { promise: Promise<void>; resolve(): void } | undefined;

  const fresh = (): StoreQueueStats => ({ stores: 0, coalesced: 0, failed: 0, running: running.size, queued: waiting.length + again.size, maxRunning: running.size, maxQueued: waiting.length + again.size, durations: [] });
  let stats = fresh();

  function entry(key: string, run: () => Promise<void>): Entry {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A store nobody awaits (a caller that went away) must not become an unhandled rejection.
    promise.catch(() => {});
    return { key, run, promise, resolve, reject };
  }

  function noteQueued() {
    stats.maxQueued = Math.max(stats.maxQueued, waiting.length + again.size);
  }

  function pump() {
    while (running.size < concurrency && waiting.length > 0) {
      const next = waiting.shift()!;
      waitingByKey.delete(next.key);
      start(next);
    }
    if (running.size === 0 && waiting.length === 0 && again.size === 0 && idle) {
      idle.resolve();
      idle = undefined;
    }
  }

  function start(e: Entry) {
    running.set(e.key, e);
    stats.maxRunning = Math.max(stats.maxRunning, running.size);
    const t = performance.now();
    // The caller's function decides what is stored: it runs now, not when it was requested.
    Promise.resolve()
      .then(e.run)
      .then(
        () => {
          stats.stores++;
          e.resolve();
        },
        (err: unknown) => {
          stats.stores++;
          stats.failed++;
          e.reject(err);
        },
      )
      .finally(() => {
        stats.durations.push(performance.now() - t);
        running.delete(e.key);
        const follow = again.get(e.key);
        if (follow) {
          again.delete(e.key);
          waiting.push(follow);
          waitingByKey.set(follow.key, follow);
        }
        pump();
      });
  }

  return {
    request(key, run) {
      const queued = waitingByKey.get(key) ?? again.get(key);
      if (queued) {
        // The latest caller's function is the one that runs (it may know of more that is pending).
        queued.run = run;
        stats.coalesced++;
        return queued.promise;
      }
      const e = entry(key, run);
      if (running.has(key)) {
        again.set(key, e);
      } else {
        waiting.push(e);
        waitingByKey.set(key, e);
      }
      noteQueued();
      pump();
      return e.promise;
    },
    setConcurrency(n) {
      concurrency = Math.max(1, Math.floor(n));
      pump();
    },
    drain() {
      if (running.size === 0 && waiting.length === 0 && again.size === 0) return Promise.resolve();
      if (!idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        idle = { promise, resolve };
      }
      return idle.promise;
    },
    stats: () => ({ ...stats, running: running.size, queued: waiting.length + again.size, durations: [...stats.durations] }),
    resetStats() {
      const was = { ...stats, running: running.size, queued: waiting.length + again.size };
      stats = fresh();
      return was;
    },
  };
}
