import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { openDatabase, type Db } from "./connect.ts";
import { STALLED_READER_MS, isPlainRead } from "./pipelined-reads.ts";

// PostgreSQL only: PGlite is one connection already (unit-pglite skips these tests).
const onPostgres = test.skipIf(!process.env.DATABASE_URL);
let testDb: TestDb;
let db: Db;
/** A connection of the test's own, outside the pool under test. */
let outside: pg.Client;

beforeAll(async () => {
  testDb = await createTestDb();
  if (!testDb.url) return;
  db = await openDatabase({ kind: "postgres", url: testDb.url, poolSize: 10, pipelinedReaders: 2 });
  outside = new pg.Client({ connectionString: testDb.url });
  await outside.connect();
  await outside.query("create table pipelined_probe (n int)");
});
afterAll(async () => {
  await outside?.end();
  await db?.destroy();
  await testDb?.close();
});

const backendPid = async (on: Parameters<ReturnType<typeof sql>["execute"]>[0]) =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(on)).rows[0]!.pid;
/** The backends that answer plain reads: 40 at once, as concurrent requests send them. */
const readerPids = async () => new Set(await Promise.all(Array.from({ length: 40 }, () => backendPid(db))));

test("a plain read is told from a statement that locks, writes or leaves something on its session", () => {
  expect(isPlainRead("select id from cases where id = $1")).toBe(true);
  expect(isPlainRead("  SELECT 1;")).toBe(true);
  for (const text of [
    "with moved as (update audit_chain_heads set last_seq = $1 returning 1) select count(*) from moved",
    "insert into cases (id) values ($1)",
    "begin",
    "select id from cases where id = $1 for update",
    "select id from cases for no key update skip locked",
    "select 1 from cases for share",
    "select pg_try_advisory_lock(hashtext($1)) as locked",
    "select pg_advisory_unlock(hashtext($1))",
    "select set_config('statement_timeout', '1s', false)",
    "select nextval('audit_events_id_seq')",
    "select setval('audit_events_id_seq', 1)",
    "select currval('audit_events_id_seq')",
    "select * into cases_copy from cases",
    "select 1; delete from cases",
  ]) {
    expect(isPlainRead(text), text).toBe(false);
  }
});

onPostgres("concurrent plain reads share two connections; a transaction runs on one of its own and sees its own writes", async () => {
  const readers = await readerPids();
  expect(readers.size).toBeLessThanOrEqual(2);

  await db
    .transaction()
    .execute(async (trx) => {
      await sql`insert into pipelined_probe (n) values (1)`.execute(trx);
      // The transaction's read after its write: on its own connection, where the row is.
      expect((await sql<{ n: number }>`select count(*)::int as n from pipelined_probe`.execute(trx)).rows[0]!.n).toBe(1);
      expect(readers.has(await backendPid(trx))).toBe(false);
      // Outside it, nothing is committed yet.
      expect((await sql<{ n: number }>`select count(*)::int as n from pipelined_probe`.execute(db)).rows[0]!.n).toBe(0);
      throw new Error("roll back");
    })
    .catch((err: Error) => expect(err.message).toBe("roll back"));
  expect((await sql<{ n: number }>`select count(*)::int as n from pipelined_probe`.execute(db)).rows[0]!.n).toBe(0);
});

onPostgres("a session lock is taken, used and released on one connection that is not a shared reader", async () => {
  const readers = await readerPids();
  await db.connection().execute(async (conn) => {
    expect((await sql<{ locked: boolean }>`select pg_try_advisory_lock(4242) as locked`.execute(conn)).rows[0]!.locked).toBe(true);
    const pid = await backendPid(conn);
    expect(readers.has(pid)).toBe(false);
    const held = await outside.query<{ pid: number }>("select pid from pg_locks where locktype = 'advisory' and objid = 4242 and granted");
    expect(held.rows.map((r) => r.pid)).toEqual([pid]);
    expect((await sql<{ unlocked: boolean }>`select pg_advisory_unlock(4242) as unlocked`.execute(conn)).rows[0]!.unlocked).toBe(true);
  });
  expect((await outside.query("select 1 from pg_locks where locktype = 'advisory' and objid = 4242")).rowCount).toBe(0);
});

onPostgres("a failing read fails alone: the reads beside it on the same connection are answered", async () => {
  const results = await Promise.allSettled([
    sql`select ${"no-uuid"}::uuid as id`.execute(db),
    ...Array.from({ length: 10 }, (_, i) => sql<{ n: number }>`select ${i}::int as n`.execute(db)),
  ]);
  expect(results[0]).toMatchObject({ status: "rejected", reason: { code: "22P02" } });
  expect(results.slice(1).map((r) => (r.status === "fulfilled" ? (r.value.rows[0] as { n: number }).n : null))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

onPostgres("a reader whose connection was killed is replaced: later reads are answered by a new backend", async () => {
  const before = await readerPids();
  for (const pid of before) await outside.query("select pg_terminate_backend($1, 5000)", [pid]);
  // A read sent before this process has seen its connection close fails, as on a pool
  // connection; each reader is replaced once it has, so a bounded number of tries reaches a new one.
  let answeredBy: number | null = null;
  let failures = 0;
  while (answeredBy === null && failures < 20) {
    answeredBy = await backendPid(db).catch(() => {
      failures++;
      return null;
    });
    if (answeredBy === null) await new Promise((resolve) => setImmediate(resolve));
  }
  expect(answeredBy).not.toBeNull();
  expect(before.has(answeredBy!)).toBe(false);
  const after = await readerPids();
  expect([...after].some((pid) => before.has(pid))).toBe(false);
});

/** The backends running `pg_sleep` for at least STALLED_READER_MS, as PostgreSQL sees them (later than this process sent them). */
async function sleepersPastStall(count: number): Promise<number[]> {
  for (;;) {
    const { rows } = await outside.query<{ pid: number }>(
      `select pid from pg_stat_activity where query like 'select pg_sleep%' and state = 'active' and now() - query_start >= $1 * interval '1 millisecond'`,
      [STALLED_READER_MS + 10],
    );
    if (rows.length >= count) return rows.map((r) => r.pid);
  }
}

onPostgres("reads pass over a reader stalled behind a slow read; with every reader stalled they take a pool connection", async () => {
  const readers = await readerPids();
  const slow = sql`select pg_sleep(1.5)`.execute(db);
  const [sleeping] = await sleepersPastStall(1);
  expect(readers.has(sleeping!)).toBe(true);
  let slowDone = false;
  void slow.then(() => (slowDone = true));
  // Many at once, so that a reader chosen by fewest in flight alone would queue some behind the slow one.
  const pids = await Promise.all(Array.from({ length: 20 }, () => backendPid(db)));
  expect(pids).not.toContain(sleeping);
  expect(slowDone).toBe(false);

  // The other reader stalls too: a read now goes to a connection of its own.
  const slowToo = sql`select pg_sleep(1.5)`.execute(db);
  const stalled = await sleepersPastStall(2);
  const pid = await backendPid(db);
  expect(readers.has(pid)).toBe(false);
  expect(stalled).not.toContain(pid);
  expect(slowDone).toBe(false);
  await Promise.all([slow, slowToo]);
});

onPostgres("a reader that keeps answering is never taken for stalled, however long it stays busy", async () => {
  // One reader, ten reads queued on it at every moment, each answered ~10 ms after the one before.
  const oneReader = await openDatabase({ kind: "postgres", url: testDb.url!, poolSize: 5, pipelinedReaders: 1 });
  try {
    const reader = await backendPid(oneReader);
    const answeredBy: number[] = [];
    const until = performance.now() + 6 * STALLED_READER_MS;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < until) {
          answeredBy.push((await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.01)`.execute(oneReader)).rows[0]!.pid);
        }
      }),
    );
    // A pause of this process could send a few to a pool connection; a reader taken for
    // stalled while it answers (busy for longer than STALLED_READER_MS) would send most.
    const byPool = answeredBy.filter((pid) => pid !== reader).length;
    expect(byPool / answeredBy.length).toBeLessThan(0.25);
  } finally {
    await oneReader.destroy();
  }
});
