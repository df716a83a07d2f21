import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { PreparingClient } from "./prepared.ts";
import type { DB } from "./schema.ts";

export type Db = Kysely<DB>;

/**
 * PostgreSQL type OIDs whose parsing differs between `pg` and PGlite by default.
 * We parse them the same way on both so that behaviour and types match:
 * bigint as a JS number (ids and counters stay far below 2^53), numeric as a string
 * (no silent precision loss), date as the plain "YYYY-MM-DD" string (no time zone shift).
 */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
}
const identity = (value: string) => value;

const pgParsers: Record<number, (value: string) => unknown> = {
  [INT8]: parseInt8,
  [NUMERIC]: identity,
  [DATE]: identity,
};

export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string | undefined; /** Tests: start from a dumped data directory (a migrated template). */ loadDataDir?: Blob };

export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "pglite") return `embedded PGlite (${target.dataDir ?? "in memory"})`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/**
 * PGlite runs PostgreSQL inside this process, so its memory is the server's memory.
 * Its defaults (initdb's shared_buffers of 128 MB, sized for a dedicated server, and
 * max_connections 100 for a single connection) set an idle embedded server at about
 * 450-500 MB RSS; these keep one connection's worth. Measured by `pnpm bench:idle`.
 * PGlite replaces its default start parameters with ours, so we extend them.
 */
export const pgliteSettings: Record<string, string> = {
  shared_buffers: "16MB",
  // One connection (the dialect queues transactions); shared memory is sized by this.
  max_connections: "5",
  temp_buffers: "2MB",
};

/** PGlite's start parameters with ours. */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, ...Object.entries(pgliteSettings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}

const initdbScript = fileURLToPath(new URL("./pglite-initdb.ts", import.meta.url));

/**
 * Creates the embedded database in `dataDir` in a short-lived child process (see
 * pglite-initdb.ts) unless it holds one already, so this process only ever opens an
 * initialised directory.
 */
export async function initEmbeddedDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [initdbScript, dataDir], { maxBuffer: 10 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`could not create the embedded database in ${dataDir}: ${err.message}${stderr ? `\n${stderr}` : ""}`));
      else resolve();
    });
  });
}

export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // Hot statements are prepared once per connection (prepared.ts).
      Client: PreparingClient,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          pgParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client losing its connection must not crash the process.
    pool.on("error", () => {});
    return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  }
  if (target.dataDir) {
    mkdirSync(target.dataDir, { recursive: true });
    if (!target.loadDataDir) await initEmbeddedDataDir(target.dataDir);
  }
  // PGlite is a single connection; the dialect queues transactions one at a time.
  const pglite = await PGlite.create(target.dataDir, { parsers: pgParsers, loadDataDir: target.loadDataDir, startParams: pgliteStartParams() });
  return new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
}

export async function isReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
