import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../testing/test-db.ts";

// The same query must give the same JavaScript values on PostgreSQL (`pg`) and on
// embedded PGlite; `connect.ts` sets the parsers that make it so.
const kinds = ["pglite", ...(process.env.DATABASE_URL ? (["postgres"] as const) : [])] as const;
const dbs = new Map<string, TestDb>();

beforeAll(async () => {
  for (const kind of kinds) dbs.set(kind, await createTestDb(kind));
});
afterAll(async () => {
  for (const db of dbs.values()) await db.close();
});

async function sample(testDb: TestDb) {
  const { rows } = await sql<Record<string, unknown>>`
    select
      timestamptz '2026-03-29 01:30:00+01' as at,
      9007199254740991::bigint as big,
      count(*) as counted,
      true as yes,
      false as no,
      '{"a": [1, "to", null], "b": {"c": true}}'::jsonb as doc,
      '[1,2]'::json as arr,
      date '2026-12-24' as day,
      12.50::numeric as amount,
      42::int as small,
      gen_random_uuid()::text <> '' as uuid_ok,
      array['a', 'b']::text[] as tags,
      null::timestamptz as nothing
    from (values (1), (2)) as t(x)`.execute(testDb.db);
  return rows[0]!;
}

function shape(row: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v === null ? "null" : v instanceof Date ? "Date" : Array.isArray(v) ? "array" : typeof v]),
  );
}

describe.each(kinds)("%s", (kind) => {
  test("timestamps are Dates, bigint and count are numbers, booleans, JSON parsed, dates as YYYY-MM-DD, numeric as string", async () => {
    const row = await sample(dbs.get(kind)!);
    expect(row).toEqual({
      at: new Date("2026-03-29T00:30:00.000Z"),
      big: 9007199254740991,
      counted: 2,
      yes: true,
      no: false,
      doc: { a: [1, "to", null], b: { c: true } },
      arr: [1, 2],
      day: "2026-12-24",
      amount: "12.50",
      small: 42,
      uuid_ok: true,
      tags: ["a", "b"],
      nothing: null,
    });
  });

  test("a bigint past 2^53 is refused rather than silently rounded", async () => {
    await expect(sql`select 9007199254740993::bigint as n`.execute(dbs.get(kind)!.db)).rejects.toThrow(/exceeds/);
  });

  test("table columns come back with the same types (units, auth_events)", async () => {
    const { db } = dbs.get(kind)!;
    const m = await db.insertInto("municipalities").values({ name: "Typekommune" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("units").values({ municipality_id: m.id, name: "Enhet", kind: "school" }).execute();
    await db.insertInto("auth_events").values({ kind: "login_failed", email: "t@t.no" }).execute();
    const unit = await db.selectFrom("units").selectAll().executeTakeFirstOrThrow();
    const event = await db.selectFrom("auth_events").selectAll().executeTakeFirstOrThrow();
    expect(shape(unit)).toEqual({
      id: "string", municipality_id: "string", kind: "string", name: "string",
      parent_unit_id: "null", valid_from: "Date", valid_to: "null",
    });
    expect(shape(event)).toEqual({ id: "number", at: "Date", kind: "string", email: "string", user_id: "null", ip: "null" });
  });
});

test.runIf(kinds.length === 2)("PostgreSQL and PGlite return identical values", async () => {
  const [a, b] = await Promise.all(kinds.map((k) => sample(dbs.get(k)!)));
  expect(a).toEqual(b);
  expect(shape(a!)).toEqual(shape(b!));
});
