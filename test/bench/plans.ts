/**
 * Benchmark (printed, never asserted): live plans under load on one node.
 *
 *   node test/bench/plans.ts            (PGlite)   or with DATABASE_URL=… (PostgreSQL)
 *
 * DOCS documents × CLIENTS clients each, every client writing RATE updates per second
 * for SECONDS: update latency (a write on one client until another client of the
 * same document sees it) p50/p99, the server's memory and CPU; the cost of loading a
 * document with EDITS edits; then the same load against bare Hocuspocus (no auth, no
 * persistence), reported as ratios. Targets: p99 < 50 ms, overhead < 25 %.
 * Under each run it prints the server's event-loop delay and utilization, the client
 * process's own event-loop delay (if that is high, the load generator is the limit, not
 * the server) and, for laget, every onStoreDocument in the window (count, wall time, how
 * many at once). BENCH_PROF=1 writes a CPU profile of each server process.
 * Defaults: 300 × 3 at 2/s for 20 s; lower them on a small machine:
 *   BENCH_DOCS=100 BENCH_CLIENTS=3 BENCH_RATE=2 BENCH_SECONDS=15 BENCH_EDITS=10000
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { addMeasure, readPlan, updateMeasure } from "@laget/plan";
import * as Y from "yjs";
import { connectPlan, eventually, type PlanClient } from "../../server/src/plans/test-client.ts";
import { createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn } from "../../server/src/testing/http-client.ts";

const DOCS = Number(process.env.BENCH_DOCS ?? 300);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const EDITS = Number(process.env.BENCH_EDITS ?? 10_000);
const TICKS_PER_SECOND = 100;

type ServerStats = {
  loopDelayMs: { p50: number; p99: number; max: number };
  eventLoopUtilization: number;
  stores: { count: number; totalMs: number; p50: number; p99: number; max: number; maxConcurrent: number };
};
type Server = { url: string; child: ChildProcess; /** The server's own figures since the previous call. */ stats(): Promise<ServerStats> };

async function startChild(mode: "laget" | "bare"): Promise<Server> {
  // BENCH_PROF=1: a CPU profile of the server process (written to the working directory on exit).
  const flags = process.env.BENCH_PROF ? ["--cpu-prof"] : [];
  const child = spawn(process.execPath, [...flags, new URL("./plans-server.ts", import.meta.url).pathname, mode], { stdio: ["ignore", "pipe", "inherit"], env: process.env });
  const waiting: ((s: ServerStats) => void)[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines.filter((l) => l.startsWith("{"))) {
        const message = JSON.parse(line) as { url?: string; stats?: ServerStats };
        if (message.url) resolve(message.url);
        if (message.stats) waiting.shift()?.(message.stats);
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  return {
    url,
    child,
    stats: () =>
      new Promise<ServerStats>((resolve) => {
        waiting.push(resolve);
        child.kill("SIGUSR2");
      }),
  };
}

function usage(pid: number) {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const cpuSeconds = (Number(stat[11]) + Number(stat[12])) / TICKS_PER_SECOND;
  return { rssMb: rssKb / 1024, cpuSeconds };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function load(server: Server, docNames: string[], cookie: string | null) {
  const clients: PlanClient[][] = [];
  for (const name of docNames) {
    const group: PlanClient[] = [];
    for (let i = 0; i < CLIENTS; i++) group.push(connectPlan(server.url, cookie, "", { name }));
    clients.push(group);
    // Connect in small batches so the handshakes do not all land at once.
    if (clients.length % 25 === 0) await Promise.all(clients.slice(-25).flat().map((c) => c.ready));
  }
  await Promise.all(clients.flat().map((c) => c.ready));

  const latencies: number[] = [];
  for (const group of clients) {
    for (const c of group) {
      const bench = c.doc.getMap<number>("bench");
      bench.observe((event) => {
        if (event.transaction.local) return;
        const now = performance.now();
        for (const key of event.keysChanged) latencies.push(now - bench.get(key)!);
      });
    }
  }
  // Only other clients of the same document count: each write is seen CLIENTS-1 times.
  const before = usage(server.child.pid!);
  await server.stats();
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  clientLoop.enable();
  const started = performance.now();
  const interval = 1000 / RATE;
  const timers = clients.flat().map((c, i) => {
    const key = `c${i}`;
    const bench = c.doc.getMap<number>("bench");
    return setTimeout(function tick() {
      bench.set(key, performance.now());
      timers[i] = setTimeout(tick, interval);
    }, Math.random() * interval);
  });
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  timers.forEach((t) => clearTimeout(t));
  const elapsed = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  clientLoop.disable();
  const after = usage(server.child.pid!);
  const serverStats = await server.stats();
  for (const c of clients.flat()) c.destroy();
  latencies.sort((a, b) => a - b);
  return {
    updates: latencies.length,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    rssMb: after.rssMb,
    cpuPerSecond: (after.cpuSeconds - before.cpuSeconds) / elapsed,
    server: serverStats,
    clientLoopDelayMs: { p99: clientLoop.percentile(99) / 1e6, max: clientLoop.max / 1e6 },
  };
}

function print(label: string, r: Awaited<ReturnType<typeof load>>) {
  console.log(
    `${label.padEnd(10)} updates seen=${r.updates}  p50=${r.p50.toFixed(2)} ms  p99=${r.p99.toFixed(2)} ms  max=${r.max.toFixed(1)} ms  ` +
      `server rss=${r.rssMb.toFixed(0)} MB  server cpu=${(r.cpuPerSecond * 100).toFixed(0)} % of a core`,
  );
  const s = r.server;
  console.log(
    `${"".padEnd(10)} server event loop: delay p50=${s.loopDelayMs.p50} p99=${s.loopDelayMs.p99} max=${s.loopDelayMs.max} ms, utilization ${(s.eventLoopUtilization * 100).toFixed(0)} %; ` +
      `client event loop delay p99=${r.clientLoopDelayMs.p99.toFixed(1)} max=${r.clientLoopDelayMs.max.toFixed(1)} ms` +
      (s.stores.count ? `; stores ${s.stores.count} (p50 ${s.stores.p50} ms, p99 ${s.stores.p99} ms, max ${s.stores.max} ms, at most ${s.stores.maxConcurrent} at once)` : ""),
  );
}

console.log(`plans benchmark: ${DOCS} documents × ${CLIENTS} clients × ${RATE} updates/s for ${SECONDS} s; load of a ${EDITS}-edit document`);

const laget = await startChild("laget");
try {
  const teacher = await signedIn(laget.url, "koordinator@demo.laget.no", "laget-demo-2026");
  const units = await unitIdsByName(teacher);
  const caseIds: string[] = [];
  for (let i = 0; i < DOCS + 1; i++) caseIds.push((await createChildCase(teacher, units["Fjellheim skole"]!, `Barn ${i}`)).caseId);
  const heavyCase = caseIds.pop()!;
  const idle = usage(laget.child.pid!);
  console.log(`laget     idle server rss=${idle.rssMb.toFixed(0)} MB`);
  const lagetResult = await load(laget, caseIds.map((id) => `plan:${id}`), teacher.cookie);
  print("laget", lagetResult);

  // A document with EDITS edits: written live, stored, unloaded, then loaded cold.
  const writer = connectPlan(laget.url, teacher.cookie, heavyCase);
  await writer.ready;
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) ids.push(addMeasure(writer.doc, { title: `Tiltak ${i}` }));
  for (let i = 0; i < EDITS - 100; i++) updateMeasure(writer.doc, ids[i % ids.length]!, { description: `Endring ${i}`, status: i % 2 ? "in_progress" : "planned" });
  await eventually(() => {
    if (writer.provider.hasUnsyncedChanges) throw new Error("unsynced");
  }, 60_000);
  const stateBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
  writer.destroy();
  await new Promise((r) => setTimeout(r, 3_000));
  const loads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const reader = connectPlan(laget.url, teacher.cookie, heavyCase);
    await reader.ready;
    loads.push(performance.now() - t);
    if (readPlan(reader.doc).measures.length !== 100) throw new Error("document not restored");
    reader.destroy();
    await new Promise((r) => setTimeout(r, 1_500));
  }
  const decode = performance.now();
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(writer.doc));
  const decodeMs = performance.now() - decode;
  loads.sort((a, b) => a - b);
  console.log(
    `load      ${EDITS} edits: state ${(stateBytes / 1024).toFixed(1)} KiB; cold open (connect→synced, from the database) median ${pct(loads, 50).toFixed(1)} ms, max ${loads.at(-1)!.toFixed(1)} ms; Yjs decode alone ${decodeMs.toFixed(1)} ms`,
  );
  laget.child.kill("SIGTERM");

  const bare = await startChild("bare");
  try {
    const bareResult = await load(bare, caseIds.map((id) => `plan:${id}`), null);
    print("bare", bareResult);
    const ratio = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(0)} %`;
    console.log(
      `overhead  laget vs bare: p50 ${ratio(lagetResult.p50, bareResult.p50)}, p99 ${ratio(lagetResult.p99, bareResult.p99)}, ` +
        `server cpu ${ratio(lagetResult.cpuPerSecond, bareResult.cpuPerSecond)}, rss ${ratio(lagetResult.rssMb, bareResult.rssMb)} (includes the database engine when PGlite)`,
    );
  } finally {
    bare.child.kill("SIGTERM");
  }
} finally {
  if (laget.child.exitCode === null) laget.child.kill("SIGTERM");
}
process.exit(0);
