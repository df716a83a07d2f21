import { PGlite } from "@electric-sql/pglite";

/**
 * What the embedded database's thread (pglite-worker.ts) and its creation (pglite-initdb.ts)
 * open PGlite with, kept apart from connect.ts so that neither loads pg or Kysely; the type
 * parsers serve connect.ts's `pg` pool too.
 */

/**
 * PostgreSQL type OIDs whose parsing differs between `pg` and PGlite by default.
 * We parse them the same way on both so that behaviour and types match:
 * bigint as a JS number (ids and counters stay far below 2^53), numeric as a string
 * (no silent precision loss), date as the plain "YYYY-MM-DD" string (no time zone shift).
 */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
}
const identity = (value: string) => value;

export const typeParsers: Record<number, (value: string) => unknown> = {
  [INT8]: parseInt8,
  [NUMERIC]: identity,
  [DATE]: identity,
};

/**
 * PGlite runs PostgreSQL inside this process, so its memory is the server's memory.
 * Its defaults (initdb's shared_buffers of 128 MB, sized for a dedicated server, and
 * max_connections 100 for a single connection) set an idle embedded server at about
 * 450-500 MB RSS; these keep one connection's worth. Measured by `pnpm bench:idle`.
 * PGlite replaces its default start parameters with ours, so we extend them.
 */
export const pgliteSettings: Record<string, string> = {
  shared_buffers: "16MB",
  // One connection (the dialect queues transactions); shared memory is sized by this.
  max_connections: "5",
  temp_buffers: "2MB",
};

/** PGlite's start parameters with ours. */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, ...Object.entries(pgliteSettings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}
