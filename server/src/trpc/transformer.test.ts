import fc from "fast-check";
import superjson from "superjson";
import { expect, test } from "vitest";
import { serializeOutput } from "./transformer.ts";

// The fast serializer must build exactly what superjson builds, whatever the value: the
// same JSON text (key order included) and the same annotations in the same order.
// (A value superjson refuses, e.g. a "constructor" key, must be refused alike.)
const outcome = (serialize: (v: unknown) => unknown, value: unknown) => {
  try {
    return JSON.stringify(serialize(value));
  } catch (err) {
    return `throws ${(err as Error).message}`;
  }
};
const same = (value: unknown) => expect(outcome(serializeOutput, value)).toBe(outcome((v) => superjson.serialize(v), value));

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("a.b", "x\\y", "\\.", "0", "10", "updatedAt", "__proto__", "constructor"));
const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.date({ noInvalidDate: false }),
  fc.bigInt(),
  fc.constant(new Map([["k", 1]])),
  fc.constant(new Set([1])),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(key, tie("value"), { maxKeys: 4 })),
})).value;

test("the fast serializer builds what superjson builds for any value", () => {
  fc.assert(
    fc.property(value, (v) => {
      same(v);
    }),
    { numRuns: 2000 },
  );
});

test("plain data with Dates (a case list) takes the fast path and still matches superjson", () => {
  const list = Array.from({ length: 3 }, (_, i) => ({
    id: `case-${i}`,
    subjects: [{ id: `s-${i}`, name: "Barn", birthDate: null, birthYear: 2014 }],
    "odd.key": { "back\\slash": new Date(Date.UTC(2026, 0, i + 1)) },
    btiLevel: i,
    updatedAt: new Date(Date.UTC(2026, 11, 3, 7, i)),
  }));
  same(list);
  // superjson's annotation keys come level by level, integer-like keys first at each one.
  same([[{ a: new Date(0) }, new Date(1)], { 2: new Date(2), b: { 1: new Date(3) } }]);
  expect(serializeOutput(list).meta?.values).toEqual({
    "0.odd\\.key.back\\\\slash": ["Date"], "0.updatedAt": ["Date"],
    "1.odd\\.key.back\\\\slash": ["Date"], "1.updatedAt": ["Date"],
    "2.odd\\.key.back\\\\slash": ["Date"], "2.updatedAt": ["Date"],
  });
});

test("what superjson alone handles goes to superjson: shared and circular objects, sparse arrays, class instances, invalid Dates", () => {
  const shared = { a: 1 };
  const date = new Date(0);
  const circular: Record<string, unknown> = { name: "x" };
  circular.self = circular;
  const sparse: number[] = [];
  sparse[0] = 1;
  sparse[2] = 3;
  const extra = Object.assign([1, 2], { note: new Date(1) });
  class Thing {
    x = 1;
  }
  const invalid = new Date(Number.NaN);
  for (const v of [{ a: shared, b: shared }, [date, date], circular, sparse, extra, new Thing(), date, Object.create(null) as object, [undefined], { at: invalid }]) same(v);
});
