import { Worker } from "node:worker_threads";

/**
 * The embedded database on a thread of its own. PGlite is PostgreSQL compiled to
 * WebAssembly, and its queries run synchronously on the thread that calls them: in this
 * process's main thread every statement (a plan's write-ahead append, a snapshot store)
 * stopped every socket and request for its duration, while the second core sat idle
 * (bench:plans on PGlite: the main thread ~92 % busy, ~60 % of it inside PGlite). On a
 * worker thread the database uses a core of its own, as PostgreSQL's own process does.
 *
 * `PGliteThread` answers the two calls kysely-pglite-dialect makes (query, close); rows
 * and errors cross by structured clone, errors with PostgreSQL's fields (code,
 * constraint, …) as own properties, as `pg` and PGlite give them.
 */

export type ThreadOpen = { dataDir: string | undefined; loadDataDir: ArrayBuffer | undefined };
export type ThreadRequest = { op: "query"; id: number; sql: string; params: unknown[] } | { op: "close"; id: number };
export type ThreadReply =
  | { ok: true; id: number; rows: unknown[]; affectedRows?: number }
  | { ok: false; id: number; message: string; name: string; fields: Record<string, string | number> };

type Pending = { resolve(reply: ThreadReply & { ok: true }): void; reject(err: Error): void };

const workerFile = new URL("./pglite-worker.ts", import.meta.url);

/**
 * A parameter as it crosses: a class instance (a Temporal date, say) would arrive as a bare
 * object without its methods, so it goes as the text PGlite makes of it in this thread
 * (its toString()); plain values, plain objects, arrays, dates and bytes cross as they are.
 */
function cloneable(value: unknown): unknown {
  if (typeof value !== "object" || value === null || value instanceof Date || ArrayBuffer.isView(value) || Array.isArray(value)) return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null ? value : String(value);
}

export class PGliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (reply: ThreadReply) => this.#settle(reply));
    // A thread that dies fails what waits and what comes; the process lives on.
    worker.on("error", (err) => this.#fail(err));
    worker.on("exit", (code) => this.#fail(new Error(`the embedded database's thread exited (${code})`)));
    // Only a query in flight keeps the process alive, as with PGlite in this thread.
    worker.unref();
  }

  static async open(options: { dataDir: string | undefined; loadDataDir?: Blob }): Promise<PGliteThread> {
    const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
    const worker = new Worker(workerFile, {
      workerData: { dataDir: options.dataDir, loadDataDir } satisfies ThreadOpen,
      transferList: loadDataDir ? [loadDataDir] : [],
    });
    const thread = new PGliteThread(worker);
    // The worker's first message (id 0) says whether PGlite opened.
    await thread.#request(0, () => {});
    return thread;
  }

  async query(sql: string, params: unknown[] = []): Promise<{ rows: unknown[]; affectedRows?: number }> {
    const id = this.#nextId++;
    const message = { op: "query", id, sql, params: params.map(cloneable) } satisfies ThreadRequest;
    const { rows, affectedRows } = await this.#request(id, () => this.#worker.postMessage(message));
    return { rows, affectedRows };
  }

  async close(): Promise<void> {
    if (this.#failure) return;
    const id = this.#nextId++;
    await this.#request(id, () => this.#worker.postMessage({ op: "close", id } satisfies ThreadRequest));
    await this.#worker.terminate();
  }

  #request(id: number, send: () => void): Promise<ThreadReply & { ok: true }> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      try {
        send();
      } catch (err) {
        // Nothing was sent (a value that cannot be cloned): nothing is left waiting.
        this.#settle({ ok: false, id, message: err instanceof Error ? err.message : String(err), name: "DataCloneError", fields: {} });
      }
    });
  }

  #settle(reply: ThreadReply) {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) pending.resolve(reply);
    else pending.reject(Object.assign(new Error(reply.message), reply.fields, { name: reply.name }));
  }

  #fail(err: Error) {
    this.#failure ??= err;
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }
}
