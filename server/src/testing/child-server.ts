import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { testAuditKey } from "../audit/key.ts";

/** The repository root: child servers run the real entry point from there. */
const root = path.resolve(import.meta.dirname, "../../..");

export type ChildServer = { child: ChildProcess; url: string; output: () => string };

/**
 * The timeout of a test that starts the real server in a child process (migrations, the
 * demo seed) before it measures anything: tens of seconds on a slow, busy CI machine.
 */
export const CHILD_SERVER_TEST_TIMEOUT_MS = 120_000;

/**
 * The real entry point (`server/src/main.ts`, what `pnpm start` runs) in a process of
 * its own, with the given environment on top of this one; resolves once it listens.
 * For what a test must do to a process rather than to a server object: SIGTERM, SIGKILL.
 */
export async function startChildServer(env: Record<string, string | undefined>, nodeArgs: readonly string[] = []): Promise<ChildServer> {
  // The test process's audit key, so a child over a test database anchors like the servers in this process.
  const merged: Record<string, string | undefined> = { ...process.env, PORT: "0", AUDIT_KEY: testAuditKey(), ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child = spawn(process.execPath, [...nodeArgs, "server/src/main.ts"], { cwd: root, env: merged, stdio: ["ignore", "pipe", "pipe"] });
  // What it printed while starting and the last of what it printed after, within a bound
  // (benchmarks log for minutes, and print their figures at exit).
  let output = "";
  let tail = "";
  const collect = (d: Buffer) => {
    if (output.length < 100_000) output += d;
    else tail = (tail + d).slice(-100_000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${output}`)), 30_000);
    const onData = () => {
      const m = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => (tail ? `${output}\n…\n${tail}` : output) };
}

/** Sends the signal and resolves when the process has exited. */
export function stopChildServer(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, ms: 0 });
    child.once("exit", (code) => resolve({ code, ms: Date.now() - started }));
    child.kill(signal);
  });
}
