import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { PGliteThread } from "./pglite-thread.ts";
import { typeParsers } from "./pglite-options.ts";
import { PreparingClient } from "./prepared.ts";
import type { DB } from "./schema.ts";

export type Db = Kysely<DB>;

export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string | undefined; /** Tests: start from a dumped data directory (a migrated template). */ loadDataDir?: Blob };

export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "pglite") return `embedded PGlite (${target.dataDir ?? "in memory"})`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
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
          typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
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
  // PGlite is a single connection; the dialect queues transactions one at a time. It
  // calls only query() and close(), which the embedded database's thread answers.
  const pglite = await PGliteThread.open({ dataDir: target.dataDir, loadDataDir: target.loadDataDir });
  return new Kysely<DB>({ dialect: new PGliteDialect(pglite as unknown as PGlite) });
}

export async function isReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
