import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { openDatabase, type Db } from "./connect.ts";

// PostgreSQL only: PGlite has no pool of pg clients (unit-pglite skips this file's test).
let testDb: TestDb;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDb();
  // One connection, so what it has prepared is what pg_prepared_statements shows it.
  if (testDb.url) db = await openDatabase({ kind: "postgres", url: testDb.url, poolSize: 1 });
});
afterAll(async () => {
  await db?.destroy();
  await testDb?.close();
});

const prepared = async () => (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);

test.skipIf(!process.env.DATABASE_URL)("a statement sent often is prepared once on its connection and answers as before; one without parameters never is", async () => {
  const answers: number[] = [];
  for (let i = 1; i <= 6; i++) answers.push((await sql<{ n: number }>`select ${i}::int + 1 as n`.execute(db)).rows[0]!.n);
  expect(answers).toEqual([2, 3, 4, 5, 6, 7]);
  // Only once it is hot: the first sends ran unnamed.
  expect((await prepared()).filter((s) => s === "select $1::int + 1 as n")).toHaveLength(1);

  for (let i = 0; i < 6; i++) await sql`select 42 as plain`.execute(db);
  expect((await prepared()).some((s) => s.includes("42 as plain"))).toBe(false);

  // A text seen once stays unnamed.
  await sql`select ${"once"}::text as rare`.execute(db);
  expect((await prepared()).some((s) => s.includes("as rare"))).toBe(false);
});
