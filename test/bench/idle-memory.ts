/**
 * Benchmark (printed, never asserted): the memory of an idle embedded server.
 *
 *   node test/bench/idle-memory.ts          (pnpm bench:idle)
 *
 * `laget` is the real entry point (server/src/main.ts, what `pnpm start` runs) on the
 * embedded default: no DATABASE_URL, PGlite in-process in a fresh data directory, the
 * demo municipality seeded. It logs in once as the demo coordinator (so the usual startup
 * paths are warm), then stays idle; then it is stopped and started again on the same data
 * directory (a restart: no initdb, no migrations, no seeding), logs in and stays idle again.
 * `bare` is a minimal Hono server over an in-memory PGlite with PGlite's defaults and
 * nothing else. For each: RSS when listening, the peak (VmHWM) and RSS after the idle time,
 * from /proc/<pid>/status, and at the end of the idle time what process.memoryUsage() says
 * inside the process (heapUsed, external, arrayBuffers; PGlite's WebAssembly memory is
 * external), read through a preloaded SIGUSR2 handler (memory-probe.ts). laget's figures
 * without a prefix are the fresh start's, `restart…` the restart's. Target: laget under
 * 250 MB after 30 s idle, both fresh and restarted. Alternating pairs, with the machine's
 * foreign CPU load.
 * Knobs: BENCH_IDLE_SECONDS (30), BENCH_PAIRS (3).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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

const probe = fileURLToPath(new URL("./memory-probe.ts", import.meta.url));
const MB = 1024 * 1024;

/** process.memoryUsage() inside the child, in MB, through memory-probe.ts (the child's output since `read`). */
async function usageOf(child: ChildProcess, read: () => string): Promise<Figures> {
  const from = read().length;
  child.kill("SIGUSR2");
  for (let waited = 0; waited < 5_000; waited += 20) {
    const m = /memory-usage (\{.*\})/.exec(read().slice(from));
    if (m) {
      const u = JSON.parse(m[1]!) as NodeJS.MemoryUsage;
      return { heapUsedMb: u.heapUsed / MB, heapTotalMb: u.heapTotal / MB, externalMb: u.external / MB, arrayBuffersMb: u.arrayBuffers / MB };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no memory-usage line from the probe within 5 s");
}

async function idle(child: ChildProcess, warm: () => Promise<void>, read?: () => string): Promise<Figures> {
  const pid = child.pid!;
  const startMb = memory(pid).rssMb;
  await warm();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const after = memory(pid);
  return { startMb, peakMb: after.peakMb, idleMb: after.rssMb, ...(read ? await usageOf(child, read) : {}) };
}

/** The environment `pnpm start` puts before `node` (MALLOC_ARENA_MAX), read from its script so the two cannot drift. */
function startScriptEnv(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: { start: string } };
  const command = pkg.scripts.start.split("&&").at(-1)!.trim();
  return Object.fromEntries([...command.matchAll(/(?:^|\s)([A-Z_]+)=(\S+)(?=\s)/g)].map((m) => [m[1]!, m[2]!]));
}

/** One start of the real entry point on `dataDir`, logged in once, idle. */
async function lagetRun(dataDir: string): Promise<Figures> {
  const { child, url, output } = await startChildServer({ ...startScriptEnv(), DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: dataDir, LAGET_DEMO: "1" }, ["--import", probe]);
  try {
    return await idle(
      child,
      async () => {
        const client = await signedIn(url, "koordinator@demo.laget.no", "laget-demo-2026");
        void client;
      },
      output,
    );
  } finally {
    await stopChildServer(child);
  }
}

async function laget(): Promise<Figures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "laget-idle-"));
  try {
    const fresh = await lagetRun(dataDir);
    const restart = await lagetRun(dataDir);
    const prefixed = Object.entries(restart).map(([k, v]) => [`restart${k[0]!.toUpperCase()}${k.slice(1)}`, v]);
    return { ...fresh, ...Object.fromEntries(prefixed) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bare(): Promise<Figures> {
  const { child, url } = await startBareProcess(["--import", probe, import.meta.filename, "bare"]);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  try {
    return await idle(
      child,
      async () => {
        await (await fetch(url)).text();
      },
      () => out,
    );
  } finally {
    await stopChildServer(child);
  }
}

if (process.argv[2] === "bare") {
  await runBare();
} else {
  console.log(`Idle embedded server: RSS when listening, peak (VmHWM) and after ${IDLE_SECONDS} s idle, in MB; target < ${TARGET_MB} MB`);
  const result = await comparePairs({
    title: `idle memory after ${IDLE_SECONDS} s (laget: pnpm start's entry point on embedded PGlite with the demo, fresh then restarted; bare: Hono + in-memory PGlite)`,
    pairs: PAIRS,
    bare,
    laget,
    ratios: [
      { key: "idleMb", better: "lower" },
      { key: "peakMb", better: "lower" },
    ],
  });
  const m = result.medianLaget;
  console.log();
  for (const [label, prefix] of [["fresh start", ""], ["restart", "restart"]] as const) {
    const key = (k: string) => (prefix ? `${prefix}${k[0]!.toUpperCase()}${k.slice(1)}` : k);
    const idleMb = m[key("idleMb")]!;
    const maxIdle = Math.max(...result.pairs.map((p) => p.laget[key("idleMb")]!));
    console.log(`laget ${label} idle after ${IDLE_SECONDS} s: median ${idleMb.toFixed(0)} MB (max ${maxIdle.toFixed(0)} MB) against the target ${TARGET_MB} MB: ${idleMb < TARGET_MB ? "met" : "NOT met"}`);
    console.log(`  peak ${m[key("peakMb")]!.toFixed(0)} MB; at ${IDLE_SECONDS} s: rss ${idleMb.toFixed(0)}, heapUsed ${m[key("heapUsedMb")]!.toFixed(0)}, heapTotal ${m[key("heapTotalMb")]!.toFixed(0)}, external ${m[key("externalMb")]!.toFixed(0)}, arrayBuffers ${m[key("arrayBuffersMb")]!.toFixed(0)} MB (medians)`);
  }
}
