/**
 * Benchmark (printed, never asserted): a caseworker lists their 80 cases among 100,000
 * cases and 1,000,000 audit events, with every decide() and the audit writes the real
 * code does; and the cost of one audit append. Run on purpose, against PostgreSQL:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench:cases
 *
 * Targets (DESIGN/issue): list p95 < 25 ms; audit append p95 < 1 ms.
 */
import { sql } from "kysely";
import { loadActor } from "../../server/src/auth/actor.ts";
import { appendAudit } from "../../server/src/audit/log.ts";
import { listCases } from "../../server/src/cases/cases.ts";
import { seedDemo } from "../../server/src/demo/seed.ts";
import { createTestDb } from "../../server/src/testing/test-db.ts";

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const AUDIT_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const MINE = 80;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
async function measure(label: string, runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, runs); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const row = { label, runs, p50: percentile(times, 50).toFixed(2), p95: percentile(times, 95).toFixed(2), p99: percentile(times, 99).toFixed(2), max: times.at(-1)!.toFixed(2) };
  console.log(`${label.padEnd(44)} runs=${runs}  p50=${row.p50} ms  p95=${row.p95} ms  p99=${row.p99} ms  max=${row.max} ms`);
  return row;
}

const testDb = await createTestDb(process.env.DATABASE_URL ? "postgres" : "pglite");
const { db } = testDb;
try {
  console.log(`database: ${testDb.kind}; generating ${CASES} cases and ${AUDIT_EVENTS} audit events…`);
  const started = performance.now();
  await seedDemo(db);
  const m = await db.selectFrom("municipalities").select("id").executeTakeFirstOrThrow();
  const unit = async (name: string) => (await db.selectFrom("units").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
  const user = async (email: string) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const [school, health, nav, bv, teacher, nurse] = await Promise.all([
    unit("Fjellheim skole"), unit("Helsestasjonen"), unit("NAV Fjellheim"), unit("Barneverntjenesten"),
    user("koordinator@demo.laget.no"), user("helsesykepleier@demo.laget.no"),
  ]);

  await sql`
    insert into cases (municipality_id, owning_unit_id, coordinator_user_id, created_by, bti_level, updated_at)
    select ${m.id}::uuid, (array[${school}::uuid, ${nav}::uuid, ${bv}::uuid])[1 + i % 3], ${teacher}::uuid, ${teacher}::uuid, i % 4,
           now() - i * interval '1 minute'
    from generate_series(1, ${CASES}) as i`.execute(db);
  await sql`insert into case_subjects (case_id, role, name, birth_year) select id, 'child', 'Barn ' || left(id::text, 8), 2012 from cases`.execute(db);
  await sql`insert into case_participants (case_id, unit_id, user_id, added_by) select id, owning_unit_id, coordinator_user_id, coordinator_user_id from cases`.execute(db);
  // The nurse's unit takes part in 300 cases; 80 of them have an active consent to it.
  await sql`
    with picked as (select id, row_number() over (order by id) as n from cases order by id limit 300)
    insert into case_participants (case_id, unit_id, user_id, added_by) select id, ${health}::uuid, null, ${teacher}::uuid from picked`.execute(db);
  const provisions = JSON.stringify([{ unitId: health, actions: ["access"], purposes: ["coordination"], categories: ["identity", "plan", "health"], denies: [] }]);
  await sql`
    with picked as (
      select c.id, s.id as subject_id from cases c join case_subjects s on s.case_id = c.id
      where c.id in (select case_id from case_participants where unit_id = ${health}::uuid) order by c.id limit ${MINE})
    insert into consents (id, series_id, case_id, subject_id, status, managing_unit_id, recorded_by, grantors, evidence,
                          information_text_version, provisions, period_start, period_end, activated_at)
    select g, g, id, subject_id, 'active', ${school}::uuid, ${teacher}::uuid, '[]', '{}', 'bench', ${provisions}::jsonb,
           now() - interval '1 day', now() + interval '300 days', now()
    from (select gen_random_uuid() as g, id, subject_id from picked) p`.execute(db);
  // Bulk history without the chaining trigger (its cost is measured below, one append at a time).
  await sql`alter table audit_events disable trigger audit_events_chain`.execute(db);
  await sql`
    insert into audit_events (municipality_id, seq, at, actor_user_id, action, resource_type, resource_id, case_id, basis, purpose, prev_hash, hash)
    select ${m.id}::uuid, i, now() - i * interval '1 second', ${teacher}::uuid, 'case.read', 'case', null,
           (select id from cases offset (i % 1000) limit 1), '{"kind":"own_unit"}', 'coordination', md5(i::text), md5((i + 1)::text)
    from generate_series(1, ${AUDIT_EVENTS}) as i`.execute(db);
  await sql`alter table audit_events enable trigger audit_events_chain`.execute(db);
  await sql`insert into audit_chain_heads (municipality_id, last_seq, last_hash) select ${m.id}::uuid, max(seq), 'bench' from audit_events
            on conflict (municipality_id) do update set last_seq = excluded.last_seq, last_hash = excluded.last_hash`.execute(db);
  await sql`analyze`.execute(db);
  console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const actor = (await loadActor(db, nurse))!;
  const listed = await listCases({ db, actor });
  console.log(`the caseworker sees ${listed.length} cases (of ${CASES}; 300 candidates through participation)`);
  await measure("list my cases (decide + audit per case)", 200, () => listCases({ db, actor }));
  await measure("search my cases by name", 200, () => listCases({ db, actor, search: "Barn" }));
  await measure("audit append (one event)", 1000, () =>
    appendAudit(db, m.id, [{ actorUserId: nurse, actorUnitId: health, action: "case.read", resourceType: "case", resourceId: null, caseId: null, basis: { kind: "own_unit", unitId: health }, purpose: "coordination" }]),
  );
  console.log("targets: list p95 < 25 ms; audit append p95 < 1 ms");
} finally {
  await testDb.close();
}
