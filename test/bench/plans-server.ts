/**
 * The server side of the plans benchmark, in a process of its own so its memory and
 * CPU can be measured: `laget` is the real server (auth, decide(), persistence,
 * projection, audit) over a fresh database; `bare` is Hocuspocus alone on the same
 * `ws` integration, with no auth and no persistence. Prints one JSON line when ready.
 *
 * On SIGUSR2 it prints one more JSON line, `{"stats":…}`, with what happened since the
 * previous one: the event-loop delay (how long a ready callback waited), the event-loop
 * utilization, and (laget) every onStoreDocument: how many, how long (wall time, waiting
 * for its turn included), how many at once; and the node's store queue: each store's own
 * run time, at most how many ran and waited at once, how many requests were coalesced,
 * how many failed, and what is open, running and queued right now (for the bench to wait
 * until the server has settled before the next run).
 *
 * BENCH_DB=pglite|postgres chooses the database (default: PostgreSQL when DATABASE_URL is set).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from "node:perf_hooks";
import { Hocuspocus, type Extension } from "@hocuspocus/server";
import { WebSocketServer } from "ws";
import { parseConfig } from "../../server/src/config.ts";
import { createLogger } from "../../server/src/log.ts";
import { startServer, type RunningServer } from "../../server/src/server.ts";
import { createTestDb } from "../../server/src/testing/test-db.ts";

const mode = process.argv[2] ?? "laget";

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
let elu: EventLoopUtilization = performance.eventLoopUtilization();
let stores: number[] = [];
let storing = 0;
let maxStoring = 0;
let running: RunningServer | undefined;

/** Times every onStoreDocument of the given extension (wall time, including waiting for the database). */
function timeStores(extension: Extension | undefined) {
  const inner = extension?.onStoreDocument?.bind(extension);
  if (!extension || !inner) throw new Error("no persistence extension to time");
  extension.onStoreDocument = async (payload) => {
    const t = performance.now();
    storing++;
    maxStoring = Math.max(maxStoring, storing);
    try {
      return await inner(payload);
    } finally {
      storing--;
      stores.push(performance.now() - t);
    }
  };
}

process.on("SIGUSR2", () => {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const sorted = stores.sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  const queue = running?.liveDocuments.storeQueue.resetStats();
  const runs = (queue?.durations ?? []).sort((a, b) => a - b);
  const runAt = (p: number) => Math.round(runs[Math.min(runs.length - 1, Math.floor(p * runs.length))] ?? 0);
  const stats = {
    loopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    eventLoopUtilization: Math.round(performance.eventLoopUtilization(elu).utilization * 100) / 100,
    stores: { count: sorted.length, totalMs: Math.round(sorted.reduce((a, b) => a + b, 0)), p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0), maxConcurrent: maxStoring },
    queue: queue && {
      stores: queue.stores,
      runP50: runAt(0.5),
      runP99: runAt(0.99),
      runMax: Math.round(runs.at(-1) ?? 0),
      maxRunning: queue.maxRunning,
      maxQueued: queue.maxQueued,
      coalesced: queue.coalesced,
      failed: queue.failed,
    },
    now: { documents: running?.liveDocuments.hocuspocus.documents.size ?? 0, running: queue?.running ?? 0, queued: queue?.queued ?? 0, storing },
  };
  process.stdout.write(`${JSON.stringify({ stats })}\n`);
  loopDelay.reset();
  elu = performance.eventLoopUtilization();
  stores = [];
  maxStoring = storing;
});

if (mode === "bare") {
  const hocuspocus = new Hocuspocus({ quiet: true });
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => res.end());
  server.on("upgrade", (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = hocuspocus.handleConnection(ws, new Request(`http://${request.headers.host}${request.url}`, { headers: request.headers as Record<string, string> }));
      ws.on("message", (data: Buffer) => connection.handleMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      ws.on("close", (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    });
  });
  // Exit, not die of the signal: BENCH_PROF's profile is written on exit.
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
  server.listen(0, () => process.stdout.write(`${JSON.stringify({ url: `http://localhost:${(server.address() as AddressInfo).port}` })}\n`));
} else {
  const kind = process.env.BENCH_DB === "pglite" || process.env.BENCH_DB === "postgres" ? process.env.BENCH_DB : process.env.DATABASE_URL ? "postgres" : "pglite";
  const testDb = await createTestDb(kind);
  running = await startServer({
    config: parseConfig({ NODE_ENV: "test", PORT: "0", LAGET_DEMO: "on" }),
    log: createLogger("warn"),
    db: testDb.db,
  });
  timeStores(running.liveDocuments.hocuspocus.configuration.extensions.find((e) => e.extensionName === "laget-persistence"));
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  process.once("SIGTERM", () => void running!.close().then(() => testDb.close()).then(() => process.exit(0)));
}
