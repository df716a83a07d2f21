import type { Socket } from "node:net";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";
import { PreparingClient } from "./prepared.ts";

/*
 * Plain reads share a few pipelined connections; everything else checks out a pool
 * connection of its own, as before.
 *
 * Why: on a small machine a statement's cost is mostly waking the PostgreSQL backend
 * that answers it and the Node process that reads the answer (on cases.list, two
 * thirds of both processes' CPU). Statements from concurrent requests written down one
 * pipelined connection in one write (pg's pipeline mode, one Sync each, so one failing
 * fails alone) are read by a backend that is already awake. Measured with the cases.list
 * bench: ~400 → ~650 req/s, database CPU per request 1.9 → 1.2 ms.
 *
 * Kysely checks out a connection for every statement, transaction and
 * `db.connection()`. A checkout here sends plain reads to the least busy reader until
 * its first other statement (begin, a write, a lock, a session setting), which checks
 * out a pool connection that every later statement of the checkout then uses: a
 * transaction's reads see its own writes, a session lock is taken and released on one
 * connection. A read outside a transaction sees every commit that finished before it
 * was sent, on any connection, as before.
 *
 * The cost: a slow read delays the reads queued behind it on the same reader. New reads
 * go to the reader with fewer in flight, never to one that has answered nothing for
 * STALLED_READER_MS while it had reads in flight; when every reader is stalled, a read
 * checks out a pool connection as before. A reader whose connection dies fails the reads it carried, as a
 * pool connection would, and the next read opens a new one.
 */

/** How many shared reading connections a PostgreSQL pool gets (DatabaseTarget.pipelinedReaders). */
export const PIPELINED_READERS = 2;

/**
 * Whether a statement only reads and leaves nothing on its session: one select (no second
 * statement after a semicolon) that locks no rows, creates no table (select into), takes
 * no advisory lock, sets no setting and neither moves a sequence nor reads what this
 * session drew from one.
 */
export function isPlainRead(text: string): boolean {
  return /^\s*select\b/i.test(text) && !/;\s*\S|\bfor\s+(update|no\s+key\s+update|share|key\s+share)\b|\binto\b|\bpg_\w*advisory|\bset_config\s*\(|\b(nextval|setval|currval|lastval)\s*\(/i.test(text);
}

/** A reader with reads in flight that has answered none for this long is passed over (see pickReader). */
export const STALLED_READER_MS = 50;

/** One shared connection; replaced by the next read once it has failed or ended. */
class Reader {
  pending = 0;
  /** When it last answered a read, or went from idle to busy: a busy reader answers every few milliseconds. */
  #progressAt = 0;
  #client: pg.Client | null = null;
  #ready: Promise<unknown> | null = null;
  #corked = false;

  readonly #config: pg.ClientConfig;

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /**
   * Whether it has reads in flight but has answered none for STALLED_READER_MS: its
   * oldest is slow or waits for a lock, and everything sent after it waits too.
   */
  stalled(now: number): boolean {
    return this.pending > 0 && now - this.#progressAt >= STALLED_READER_MS;
  }

  async query(text: string, values: readonly unknown[]): Promise<pg.QueryResult> {
    if (this.pending++ === 0) this.#progressAt = performance.now();
    try {
      const client = await this.#connected();
      this.#corkForTick(client);
      return await client.query(text, values as unknown[]);
    } finally {
      this.pending--;
      this.#progressAt = performance.now();
    }
  }

  async #connected(): Promise<pg.Client> {
    if (!this.#client) {
      const client = new PreparingClient({ ...this.#config, pipeline: true } as pg.ClientConfig);
      const dead = () => {
        if (this.#client === client) this.#client = this.#ready = null;
      };
      client.on("error", dead);
      client.on("end", dead);
      this.#client = client;
      this.#ready = client.connect().catch((err: unknown) => {
        dead();
        throw err;
      });
    }
    const client = this.#client;
    await this.#ready;
    return client;
  }

  /** Statements sent in one tick leave in one write (pg corks each statement on its own). */
  #corkForTick(client: pg.Client): void {
    if (this.#corked) return;
    const stream = (client as unknown as { connection: { stream: Socket } }).connection.stream;
    stream.cork();
    this.#corked = true;
    process.nextTick(() => {
      this.#corked = false;
      stream.uncork();
    });
  }

  async end(): Promise<void> {
    const client = this.#client;
    this.#client = this.#ready = null;
    await client?.end().catch(() => {});
  }
}

/** `pool` as Kysely uses it, with plain reads on `readers` shared connections. */
export function poolWithPipelinedReads(options: { pool: pg.Pool; clientConfig: pg.ClientConfig; readers: number }): PostgresPool {
  const { pool, clientConfig } = options;
  const readers = Array.from({ length: options.readers }, () => new Reader(clientConfig));
  // The reader with the fewest reads in flight, passing over a stalled one (a slow read, a
  // lock wait); none when all are stalled, and the read takes a pool connection instead.
  const pickReader = (): Reader | null => {
    const now = performance.now();
    let best: Reader | null = null;
    for (const r of readers) if (!r.stalled(now) && (!best || r.pending < best.pending)) best = r;
    return best;
  };
  const checkout = (): PostgresPoolClient => {
    let own: Promise<pg.PoolClient> | null = null;
    return {
      query: (async (text: string, values: readonly unknown[]) => {
        const reader = !own && isPlainRead(text) ? pickReader() : null;
        if (reader) return reader.query(text, values);
        own ??= pool.connect();
        return (await own).query(text, values as unknown[]);
      }) as unknown as PostgresPoolClient["query"],
      release: (destroy?: boolean) => {
        void own?.then((client) => client.release(destroy), () => {});
      },
    };
  };
  return {
    options: pool.options,
    connect: async () => checkout(),
    end: async () => {
      await Promise.all(readers.map((r) => r.end()));
      await pool.end();
    },
  };
}
