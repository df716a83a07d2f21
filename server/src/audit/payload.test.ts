import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { auditPayload, payloadTime, type PayloadFields } from "./payload.ts";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(() => testDb?.close());

// Text the database can hold (no NUL), with quotes, backslashes, control characters and non-ASCII.
const dbText = fc.string({ unit: fc.oneof(fc.constantFrom('"', "\\", "\n", "\t", "\u0001", "\u001f", "\u007f", "ø", "æ", "§", "€", "😀", "\u2028"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 12 }).filter((s) => !s.includes("\u0000"));
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.integer(), dbText, fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(dbText, tie("value"), { maxKeys: 4 })),
})).value;

const fields: fc.Arbitrary<PayloadFields> = fc.record({
  municipality_id: fc.uuid(),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  at: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map(payloadTime),
  actor_user_id: fc.option(fc.uuid(), { nil: null }),
  actor_unit_id: fc.option(fc.uuid(), { nil: null }),
  action: dbText,
  resource_type: dbText,
  resource_id: fc.option(dbText, { nil: null }),
  case_id: fc.option(fc.uuid(), { nil: null }),
  basis: fc.option(fc.dictionary(dbText, json, { maxKeys: 5 }), { nil: null }),
  purpose: fc.option(dbText, { nil: null }),
});

test("the server formats every event's payload exactly as the database's audit_event_payload does", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fields, { minLength: 1, maxLength: 20 }), async (events) => {
      const { rows } = await sql<{ payload: string }>`
        select audit_event_payload(jsonb_populate_record(null::audit_events, x.e)) as payload
        from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as x(e, n)
        order by x.n`.execute(testDb.db);
      expect(events.map(auditPayload)).toEqual(rows.map((r) => r.payload));
    }),
    { numRuns: 60 },
  );
});

// Every key the server writes is ASCII, which payload.ts orders without encoding: keys of
// every length and order, beside non-ASCII ones.
const asciiKey = fc.string({ unit: fc.constantFrom("a", "b", "z", "A", "_", "0", "~", " ", "\u007f", "ø"), maxLength: 4 });
test("a basis with ASCII keys is ordered exactly as jsonb orders it", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fields, { minLength: 1, maxLength: 10 }), fc.array(fc.dictionary(asciiKey, json, { maxKeys: 6 }), { minLength: 10, maxLength: 10 }), async (events, bases) => {
      const withBases = events.map((e, i) => ({ ...e, basis: bases[i]! }));
      const { rows } = await sql<{ payload: string }>`
        select audit_event_payload(jsonb_populate_record(null::audit_events, x.e)) as payload
        from jsonb_array_elements(${JSON.stringify(withBases)}::jsonb) with ordinality as x(e, n)
        order by x.n`.execute(testDb.db);
      expect(withBases.map(auditPayload)).toEqual(rows.map((r) => r.payload));
    }),
    { numRuns: 40 },
  );
});
