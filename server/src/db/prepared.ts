import { createHash } from "node:crypto";
import pg from "pg";

/**
 * A pg client that runs the statements this process sends often as named prepared
 * statements, so PostgreSQL parses and plans each of them once per connection rather
 * than on every call (on cases.list, parsing and planning were about 45 % of the
 * database's CPU). Kysely sends a statement as text and parameters; the same text
 * becomes the same name (a hash of it), which pg prepares on a connection the first time
 * and reuses after.
 *
 * Bounded twice, because a text can vary without end (an `in (…)` list's length): a text
 * is named only once it has been seen HOT times, and a connection prepares at most
 * PER_CONNECTION of them; anything else runs unnamed, as before. A text without
 * parameters (begin, commit, DDL) always runs unnamed.
 */
const HOT = 3;
const PER_CONNECTION = 200;
const SEEN_MAX = 10_000;
const seen = new Map<string, number>();

const nameOf = (text: string) => `k${createHash("sha1").update(text).digest("base64url")}`;

/** The statement's name if it is hot enough to prepare on this connection, else null. */
function preparedName(text: string, prepared: Map<string, string>): string | null {
  const known = prepared.get(text);
  if (known) return known;
  if (prepared.size >= PER_CONNECTION) return null;
  const count = (seen.get(text) ?? 0) + 1;
  if (count < HOT) {
    // Forgetting everything now and then keeps this bounded; hot texts come back at once.
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(text, count);
    return null;
  }
  const name = nameOf(text);
  prepared.set(text, name);
  return name;
}

export class PreparingClient extends pg.Client {
  /** Text → name of the statements prepared on this connection. */
  readonly #prepared = new Map<string, string>();

  // pg's query() has many overloads; only (text, values) without a callback, what Kysely
  // sends, is rewritten.
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    if (typeof config === "string" && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = preparedName(config, this.#prepared);
      if (name) return super.query({ name, text: config, values }) as never;
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
