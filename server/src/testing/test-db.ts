import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { migrations } from "@laget/migrations";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { openDatabase, type Db } from "../db/connect.ts";
import { migrateTo, migrateToLatest } from "../db/migrate.ts";
import { testAuditKey, useAuditKey } from "../audit/key.ts";

export type TestDb = { db: Db; kind: "postgres" | "pglite"; /** PostgreSQL only: for another process to connect. */ url?: string; close(): Promise<void> };

/**
 * A migrated database of its own for one test file: a fresh PostgreSQL database
 * next to DATABASE_URL's when it is set, otherwise an in-memory PGlite.
 *
 * Each is a copy of a template migrated once for the current migrations, not migrated
 * anew: migrating costs about a second on PostgreSQL, and a fresh PGlite (initdb in
 * WebAssembly) about five, for every test file. Every file still gets a database of its own.
 * With `upTo`, a database migrated only that far, from empty (a migration's test
 * populates the schema before it).
 */
export async function createTestDb(
  kind: "postgres" | "pglite" = process.env.DATABASE_URL ? "postgres" : "pglite",
  options: { upTo?: string } = {},
): Promise<TestDb> {
  const migrate = (db: Db) => (options.upTo ? migrateTo(db, options.upTo) : migrateToLatest(db));
  // Audit appends below HTTP (and the servers on this database) anchor with the test process's key.
  useAuditKey(testAuditKey());
  if (kind === "pglite") {
    const db = options.upTo
      ? await openDatabase({ kind: "pglite", dataDir: undefined })
      : await openDatabase({ kind: "pglite", dataDir: undefined, loadDataDir: await pgliteTemplate() }).catch(async () => {
          // A dump another PGlite version cannot load: build it again.
          pgliteDump = undefined;
          return openDatabase({ kind: "pglite", dataDir: undefined, loadDataDir: await pgliteTemplate(true) });
        });
    // On the template a no-op that applies anything the template was built without.
    await migrate(db);
    return { db, kind, close: () => db.destroy() };
  }
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("createTestDb('postgres') needs DATABASE_URL");
  const name = `laget_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(baseUrl, options.upTo ? `create database ${name}` : `create database ${name} template ${await postgresTemplate(baseUrl)}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 5 });
  await migrate(db);
  return {
    db,
    kind,
    url: url.toString(),
    close: async () => {
      await db.destroy();
      await adminQuery(baseUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** Names the migrations by their code, so a changed or added migration builds a new template. */
function migrationsKey(): string {
  const hash = createHash("sha256");
  for (const [name, m] of Object.entries(migrations)) hash.update(`${name}\n${m.up.toString()}\n${m.down?.toString() ?? ""}\n`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * PostgreSQL: a database migrated once per set of migrations and never connected to
 * again, which `create database … template` copies. Built under an advisory lock, so
 * parallel test files (and parallel checkouts on one server) build it once.
 */
async function postgresTemplate(baseUrl: string): Promise<string> {
  const name = `laget_template_${migrationsKey()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(hashtext('laget:test-template'))");
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!exists.rowCount) {
      // Built under another name and renamed when complete: a crash leaves no half-migrated template.
      const building = `${name}_building`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const url = new URL(baseUrl);
      url.pathname = `/${building}`;
      const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 1 });
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
    }
    return name;
  } finally {
    await admin.query("select pg_advisory_unlock(hashtext('laget:test-template'))").catch(() => {});
    await admin.end();
  }
}

/**
 * PGlite: a migrated data directory dumped once per set of migrations to the temporary
 * directory (test files run in processes of their own, so memory would not keep it),
 * and loaded by each new in-memory database.
 */
let pgliteDump: Promise<Blob> | undefined;
function pgliteTemplate(rebuild = false): Promise<Blob> {
  return (pgliteDump ??= (async () => {
    const file = path.join(tmpdir(), `laget-pglite-template-${migrationsKey()}.tar`);
    const stored = rebuild ? null : await readFile(file).catch(() => null);
    if (stored) return new Blob([stored]);
    const pglite = await PGlite.create();
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema types hold
      await migrateToLatest(new Kysely<any>({ dialect: new PGliteDialect(pglite) }));
      const dump = await pglite.dumpDataDir("none");
      // Written under a name of its own and renamed: a parallel file never reads half a dump.
      const partial = `${file}.${randomBytes(4).toString("hex")}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    } finally {
      await pglite.close();
    }
  })());
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
