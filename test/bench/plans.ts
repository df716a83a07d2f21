/**
 * Benchmark (printed, never asserted): live plans under load on one node, against bare
 * Hocuspocus (no auth, no persistence) in the same run.
 *
 *   node test/bench/plans.ts                                   (PGlite)
 *   DATABASE_URL=… node test/bench/plans.ts                    (PostgreSQL)
 *   DATABASE_URL=… BENCH_DATABASES=pglite,postgres node test/bench/plans.ts   (both, one after the other)
 *
 * DOCS documents × CLIENTS clients each, every client writing RATE updates per second
 * for SECONDS: update latency (a write on one client until another client of the
 * same document sees it) p50/p99, the ack latency (a write until its sender is told it is
 * saved: on laget once committed, collab/held-acks.ts) p50/p99, the server's memory and CPU. Bare and laget run in
 * BENCH_PAIRS (>= 3) alternating pairs (harness.ts, comparePairs), each pair's ratios
 * and their median printed with the machine's foreign CPU load during each run.
 * Targets: p99 < 50 ms and overhead < 25 % (median ratio of p99 < 1.25) on each database.
 * Under each run it prints the server's event-loop delay and utilization, the client
 * process's own event-loop delay (if that is high, the load generator is the limit, not
 * the server) and, for laget, what its snapshot stores cost: how many, each store's own
 * run time p50/p99/max, the wall time of onStoreDocument (waiting for its turn included),
 * at most how many ran and waited at once, how many requests were coalesced.
 * Then, once per database, the cost of loading a document with EDITS edits (0: skipped).
 * BENCH_PROF=1 writes a CPU profile of each server process (into BENCH_PROF_DIR, default
 * the working directory); BENCH_QUERY_TIME=1 prints each laget server's database wall time
 * by statement when it stops (server/src/testing/query-time.ts); BENCH_NODE_FLAGS="…" passes
 * Node flags to the laget server (a GC or stall logger, heap flags).
 * Defaults: 300 × 3 at 2/s for 20 s, 3 pairs; lower them on a small machine:
 *   BENCH_DOCS=100 BENCH_CLIENTS=3 BENCH_RATE=2 BENCH_SECONDS=15 BENCH_EDITS=10000 BENCH_PAIRS=3
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { addMeasure, readPlan, updateMeasure } from "@laget/plan";
import * as Y from "yjs";
import { syncStatusOf } from "../../server/src/collab/held-acks.ts";
import { connectPlan, eventually, type PlanClient } from "../../server/src/plans/test-client.ts";
import { createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn } from "../../server/src/testing/http-client.ts";
import { comparePairs, extraNodeFlags, percentile, queryTimeFlags, type Figures } from "./harness.ts";

const DOCS = Number(process.env.BENCH_DOCS ?? 300);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const EDITS = Number(process.env.BENCH_EDITS ?? 10_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const TICKS_PER_SECOND = 100;
const DATABASES = (process.env.BENCH_DATABASES ?? (process.env.DATABASE_URL ? "postgres" : "pglite")).split(",").map((d) => d.trim());
for (const d of DATABASES) {
  if (d !== "pglite" && d !== "postgres") throw new Error(`BENCH_DATABASES: pglite or postgres, not ${d}`);
  if (d === "postgres" && !process.env.DATABASE_URL) throw new Error("BENCH_DATABASES names postgres: set DATABASE_URL");
}

type QueueStats = { stores: number; runP50: number; runP99: number; runMax: number; maxRunning: number; maxQueued: number; coalesced: number; failed: number };
type ServerStats = {
  loopDelayMs: { p50: number; p99: number; max: number };
  eventLoopUtilization: number;
  stores: { count: number; totalMs: number; p50: number; p99: number; max: number; maxConcurrent: number };
  queue?: QueueStats;
  now: { documents: number; running: number; queued: number; storing: number };
};
type Server = { url: string; child: ChildProcess; /** The server's own figures since the previous call. */ stats(): Promise<ServerStats> };

async function startChild(mode: "laget" | "bare", database: string): Promise<Server> {
  // BENCH_PROF=1: a CPU profile of the server process (written on exit).
  const flags = process.env.BENCH_PROF ? ["--cpu-prof", ...(process.env.BENCH_PROF_DIR ? ["--cpu-prof-dir", process.env.BENCH_PROF_DIR] : [])] : [];
  if (mode === "laget") flags.push(...queryTimeFlags, ...extraNodeFlags);
  const child = spawn(process.execPath, [...flags, new URL("./plans-server.ts", import.meta.url).pathname, mode], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, BENCH_DB: database },
  });
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

async function stop(server: Server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await exited;
}

function usage(pid: number) {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const cpuSeconds = (Number(stat[11]) + Number(stat[12])) / TICKS_PER_SECOND;
  return { rssMb: rssKb / 1024, cpuSeconds };
}

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
  // The handshake's own acks first, so that each ack from here on answers one write.
  await eventually(() => {
    if (clients.flat().some((c) => c.provider.hasUnsyncedChanges)) throw new Error("handshake acks outstanding");
  }, 60_000);

  const latencies: number[] = [];
  // A write until its sender's ack (the server's SyncStatus: on laget, once it is committed).
  const ackLatencies: number[] = [];
  const sentAt = clients.flat().map(() => [] as number[]);
  clients.flat().forEach((c, i) => {
    c.provider.on("message", ({ event }: { event: MessageEvent }) => {
      if (syncStatusOf(new Uint8Array(event.data as ArrayBuffer)) === null) return;
      const sent = sentAt[i]!.shift();
      if (sent !== undefined) ackLatencies.push(performance.now() - sent);
    });
  });
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
      const now = performance.now();
      sentAt[i]!.push(now);
      bench.set(key, now);
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
  ackLatencies.sort((a, b) => a - b);
  return {
    ackP50: percentile(ackLatencies, 50),
    ackP99: percentile(ackLatencies, 99),
    updates: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    rssMb: after.rssMb,
    cpuPerSecond: (after.cpuSeconds - before.cpuSeconds) / elapsed,
    server: serverStats,
    clientLoopDelayMs: { p99: clientLoop.percentile(99) / 1e6, max: clientLoop.max / 1e6 },
  };
}

/** Waits until the server has stored and unloaded what the clients left (the stores on the last editor leaving), so the next run starts quiet. */
async function settled(server: Server) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await server.stats();
    if ((s.now.documents === 0 && s.now.running === 0 && s.now.queued === 0 && s.now.storing === 0) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function print(label: string, r: Awaited<ReturnType<typeof load>>) {
  const s = r.server;
  const q = s.queue;
  console.log(
    `  ${label.padEnd(5)} server event loop: delay p50=${s.loopDelayMs.p50} p99=${s.loopDelayMs.p99} max=${s.loopDelayMs.max} ms, utilization ${(s.eventLoopUtilization * 100).toFixed(0)} %; ` +
      `client event loop delay p99=${r.clientLoopDelayMs.p99.toFixed(1)} max=${r.clientLoopDelayMs.max.toFixed(1)} ms; rss ${r.rssMb.toFixed(0)} MB`,
  );
  if (q) {
    console.log(
      `  ${"".padEnd(5)} stores ${q.stores}: run p50 ${q.runP50} ms, p99 ${q.runP99} ms, max ${q.runMax} ms; at most ${q.maxRunning} running and ${q.maxQueued} queued at once; ` +
        `${q.coalesced} coalesced, ${q.failed} failed; onStoreDocument wall (turn included) p50 ${s.stores.p50} ms, p99 ${s.stores.p99} ms, max ${s.stores.max} ms`,
    );
  }
}

const figures = (r: Awaited<ReturnType<typeof load>>): Figures => ({
  p50: r.p50,
  p99: r.p99,
  max: r.max,
  ackP50: r.ackP50,
  ackP99: r.ackP99,
  updates: r.updates,
  cpu: r.cpuPerSecond * 100,
  rssMb: r.rssMb,
  ...(r.server.queue
    ? { stores: r.server.queue.stores, storeP50: r.server.queue.runP50, storeP99: r.server.queue.runP99, storeMax: r.server.queue.runMax, storesAtOnce: r.server.queue.maxRunning, storesQueued: r.server.queue.maxQueued, coalesced: r.server.queue.coalesced }
    : {}),
});

async function heavyLoad(laget: Server, cookie: string, heavyCase: string) {
  // A document with EDITS edits: written live, stored, unloaded, then loaded cold.
  const writer = connectPlan(laget.url, cookie, heavyCase);
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
    const reader = connectPlan(laget.url, cookie, heavyCase);
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
    `load      ${EDITS} edits: state ${(stateBytes / 1024).toFixed(1)} KiB; cold open (connect→synced, from the database) median ${percentile(loads, 50).toFixed(1)} ms, max ${loads.at(-1)!.toFixed(1)} ms; Yjs decode alone ${decodeMs.toFixed(1)} ms`,
  );
}

console.log(`plans benchmark: ${DOCS} documents × ${CLIENTS} clients × ${RATE} updates/s for ${SECONDS} s, ${PAIRS} pairs; on ${DATABASES.join(" and ")}; load of a ${EDITS}-edit document`);

const summary: string[] = [];
for (const database of DATABASES) {
  const laget = await startChild("laget", database);
  const bare = await startChild("bare", database);
  try {
    const teacher = await signedIn(laget.url, "koordinator@demo.laget.no", "laget-demo-2026");
    const units = await unitIdsByName(teacher);
    const caseIds: string[] = [];
    for (let i = 0; i < DOCS + 1; i++) caseIds.push((await createChildCase(teacher, units["Fjellheim skole"]!, `Barn ${i}`)).caseId);
    const heavyCase = caseIds.pop()!;
    const names = caseIds.map((id) => `plan:${id}`);
    console.log(`\n${database}: laget idle server rss=${usage(laget.child.pid!).rssMb.toFixed(0)} MB, bare ${usage(bare.child.pid!).rssMb.toFixed(0)} MB`);

    const result = await comparePairs({
      title: `plans on ${database}, ${DOCS} × ${CLIENTS} × ${RATE}/s for ${SECONDS} s`,
      pairs: PAIRS,
      bare: async () => {
        const r = await load(bare, names, null);
        print("bare", r);
        await settled(bare);
        return figures(r);
      },
      laget: async () => {
        const r = await load(laget, names, teacher.cookie);
        print("laget", r);
        await settled(laget);
        return figures(r);
      },
      ratios: [
        { key: "p99", better: "lower" },
        { key: "p50", better: "lower" },
        { key: "cpu", better: "lower" },
      ],
    });
    const p99 = result.medianLaget.p99!;
    const overhead = result.medianRatios.p99! - 1;
    const foreign = Math.max(...result.pairs.flatMap((p) => [p.bare.foreignCores!, p.laget.foreignCores!]));
    const verdict =
      `${database}: median laget p99 ${p99.toFixed(1)} ms (target < 50: ${p99 < 50 ? "met" : "NOT met"}), ` +
      `p99 overhead over bare ${(overhead * 100).toFixed(0)} % (target < 25 %: ${overhead < 0.25 ? "met" : "NOT met"}), ` +
      `p50 overhead ${((result.medianRatios.p50! - 1) * 100).toFixed(0)} %; foreign load up to ${foreign.toFixed(2)} cores`;
    console.log(verdict);
    summary.push(verdict);
    if (EDITS > 0) await heavyLoad(laget, teacher.cookie!, heavyCase);
  } finally {
    await Promise.all([stop(laget), stop(bare)]);
  }
}
console.log(`\n${summary.join("\n")}`);
process.exit(0);
