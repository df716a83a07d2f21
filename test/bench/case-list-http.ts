/**
 * Benchmark (printed, never asserted): tRPC `cases.list` over HTTP, a caseworker's 20
 * cases (each read decided and audited, as the real code does), CONCURRENCY clients at
 * once for SECONDS, against a bare Hono handler serving the same bytes — alternating
 * pairs in one run (harness.ts), each with the machine's foreign CPU load. Afterwards the
 * audit chain must verify. Run on purpose, against PostgreSQL:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench:cases-http
 *
 * Knobs: BENCH_CONCURRENCY (50), BENCH_SECONDS (10), BENCH_PAIRS (3), BENCH_CASES (10,000
 * other cases in the municipality), BENCH_PROF (a directory for the server's CPU profile),
 * BENCH_QUERY_TIME=1 (the server's database wall time by statement). Targets: ≥ 1,500 req/s and p99 < 50 ms, audit intact.
 */
import http from "node:http";
import path from "node:path";
import { sql } from "kysely";
import { verifyAuditChain } from "../../server/src/audit/log.ts";
import { createSession } from "../../server/src/auth/sessions.ts";
import { seedDemo } from "../../server/src/demo/seed.ts";
import { startChildServer, stopChildServer, type ChildServer } from "../../server/src/testing/child-server.ts";
import { createTestDb } from "../../server/src/testing/test-db.ts";
import { comparePairs, databaseCpuSeconds, percentile, processCpuSeconds, queryTimeFlags, startBareProcess, type Figures } from "./harness.ts";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const OTHER_CASES = Number(process.env.BENCH_CASES ?? 10_000);
const MINE = 20;
// BENCH_PROF=<dir> writes a CPU profile of the server process there when it stops.
const PROFILE = process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];

if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL (PostgreSQL): the server is a separate process.");
  process.exit(1);
}

const LIST_PATH = `/trpc/cases.list?input=${encodeURIComponent(JSON.stringify({}))}`;

/** CONCURRENCY loops, each one request at a time on a kept-alive connection, for SECONDS. */
async function load(server: ChildServer, cookies: readonly string[], urlPath: string): Promise<Figures> {
  const base = server.url;
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const get = (cookie: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: urlPath, agent, headers: { cookie } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
  // A short warm-up, not counted.
  await Promise.all(cookies.slice(0, CONCURRENCY).map((c) => get(c)));
  const serverCpu0 = processCpuSeconds(server.child.pid!);
  const dbCpu0 = databaseCpuSeconds();
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const cookie = cookies[i % cookies.length]!;
      while (performance.now() < until) {
        const t = performance.now();
        const status = await get(cookie).catch(() => 0);
        if (status === 200) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  // CPU per request, which foreign load slows far less than it moves throughput.
  const perRequestMs = (cpuSeconds: number) => (cpuSeconds * 1000) / Math.max(1, latencies.length);
  return {
    reqPerSec: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    serverCpuMsPerReq: perRequestMs(processCpuSeconds(server.child.pid!) - serverCpu0),
    dbCpuMsPerReq: perRequestMs(databaseCpuSeconds() - dbCpu0),
  };
}

/** The bare baseline: Hono on @hono/node-server answering with the same bytes, in a process of its own. */
async function startBareHono(body: string): Promise<ChildServer> {
  const { child, url } = await startBareProcess([path.join(import.meta.dirname, "bare-hono.ts")], { BARE_BODY: body });
  return { child, url, output: () => "" };
}

const testDb = await createTestDb("postgres");
const { db } = testDb;
try {
  await seedDemo(db, { meetings: false });
  const m = await db.selectFrom("municipalities").select("id").executeTakeFirstOrThrow();
  const school = await db.selectFrom("units").select("id").where("name", "=", "Fjellheim skole").executeTakeFirstOrThrow();
  const nav = await db.selectFrom("units").select("id").where("name", "=", "NAV Fjellheim").executeTakeFirstOrThrow();
  const health = await db.selectFrom("units").select("id").where("name", "=", "Helsestasjonen").executeTakeFirstOrThrow();
  const teacher = await db.selectFrom("users").select("id").where("email", "=", "koordinator@demo.laget.no").executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ municipality_id: m.id, email: "bench@bench.laget.no", display_name: "Bench Saksbehandler", password_hash: "-", must_change_password: false })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ user_id: user.id, unit_id: school.id, role: "caseworker" }).execute();
  // The caseworker coordinates 20 of the school's cases; other units have OTHER_CASES more.
  await sql`
    insert into cases (municipality_id, owning_unit_id, coordinator_user_id, created_by, bti_level, updated_at)
    select ${m.id}::uuid, case when i <= ${MINE} then ${school.id}::uuid else (array[${nav.id}::uuid, ${health.id}::uuid])[1 + i % 2] end,
           case when i <= ${MINE} then ${user.id}::uuid else ${teacher.id}::uuid end, ${teacher.id}::uuid, i % 4, now() - i * interval '1 minute'
    from generate_series(1, ${MINE + OTHER_CASES}) as i`.execute(db);
  await sql`insert into case_subjects (case_id, role, name, birth_year)
            select id, 'child', 'Barn ' || left(id::text, 8), 2014 from cases where id not in (select case_id from case_subjects)`.execute(db);
  await sql`insert into case_participants (case_id, unit_id, user_id, added_by)
            select id, owning_unit_id, coordinator_user_id, coordinator_user_id from cases c
            where not exists (select 1 from case_participants p where p.case_id = c.id)`.execute(db);
  await sql`analyze`.execute(db);
  const cookies = await Promise.all(Array.from({ length: CONCURRENCY }, async () => `laget_session=${(await createSession(db, user.id)).token}`));

  const laget = await startChildServer({ DATABASE_URL: testDb.url!, NODE_ENV: "production", LAGET_DEMO: "off", LOG_LEVEL: "info" }, [...PROFILE, ...queryTimeFlags]);
  const sample = await fetch(laget.url + LIST_PATH, { headers: { cookie: cookies[0]! } });
  const body = await sample.text();
  const { data } = (JSON.parse(body) as { result: { data: { json: unknown[] } } }).result;
  const listed = data.json.length;
  console.log(`cases.list returns ${listed} cases (${body.length} bytes); ${CONCURRENCY} clients, ${SECONDS} s per run`);
  const bare = await startBareHono(body);
  const auditBefore = await db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();

  await comparePairs({
    title: `cases.list (${listed} cases, ${CONCURRENCY} concurrent) vs bare Hono`,
    pairs: PAIRS,
    bare: () => load(bare, cookies, LIST_PATH),
    laget: () => load(laget, cookies, LIST_PATH),
    ratios: [
      { key: "reqPerSec", better: "higher" },
      { key: "p99", better: "lower" },
      { key: "serverCpuMsPerReq", better: "lower" },
    ],
  });
  await stopChildServer(bare.child);
  await stopChildServer(laget.child);
  const queryTimes = laget.output().indexOf("  database wall time");
  if (queryTimes >= 0) console.log(laget.output().slice(queryTimes));

  const auditAfter = await db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const verified = await verifyAuditChain(db, m.id);
  console.log(`audit: ${Number(auditAfter.n) - Number(auditBefore.n)} events appended during the runs; chain ${verified.ok ? `verifies (${verified.checked} events)` : `BROKEN: ${JSON.stringify(verified)}`}`);
  console.log(`targets: laget ≥ 1,500 req/s and p99 < 50 ms; audit verifies`);
} finally {
  await testDb.close();
}
