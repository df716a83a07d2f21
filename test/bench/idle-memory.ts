/**
 * Benchmark (printed, never asserted): the memory of an idle embedded server.
 *
 *   node test/bench/idle-memory.ts          (pnpm bench:idle)
 *
 * `laget` is the real entry point (server/src/main.ts, what `pnpm start` runs) on the
 * embedded default: no DATABASE_URL, PGlite in-process in a fresh data directory, the
 * demo municipality seeded. It logs in once as the demo coordinator (so the usual startup
 * paths are warm), then stays idle. `bare` is a minimal Hono server over an in-memory
 * PGlite with PGlite's defaults and nothing else. For each: RSS when listening, the peak
 * (VmHWM) and RSS after the idle time, from /proc/<pid>/status. Target: laget under
 * 250 MB after 30 s idle. Alternating pairs, with the machine's foreign CPU load.
 * Knobs: BENCH_IDLE_SECONDS (30), BENCH_PAIRS (3).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startChildServer, stopChildServer } from "../../server/src/testing/child-server.ts";
import { signedIn } from "../../server/src/testing/http-client.ts";
import { comparePairs, startBareProcess, type Figures } from "./harness.ts";

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const TARGET_MB = 250;

// The bare server's packages are the server's (the test package does not depend on them).
const serverRequire = createRequire(new URL("../../server/package.json", import.meta.url));
const importFromServer = (name: string) => import(pathToFileURL(serverRequire.resolve(name)).href);

type BareModules = {
  pglite: { PGlite: { create(dataDir?: string): Promise<{ query(sql: string): Promise<unknown> }> } };
  hono: { Hono: new () => { get(path: string, handler: (c: { json(v: unknown): Response }) => Response | Promise<Response>): void; fetch: (r: Request) => Response | Promise<Response> } };
  node: { serve(options: { fetch: (r: Request) => Response | Promise<Response>; port: number }, ready: (info: { port: number }) => void): unknown };
};

/** The bare baseline, in this file's own child process: `node idle-memory.ts bare`. */
async function runBare() {
  const { PGlite } = (await importFromServer("@electric-sql/pglite")) as BareModules["pglite"];
  const { Hono } = (await importFromServer("hono")) as BareModules["hono"];
  const { serve } = (await importFromServer("@hono/node-server")) as BareModules["node"];
  const db = await PGlite.create();
  const app = new Hono();
  app.get("/", async (c) => c.json(await db.query("select 1 as ok")));
  serve({ fetch: app.fetch, port: 0 }, (info) => console.log(`listening on http://localhost:${info.port}`));
}

function memory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

async function idle(child: ChildProcess, warm: () => Promise<void>): Promise<Figures> {
  const pid = child.pid!;
  const startMb = memory(pid).rssMb;
  await warm();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const after = memory(pid);
  return { startMb, peakMb: after.peakMb, idleMb: after.rssMb };
}

async function laget(): Promise<Figures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "laget-idle-"));
  const { child, url } = await startChildServer({ DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: dataDir, LAGET_DEMO: "1" });
  try {
    return await idle(child, async () => {
      const client = await signedIn(url, "koordinator@demo.laget.no", "laget-demo-2026");
      void client;
    });
  } finally {
    await stopChildServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bare(): Promise<Figures> {
  const { child, url } = await startBareProcess([import.meta.filename, "bare"]);
  try {
    return await idle(child, async () => {
      await (await fetch(url)).text();
    });
  } finally {
    await stopChildServer(child);
  }
}

if (process.argv[2] === "bare") {
  await runBare();
} else {
  console.log(`Idle embedded server: RSS when listening, peak (VmHWM) and after ${IDLE_SECONDS} s idle, in MB; target < ${TARGET_MB} MB`);
  const result = await comparePairs({
    title: `idle memory after ${IDLE_SECONDS} s (laget: pnpm start's entry point on embedded PGlite with the demo; bare: Hono + in-memory PGlite)`,
    pairs: PAIRS,
    bare,
    laget,
    ratios: [
      { key: "idleMb", better: "lower" },
      { key: "peakMb", better: "lower" },
    ],
  });
  const idleMb = result.medianLaget.idleMb!;
  console.log(`\nlaget idle after ${IDLE_SECONDS} s: median ${idleMb.toFixed(0)} MB (max ${Math.max(...result.pairs.map((p) => p.laget.idleMb!)).toFixed(0)} MB) against the target ${TARGET_MB} MB: ${idleMb < TARGET_MB ? "met" : "NOT met"}`);
  console.log(`laget peak: median ${result.medianLaget.peakMb!.toFixed(0)} MB`);
}
