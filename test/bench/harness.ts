/**
 * What every benchmark shares: percentiles, the machine's foreign CPU load during a run,
 * and Laget measured against its bare baseline in alternating pairs within one run, so
 * the ratio (not the absolute figure, which a noisy neighbour moves) is what a run says.
 * Printed, never asserted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { sql } from "kysely";
import type { Db } from "../../server/src/db/connect.ts";

/**
 * BENCH_QUERY_TIME=1: the node flags that load server/src/testing/query-time.ts into a Laget
 * server process, which then prints its database wall time by statement when it exits.
 */
export const queryTimeFlags: readonly string[] = process.env.BENCH_QUERY_TIME
  ? ["--import", new URL("../../server/src/testing/query-time.ts", import.meta.url).pathname]
  : [];

/** BENCH_NODE_FLAGS="…": more Node flags for a Laget server process (a GC or stall logger, heap flags). */
export const extraNodeFlags: readonly string[] = process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];

/**
 * Before each run on PostgreSQL: the earlier runs' dead rows vacuumed and their dirty pages
 * written now, so that no run pays for another. This PostgreSQL runs without autovacuum,
 * and a spread checkpoint of an earlier run's writes (minutes long) otherwise lands in the
 * middle of a later one. BENCH_SETTLE=0 leaves the database as the runs leave it.
 */
export async function settleDatabase(db: Db): Promise<void> {
  if (process.env.BENCH_SETTLE === "0") return;
  const started = performance.now();
  await sql`vacuum analyze`.execute(db);
  // A superuser's statement; without the right the runs go on unsettled.
  const checkpointed = await sql`checkpoint`.execute(db).then(() => true, () => false);
  console.log(`  database settled in ${((performance.now() - started) / 1000).toFixed(1)} s (vacuum analyze${checkpointed ? ", checkpoint" : "; checkpoint not permitted"})`);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Besides this process tree (the bench and the servers it starts), what it talks to.
const SERVICES = new Set(["postgres", "redis-server"]);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineBusyTicks(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  return cpu.reduce((a, b) => a + b, 0) - cpu[3]! - (cpu[4] ?? 0);
}

/** CPU ticks of every process that is ours: this tree, and the database and cache it talks to. */
function oursTicks(): number {
  const procs = new Map<number, { ppid: number; name: string; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      // After the name: state, ppid, …; utime and stime are the 14th and 15th fields of the line.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // This process also counts what its exited children used (cutime, cstime): a server a run stopped is still ours.
      const reaped = Number(entry) === process.pid ? Number(fields[13]) + Number(fields[14]) : 0;
      procs.set(Number(entry), { ppid: Number(fields[1]), name, ticks: Number(fields[11]) + Number(fields[12]) + reaped });
    } catch {
      // The process ended between readdir and read.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === process.pid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, p] of procs) if (SERVICES.has(p.name) || p.name.startsWith("postgres") || inTree(pid)) ticks += p.ticks;
  return ticks;
}

/** CPU seconds a process has used so far (0 once it is gone). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds every PostgreSQL process has used so far (the database's share of a run). */
export function databaseCpuSeconds(): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (!stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).startsWith("postgres")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

export type CpuWindow = { stop(): { machineCores: number; foreignCores: number; seconds: number } };

/**
 * Starts watching the machine: on stop, how many cores were busy in all, and how many of
 * them with work that is not ours (not this process tree, PostgreSQL or Redis). A run with
 * foreign load above a few tenths of a core is a noisy run.
 */
export function watchCpu(): CpuWindow {
  const started = performance.now();
  const busy0 = machineBusyTicks();
  const ours0 = oursTicks();
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const busy = (machineBusyTicks() - busy0) / TICKS_PER_SECOND;
      const ours = (oursTicks() - ours0) / TICKS_PER_SECOND;
      return { machineCores: busy / seconds, foreignCores: Math.max(0, busy - ours) / seconds, seconds };
    },
  };
}

export type Figures = Record<string, number>;
export type Ratio = { key: string; /** What a good run does to the figure: lower latency, higher throughput. */ better: "lower" | "higher" };

export type PairsResult = {
  pairs: { bare: Figures; laget: Figures; ratios: Figures }[];
  medianRatios: Figures;
  medianLaget: Figures;
  medianBare: Figures;
};

const fmt = (n: number) => (Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2)) : String(n));
const line = (f: Figures) => Object.entries(f).map(([k, v]) => `${k}=${fmt(v)}`).join("  ");

/**
 * Runs `bare` and `laget` in alternating order (bare first, then laget first, …) for
 * `pairs` pairs and prints each run, each pair's ratios (laget / bare) and their median,
 * with the foreign CPU load during each run. Each runner returns its figures.
 */
export async function comparePairs(options: {
  title: string;
  pairs?: number;
  bare: (pair: number) => Promise<Figures>;
  laget: (pair: number) => Promise<Figures>;
  ratios: readonly Ratio[];
}): Promise<PairsResult> {
  const pairs = Math.max(3, options.pairs ?? 3);
  console.log(`\n== ${options.title}: ${pairs} alternating pairs, laget / bare (${os.cpus().length} cores)`);
  const result: PairsResult["pairs"] = [];
  for (let i = 0; i < pairs; i++) {
    const order: ("bare" | "laget")[] = i % 2 === 0 ? ["bare", "laget"] : ["laget", "bare"];
    const figures: Partial<Record<"bare" | "laget", Figures>> = {};
    for (const which of order) {
      const cpu = watchCpu();
      const f = await options[which](i);
      const load = cpu.stop();
      figures[which] = { ...f, machineCores: load.machineCores, foreignCores: load.foreignCores };
      console.log(`pair ${i + 1} ${which.padEnd(5)} ${line(figures[which]!)}`);
    }
    const ratios: Figures = {};
    for (const r of options.ratios) ratios[r.key] = figures.laget![r.key]! / figures.bare![r.key]!;
    console.log(`pair ${i + 1} ratio ${line(ratios)}`);
    result.push({ bare: figures.bare!, laget: figures.laget!, ratios });
  }
  const medianOf = (pick: (p: PairsResult["pairs"][number]) => Figures) => {
    const keys = Object.keys(pick(result[0]!));
    return Object.fromEntries(keys.map((k) => [k, median(result.map((p) => pick(p)[k]!))]));
  };
  const out: PairsResult = { pairs: result, medianRatios: medianOf((p) => p.ratios), medianLaget: medianOf((p) => p.laget), medianBare: medianOf((p) => p.bare) };
  console.log(`median laget ${line(out.medianLaget)}`);
  console.log(`median bare  ${line(out.medianBare)}`);
  console.log(`median ratio ${line(out.medianRatios)}`);
  return out;
}

/** A bare baseline in a process of its own (a script printing "listening on <url>"): resolves with its URL once it listens. */
export async function startBareProcess(args: readonly string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`bare baseline ${args.join(" ")} exited with ${code}`)));
  });
  return { child, url };
}
