import type { CombinedDataTransformer } from "@trpc/server";
import superjson, { type SuperJSONResult } from "superjson";

/**
 * superjson on the wire, as before, with a faster serializer for what nearly every
 * response is: plain objects and arrays of strings, booleans, null, finite numbers and
 * valid Dates, no object reached twice. For such a value it builds exactly what
 * superjson.serialize builds (the same JSON, the same `meta.values` in the same order);
 * anything else (undefined, -0, NaN, Infinity, a Map, a Set, a class instance, an
 * invalid Date, a shared or circular reference, a sparse array, a key superjson refuses)
 * goes to superjson itself. superjson's walk costs more than the rest of a list
 * response's serialising; transformer.test.ts compares the two on random values.
 * (Nothing registers custom types with superjson in this project: this fast path
 * would not see them.)
 */
export function serializeOutput(value: unknown): SuperJSONResult {
  const fast = fastSerialize(value);
  return fast ?? superjson.serialize(value);
}

export const transformer: CombinedDataTransformer = {
  input: superjson,
  output: { serialize: serializeOutput, deserialize: (data) => superjson.deserialize(data as SuperJSONResult) },
};

/** A reason to leave a value to superjson. */
const FALLBACK = Symbol("fallback");

/** superjson's escaping of one path segment (pathstringifier.ts). */
const escapeKey = (key: string) => (key.includes("\\") || key.includes(".") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key);

type Annotations = ["Date"] | Record<string, unknown>;

function fastSerialize(root: unknown): SuperJSONResult | null {
  const seen = new Set<object>();
  // The annotations of the value walked last, built level by level as superjson builds
  // them (so their keys come in its order, integer-like keys first at every level).
  let annotations: Annotations | undefined;
  const walk = (value: unknown): unknown => {
    annotations = undefined;
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        // NaN, ±Infinity and -0 superjson annotates as "number".
        return Number.isFinite(value) && !Object.is(value, -0) ? value : FALLBACK;
      case "object":
        break;
      default:
        return FALLBACK;
    }
    if (value === null) return null;
    // superjson notes every object reached twice (referential equalities).
    if (seen.has(value)) return FALLBACK;
    seen.add(value);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Date.prototype) {
      if (Number.isNaN((value as Date).getTime())) return FALLBACK;
      annotations = ["Date"];
      return (value as Date).toISOString();
    }
    let inner: Record<string, unknown> | undefined;
    const note = (key: string) => {
      if (!annotations) return;
      inner ??= {};
      if (Array.isArray(annotations)) inner[escapeKey(key)] = annotations;
      else for (const [path, tree] of Object.entries(annotations)) inner[`${escapeKey(key)}.${path}`] = tree;
    };
    let out: unknown[] | Record<string, unknown>;
    if (Array.isArray(value)) {
      if (proto !== Array.prototype) return FALLBACK;
      // Only dense arrays with no other own keys: superjson walks Object.entries.
      if (Object.keys(value).length !== value.length) return FALLBACK;
      const items = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        const v = walk(value[i]);
        if (v === FALLBACK) return FALLBACK;
        items[i] = v;
        note(String(i));
      }
      out = items;
    } else {
      if (proto !== Object.prototype && proto !== null) return FALLBACK;
      const fields: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        // superjson throws on these: let it.
        if (key === "__proto__" || key === "constructor" || key === "prototype") return FALLBACK;
        const v = walk((value as Record<string, unknown>)[key]);
        if (v === FALLBACK) return FALLBACK;
        fields[key] = v;
        note(key);
      }
      out = fields;
    }
    annotations = inner;
    return out;
  };
  const json = walk(root);
  if (json === FALLBACK) return null;
  if (!annotations) return { json: json as SuperJSONResult["json"] };
  return { json: json as SuperJSONResult["json"], meta: { values: annotations as NonNullable<SuperJSONResult["meta"]>["values"], v: 1 } };
}
