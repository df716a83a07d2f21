/**
 * Benchmark (printed, never asserted): the calendar feed of a user in 30 meeting series
 * over two years (weekly, biweekly, every sixth week and monthly; holidays dropped or
 * moved; exdates, moved and cancelled occurrences), expanded and served over HTTP by the
 * real server (token lookup, decideMeeting per series, expansion, ical-generator, the
 * audit append). The baseline, in the same run: the same .ics bytes served as a static
 * string by a bare node:http handler, so the difference is Laget's work. Run on purpose:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench:meetings
 *
 * (without DATABASE_URL it runs on PGlite). BENCH_RUNS (300) requests per measurement.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadActor } from "../../server/src/auth/actor.ts";
import { buildFeed } from "../../server/src/calendar/feed.ts";
import { createToken } from "../../server/src/calendar/tokens.ts";
import { seedDemo } from "../../server/src/demo/seed.ts";
import { instantOfLocal } from "../../server/src/meetings/local-time.ts";
import { expandSeries } from "../../server/src/meetings/recurrence.ts";
import { createTestDb } from "../../server/src/testing/test-db.ts";
import { startServerOn } from "../../server/src/testing/test-server.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const SERIES = 30;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
async function measure(label: string, runs: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, runs); i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(2);
  console.log(`${label.padEnd(52)} runs=${runs}  p50=${f(percentile(times, 50))} ms  p95=${f(percentile(times, 95))} ms  p99=${f(percentile(times, 99))} ms  max=${f(times.at(-1)!)} ms`);
}

const testDb = await createTestDb(process.env.DATABASE_URL ? "postgres" : "pglite");
const { db } = testDb;
const server = await startServerOn(testDb, { demo: false });
let bare: ReturnType<typeof createServer> | undefined;
try {
  await seedDemo(db);
  const user = await db.selectFrom("users").select(["id", "municipality_id"]).where("email", "=", "koordinator@demo.laget.no").executeTakeFirstOrThrow();
  const unitIds = (await db.selectFrom("units").select("id").where("municipality_id", "=", user.municipality_id).orderBy("name").execute()).map((u) => u.id);
  const school = (await db.selectFrom("units").select("id").where("name", "=", "Fjellheim skole").executeTakeFirstOrThrow()).id;
  const actor = (await loadActor(db, user.id))!;

  // 30 series the coordinator takes part in, from a year ago to a year ahead (two years).
  const rules = ["FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=6;BYDAY=MO", "FREQ=MONTHLY;BYDAY=2WE", "FREQ=WEEKLY;BYDAY=MO,WE"];
  const kinds = ["flyt_mote", "ansvarsgruppe", "slt_koordineringsgruppe", "forum", "overforingsmote", "politirad"];
  const year = new Date().getUTCFullYear();
  for (let i = 0; i < SERIES; i++) {
    const month = String(1 + (i % 12)).padStart(2, "0");
    const dtstart = `${year - 1}-${month}-0${1 + (i % 7)}T${String(8 + (i % 8)).padStart(2, "0")}:${i % 2 ? "30" : "00"}:00`;
    const rrule = rules[i % rules.length]! + (i % 4 === 3 ? `;UNTIL=${year + 1}0630T215959Z` : "");
    const series = await db
      .insertInto("meeting_series")
      .values({
        municipality_id: user.municipality_id,
        kind: kinds[i % kinds.length]!,
        title: `Serie ${i}`,
        organiser_unit_id: i % 3 === 0 ? school : unitIds[i % unitIds.length]!,
        place: `Rådhuset, møterom ${i}`,
        duration_minutes: 60 + (i % 3) * 30,
        dtstart_local: dtstart,
        rrule,
        exdates: JSON.stringify([]),
        holiday_policy: ["none", "drop", "move"][i % 3]!,
        sequence: i % 5,
        created_by: user.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("meeting_series_units").values([{ series_id: series.id, unit_id: school }]).execute();
    // A few occurrence rows per series: one recorded, one cancelled, one moved by hand.
    const spec = { dtstartLocal: dtstart, tzid: "Europe/Oslo", rrule, exdates: [], holidayPolicy: "none" as const, durationMinutes: 60 };
    const at = expandSeries({ spec, from: instantOfLocal(dtstart), to: new Date(Date.now() + 366 * 86_400_000), limit: 40 }).map((o) => o.recurrenceId);
    const row = (recurrenceId: string, more: { status?: string; moved_to_local?: string; sequence?: number }) => ({ series_id: series.id, municipality_id: user.municipality_id, recurrence_id: recurrenceId, ...more });
    await db.insertInto("meetings").values([row(at[0]!, { status: "held" }), row(at[4]!, { status: "cancelled", sequence: 1 }), row(at[9]!, { moved_to_local: at[9]!.replace(/T\d\d/, "T14"), sequence: 2 })]).execute();
    await db.updateTable("meeting_series").set({ exdates: JSON.stringify([at[6]]) }).where("id", "=", series.id).execute();
  }

  const { ics, seriesCount } = await buildFeed({ db, actor });
  const events = ics.split("BEGIN:VEVENT").length - 1;
  console.log(`database: ${testDb.kind}; ${seriesCount} series in the feed, ${events} VEVENTs, ${ics.length} characters (${Buffer.byteLength(ics)} bytes)`);

  // The bare baseline: the same bytes from a static string, no framework, no database.
  const body = Buffer.from(ics);
  bare = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/calendar; charset=utf-8", "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => bare!.listen(0, "127.0.0.1", resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/feed.ics`;

  // Each token has a bucket of 30 requests: enough tokens that the limiter never answers 429.
  const urls: string[] = [];
  for (let i = 0; i < Math.ceil((RUNS + 20) / 25); i++) urls.push(`${server.url}${(await createToken({ db, actor, name: `bench ${i}` })).url}`);
  const get = async (url: string) => {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    return res.text();
  };

  await measure("expand + generate the feed in process (no HTTP)", RUNS, () => buildFeed({ db, actor }));
  let served = 0;
  await measure("GET /api/calendar/feed/<token>.ics (30 series)", RUNS, () => get(urls[Math.floor(served++ / 25) % urls.length]!));
  await measure("baseline: the same .ics from a bare node:http handler", RUNS, () => get(bareUrl));
} finally {
  bare?.close();
  await server.close();
  await testDb.close();
}
