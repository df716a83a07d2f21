/**
 * The embedded database's own thread (see pglite-thread.ts): opens PGlite as workerData
 * says and answers each query message in turn. Only erasable TypeScript here: Node loads
 * this file itself, outside any bundler.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { pgliteStartParams, typeParsers } from "./pglite-options.ts";
import type { ThreadOpen, ThreadReply, ThreadRequest } from "./pglite-thread.ts";

const port = parentPort!;
const open = workerData as ThreadOpen;

/** What a PostgreSQL error carries beyond its message (code, constraint, detail, …). */
function errorFields(err: unknown): ThreadReply & { ok: false } {
  const e = err instanceof Error ? err : new Error(String(err));
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(e)) if (typeof value === "string" || typeof value === "number") fields[key] = value;
  return { ok: false, id: 0, message: e.message, name: e.name, fields };
}

try {
  const pglite = await PGlite.create(open.dataDir, {
    parsers: typeParsers,
    loadDataDir: open.loadDataDir ? new Blob([open.loadDataDir]) : undefined,
    startParams: pgliteStartParams(),
  });
  port.on("message", (request: ThreadRequest) => {
    if (request.op === "close") {
      void pglite.close().finally(() => {
        port.postMessage({ ok: true, id: request.id, rows: [] } satisfies ThreadReply);
        port.close();
      });
      return;
    }
    // PGlite runs one query at a time; the dialect keeps a transaction's queries together.
    pglite.query(request.sql, request.params).then(
      (result) => port.postMessage({ ok: true, id: request.id, rows: result.rows, affectedRows: result.affectedRows } satisfies ThreadReply),
      (err: unknown) => port.postMessage({ ...errorFields(err), id: request.id }),
    );
  });
  port.postMessage({ ok: true, id: 0, rows: [] } satisfies ThreadReply);
} catch (err) {
  port.postMessage(errorFields(err));
}
