import { sql } from "kysely";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase, type Db } from "./connect.ts";
import { isUniqueViolation } from "./errors.ts";

// The embedded database on its own thread (pglite-thread.ts): this process's event loop
// runs while it works, and its errors arrive as PostgreSQL's, fields and all.

let db: Db;
beforeAll(async () => {
  db = await openDatabase({ kind: "pglite", dataDir: undefined });
});
afterAll(() => db?.destroy());

test("timers keep running while the embedded database executes a statement", async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    // In this thread PGlite would hold the event loop for the whole 300 ms.
    await sql`select pg_sleep(0.3)`.execute(db);
  } finally {
    clearInterval(timer);
  }
  expect(ticks).toBeGreaterThanOrEqual(10);
});

test("a unique violation carries its SQLSTATE and constraint across the thread", async () => {
  await sql`create table thread_probe (name text constraint thread_probe_name unique)`.execute(db);
  await sql`insert into thread_probe values ('Fjellheim')`.execute(db);
  const err = await sql`insert into thread_probe values ('Fjellheim')`.execute(db).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect(isUniqueViolation(err, "thread_probe_name")).toBe(true);
  expect((err as Error).message).toMatch(/duplicate key/);
});

test("rows, parameters and transactions cross intact", async () => {
  const row = await db.transaction().execute(async (trx) => {
    await sql`insert into thread_probe values (${"Solbakken"})`.execute(trx);
    return (await sql<{ n: number; d: string; b: Uint8Array }>`select count(*)::int8 as n, '2027-03-01'::date as d, ${new Uint8Array([1, 2, 3])}::bytea as b from thread_probe`.execute(trx)).rows[0];
  });
  expect(row).toEqual({ n: 2, d: "2027-03-01", b: new Uint8Array([1, 2, 3]) });
});

test("a class instance as a parameter goes as its text, as PGlite makes it in this thread; an uncloneable one fails alone", async () => {
  const date = Temporal.PlainDate.from("2027-03-01");
  const { rows } = await sql<{ d: string }>`select ${date}::text as d`.execute(db);
  expect(rows).toEqual([{ d: "2027-03-01" }]);
  const symbol = sql`select ${Symbol("no") as unknown as string}::text`.execute(db);
  await expect(symbol).rejects.toThrow();
  expect((await sql<{ one: number }>`select 1::int as one`.execute(db)).rows).toEqual([{ one: 1 }]);
});
