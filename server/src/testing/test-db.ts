import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Db } from "../db/connect.ts";
import { migrateTo, migrateToLatest } from "../db/migrate.ts";
import { testAuditKey, useAuditKey } from "../audit/key.ts";

export type TestDb = { db: Db; kind: "postgres" | "pglite"; /** PostgreSQL only: for another process to connect. */ url?: string; close(): Promise<void> };

/**
 * A migrated database of its own for one test file: a fresh PostgreSQL database
 * next to DATABASE_URL's when it is set, otherwise an in-memory PGlite. With `upTo`,
 * migrated only that far (a migration's test populates the schema before it).
 */
export async function createTestDb(
  kind: "postgres" | "pglite" = process.env.DATABASE_URL ? "postgres" : "pglite",
  options: { upTo?: string } = {},
): Promise<TestDb> {
  const migrate = (db: Db) => (options.upTo ? migrateTo(db, options.upTo) : migrateToLatest(db));
  // Audit appends below HTTP (and the servers on this database) anchor with the test process's key.
  useAuditKey(testAuditKey());
  if (kind === "pglite") {
    const db = await openDatabase({ kind: "pglite", dataDir: undefined });
    await migrate(db);
    return { db, kind, close: () => db.destroy() };
  }
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("createTestDb('postgres') needs DATABASE_URL");
  const name = `laget_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(baseUrl, `create database ${name}`);
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

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
