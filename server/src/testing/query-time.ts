/**
 * Benches only, loaded with `node --import` into a server process (BENCH_QUERY_TIME=1):
 * the wall time of every statement the process sends to PGlite or PostgreSQL, summed by
 * statement shape (a multi-row VALUES list counts as one shape), printed to stderr when
 * the process exits. Wall time includes the wait for PGlite's one connection or a pooled
 * one, so it shows where a request's database time goes, not the database's own CPU.
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PGliteThread } from "../db/pglite-thread.ts";

type Totals = { count: number; ms: number };
const byShape = new Map<string, Totals>();

const shapeOf = (text: string) =>
  text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\(\$\d+(, \$\d+)*\)(, \(\$\d+(, \$\d+)*\))*/g, "(…)")
    .slice(0, 100);

function timed<A extends unknown[], R>(original: (this: unknown, ...args: A) => Promise<R>) {
  return function (this: unknown, ...args: A): Promise<R> {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
    const started = performance.now();
    const settle = () => {
      const totals = byShape.get(shapeOf(text)) ?? { count: 0, ms: 0 };
      totals.count++;
      totals.ms += performance.now() - started;
      byShape.set(shapeOf(text), totals);
    };
    const result = original.apply(this, args);
    // pg's callback form returns undefined: time only the promise form, which Kysely uses.
    if (result && typeof result.then === "function") result.then(settle, settle);
    return result;
  };
}

PGlite.prototype.query = timed(PGlite.prototype.query as never) as never;
PGlite.prototype.exec = timed(PGlite.prototype.exec as never) as never;
PGliteThread.prototype.query = timed(PGliteThread.prototype.query as never) as never;
pg.Client.prototype.query = timed(pg.Client.prototype.query as never) as never;

process.on("exit", () => {
  const rows = [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20);
  const total = rows.reduce((sum, [, t]) => sum + t.ms, 0);
  process.stderr.write(`  database wall time by statement (pid ${process.pid}, top 20, ${total.toFixed(0)} ms):\n`);
  for (const [shape, t] of rows) {
    process.stderr.write(`    ${t.ms.toFixed(0).padStart(7)} ms ${String(t.count).padStart(7)}× ${(t.ms / t.count).toFixed(2).padStart(6)} ms  ${shape}\n`);
  }
});
