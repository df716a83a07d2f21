/**
 * Benchmark (printed, never asserted): Lighthouse scores of four pages of the built client.
 *
 *   pnpm build && pnpm bench:lighthouse          (node test/bench/lighthouse.ts)
 *
 * Laget is the real entry point (server/src/main.ts) with the demo municipality: on the
 * embedded default (PGlite in a fresh data directory), or with DATABASE_URL set in a fresh
 * PostgreSQL database of its own. As the demo coordinator it creates one case with a plan
 * (a goal and a measure) over the API, as the client would. Lighthouse (its Node API)
 * drives Debian's Chromium (CHROME_PATH, default /usr/bin/chromium; never a downloaded
 * browser), which this file starts with a DevTools port. The pages: the login page signed
 * out, then, signed in through the real login page (playwright-core over CDP to the same
 * Chromium), the case list, the case and its plan tab. Each page in mobile emulation
 * (Lighthouse's default, simulated throttling) and desktop (Lighthouse's desktop config).
 * Everything is on localhost: it runs offline. BENCH_RUNS=N (default 1) runs it all N
 * times and prints medians.
 *
 * Every load is cold: Lighthouse's storage reset empties the HTTP cache, service workers,
 * cache storage (and here IndexedDB) before each page but never cookies (its documented
 * default, spelled out in CLEAR_STORAGE), so the session survives; a run that lands on another path than
 * the one asked for (the login page) fails. `disableStorageReset` would keep the session
 * too, but also the HTTP cache: every page after the first would load its bundle from
 * cache. BENCH_WARM=1 measures that way (a returning visitor), for comparison.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import lighthouse, { desktopConfig, type Config, type Flags, type Result } from "lighthouse";
import { chromium } from "playwright-core";
import { addGoal, addMeasure } from "@laget/plan";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { connectPlan, eventually } from "../../server/src/plans/test-client.ts";
import { createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { startChildServer, stopChildServer, type ChildServer } from "../../server/src/testing/child-server.ts";
import { signedIn } from "../../server/src/testing/http-client.ts";
import { createTestDb, type TestDb } from "../../server/src/testing/test-db.ts";
import { signInThroughLoginPage } from "../support/login-page.ts";
import { median } from "./harness.ts";

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const COORDINATOR = "koordinator@demo.laget.no";
const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
const WARM = process.env.BENCH_WARM === "1";
/** Lighthouse's own default list, what it clears before a page, and IndexedDB (where the plan tab keeps plans offline). Not cookies. */
const CLEAR_STORAGE: NonNullable<Flags["clearStorageTypes"]> = ["file_systems", "shader_cache", "service_workers", "cache_storage", "indexeddb"];
/** Lighthouse asks to be run again when its trace went wrong (NO_NAVSTART and the like): it is, this often. */
const ATTEMPTS = 3;
const CLIENT_DIST = path.resolve(import.meta.dirname, "../../client/dist/index.html");

type FormFactor = "mobile" | "desktop";
type PageSpec = { name: string; path: string; signedIn: boolean };
type Row = Record<(typeof CATEGORIES)[number], number> & { lcpMs: number; tbtMs: number };

if (!existsSync(CLIENT_DIST)) {
  console.error(`The client is not built (${path.relative(process.cwd(), CLIENT_DIST)} is missing): run \`pnpm build\` first.`);
  process.exit(1);
}
if (!existsSync(CHROME_PATH)) {
  console.error(`No Chromium at ${CHROME_PATH}: install Debian's chromium (apt-get install chromium) or set CHROME_PATH. This bench never downloads a browser.`);
  process.exit(1);
}
// Lighthouse and chrome-launcher look here if they ever look for a browser.
process.env.CHROME_PATH = CHROME_PATH;

/** Chromium with a DevTools port of its choosing, in a throwaway profile; resolves once it listens. */
async function startChromium(): Promise<{ child: ChildProcess; port: number; profile: string }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "laget-lighthouse-"));
  const child = spawn(CHROME_PATH, [...CHROME_FLAGS, "--no-first-run", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not open a DevTools port within 30 s:\n${err}`)), 30_000);
    child.stderr!.on("data", (d: Buffer) => {
      err += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited with ${code}:\n${err}`)));
  });
  return { child, port, profile };
}

async function stopChromium(chrome: { child: ChildProcess; profile: string }): Promise<void> {
  if (chrome.child.exitCode === null && chrome.child.signalCode === null) {
    await new Promise((resolve) => {
      chrome.child.once("exit", resolve);
      chrome.child.kill("SIGTERM");
    });
  }
  rmSync(chrome.profile, { recursive: true, force: true });
}

/**
 * In Chromium's default context (the one Lighthouse opens its tabs in): signed out, or
 * signed in as the coordinator through the login page, like a person.
 */
async function setSession(port: number, baseUrl: string, signIn: boolean): Promise<void> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const context = browser.contexts()[0]!;
    await context.clearCookies();
    if (!signIn) return;
    const page = await context.newPage();
    await signInThroughLoginPage(page, { baseUrl, email: COORDINATOR, password: DEMO_PASSWORD });
    await page.close();
    if (!(await context.cookies(baseUrl)).some((c) => c.name === "laget_session")) throw new Error("signed in, but no session cookie");
  } finally {
    await browser.close();
  }
}

/** A case of the coordinator's with a plan that has a goal and a measure, created over the API. */
async function demoCaseWithPlan(baseUrl: string): Promise<string> {
  const api = await signedIn(baseUrl, COORDINATOR, DEMO_PASSWORD);
  const units = await unitIdsByName(api);
  const { caseId } = await createChildCase(api, units["Fjellheim skole"]!, "Emma Lyshaug");
  const writer = connectPlan(baseUrl, api.cookie, caseId);
  try {
    await writer.ready;
    const goalId = addGoal(writer.doc, { text: "Emma skal trives på skolen og sove godt om natta.", domainId: "skole-og-barnehage" });
    addMeasure(writer.doc, { title: "Samtaler med helsesykepleier", goalId, domainId: "skole-og-barnehage", status: "planned" });
    await eventually(() => {
      if (writer.provider.hasUnsyncedChanges) throw new Error("plan not stored yet");
    }, 30_000);
  } finally {
    writer.destroy();
  }
  return caseId;
}

async function audit(port: number, url: string, formFactor: FormFactor): Promise<Result> {
  const flags: Flags = { port, logLevel: "error", output: "json", onlyCategories: [...CATEGORIES], disableStorageReset: WARM, clearStorageTypes: CLEAR_STORAGE };
  const config: Config | undefined = formFactor === "desktop" ? desktopConfig : undefined;
  let lhr: Result | undefined;
  for (let attempt = 1; ; attempt++) {
    lhr = (await lighthouse(url, flags, config))?.lhr;
    if (!lhr) throw new Error(`Lighthouse returned nothing for ${url} (${formFactor})`);
    if (!lhr.runtimeError) break;
    const error = `Lighthouse on ${url} (${formFactor}): ${lhr.runtimeError.code} ${lhr.runtimeError.message}`;
    if (attempt === ATTEMPTS) throw new Error(error);
    console.warn(`  ${error}: again`);
  }
  // A session that did not survive shows as the login page instead of the page asked for.
  const landed = new URL(lhr.finalDisplayedUrl).pathname;
  if (landed !== new URL(url).pathname) throw new Error(`Lighthouse on ${url} (${formFactor}) ended on ${landed}`);
  for (const warning of lhr.runWarnings) console.warn(`  warning (${new URL(url).pathname}, ${formFactor}): ${warning}`);
  return lhr;
}

function row(lhr: Result): Row {
  const score = (id: string) => (lhr.categories[id]?.score ?? Number.NaN) * 100;
  const ms = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    "best-practices": score("best-practices"),
    seo: score("seo"),
    lcpMs: ms("largest-contentful-paint"),
    tbtMs: ms("total-blocking-time"),
  };
}

/** What kept a page below the mark: the biggest LCP savings under 90, failing audits below 100 (first run only). */
function shortfalls(lhr: Result): string[] {
  const out: string[] = [];
  if ((lhr.categories.performance?.score ?? 1) < 0.9) {
    const savings = Object.values(lhr.audits)
      .filter((a) => (a.metricSavings?.LCP ?? 0) > 0)
      .sort((a, b) => b.metricSavings!.LCP! - a.metricSavings!.LCP!)
      .slice(0, 3)
      .map((a) => `${a.id} (LCP −${a.metricSavings!.LCP!.toFixed(0)} ms)`);
    if (savings.length) out.push(`performance: ${savings.join(", ")}`);
  }
  for (const id of ["accessibility", "best-practices", "seo"]) {
    const failing = (lhr.categories[id]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => ref.id);
    if (failing.length) out.push(`${id}: ${failing.join(", ")}`);
  }
  return out;
}

function printTable(pages: readonly PageSpec[], rows: Map<string, Row[]>): void {
  const head = ["page", "form factor", ...CATEGORIES, "LCP ms", "TBT ms"];
  const lines: string[][] = [];
  for (const p of pages) {
    for (const ff of ["mobile", "desktop"] as const) {
      const runs = rows.get(`${p.name}|${ff}`) ?? [];
      const med = (key: keyof Row) => median(runs.map((r) => r[key]));
      lines.push([p.name, ff, ...CATEGORIES.map((c) => med(c).toFixed(0)), med("lcpMs").toFixed(0), med("tbtMs").toFixed(0)]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: readonly string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`\n${format(head)}`);
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(format(l));
}

let testDb: TestDb | undefined;
let dataDir: string | undefined;
let server: ChildServer | undefined;
let chrome: Awaited<ReturnType<typeof startChromium>> | undefined;
try {
  if (process.env.DATABASE_URL) {
    testDb = await createTestDb("postgres");
    server = await startChildServer({ DATABASE_URL: testDb.url!, REDIS_URL: undefined, LAGET_DEMO: "1" });
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "laget-lighthouse-data-"));
    server = await startChildServer({ DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: dataDir, LAGET_DEMO: "1" });
  }
  const base = server.url;
  const caseId = await demoCaseWithPlan(base);
  const pages: PageSpec[] = [
    { name: "login (signed out)", path: "/login", signedIn: false },
    { name: "case list", path: "/saker", signedIn: true },
    { name: "case", path: `/saker/${caseId}`, signedIn: true },
    { name: "plan tab", path: `/saker/${caseId}/plan`, signedIn: true },
  ];
  chrome = await startChromium();
  const version = await (await fetch(`http://127.0.0.1:${chrome.port}/json/version`)).json() as { Browser: string };
  console.log(`Lighthouse on ${base} (${testDb ? "PostgreSQL" : "embedded PGlite"}, demo municipality), ${version.Browser} at ${CHROME_PATH}, ${RUNS} run(s), ${WARM ? "warm (BENCH_WARM=1: no storage reset)" : "cold loads"}`);

  const rows = new Map<string, Row[]>();
  const notes: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const signIn of [false, true]) {
      await setSession(chrome.port, base, signIn);
      for (const p of pages.filter((x) => x.signedIn === signIn)) {
        for (const ff of ["mobile", "desktop"] as const) {
          const started = performance.now();
          const lhr = await audit(chrome.port, base + p.path, ff);
          const r = row(lhr);
          console.log(`run ${run + 1} ${p.name} (${ff}): ${CATEGORIES.map((c) => `${c} ${r[c].toFixed(0)}`).join(", ")}, LCP ${r.lcpMs.toFixed(0)} ms, TBT ${r.tbtMs.toFixed(0)} ms (${((performance.now() - started) / 1000).toFixed(1)} s)`);
          rows.set(`${p.name}|${ff}`, [...(rows.get(`${p.name}|${ff}`) ?? []), r]);
          if (run === 0) for (const s of shortfalls(lhr)) notes.push(`${p.name} (${ff}) ${s}`);
        }
      }
    }
  }
  printTable(pages, rows);
  console.log(`${RUNS > 1 ? `medians of ${RUNS} runs; ` : ""}scores 0–100, LCP and TBT simulated (mobile: Lighthouse's throttled phone; desktop: its desktop config)`);
  if (notes.length) console.log(`\nfailing audits (first run):\n  ${notes.join("\n  ")}`);
  console.log("\ngoal: mobile performance ≥ 90 and accessibility 100 on every page");
  console.log("seo: is-crawlable fails by design (robots.txt disallows all: Laget is not for search engines)");
} finally {
  if (chrome) await stopChromium(chrome);
  if (server) await stopChildServer(server.child);
  await testDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
