import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { LIST_LIMIT } from "./cases.ts";

let app: TestApp;
let nurse: TrpcClient;
let units: Record<string, string>;
beforeAll(async () => {
  app = await startTestApp();
  nurse = await app.signedIn("helsesykepleier@demo.laget.no");
  units = await unitIdsByName(nurse);
});
afterAll(() => app?.stop());

test("cases the user cannot see never push a visible case out of the list, however many and however new", async () => {
  // The nurse's own case, the oldest of all.
  const { caseId: own } = await createChildCase(nurse, units["Helsestasjonen"]!, "Eldst Synlig");
  await sql`update cases set updated_at = now() - interval '1 year' where id = ${own}`.execute(app.db);
  // LIST_LIMIT + 50 newer school cases in which Helsestasjonen takes part, without any consent:
  // candidates for her list, none of them visible.
  const school = units["Fjellheim skole"]!;
  await sql`
    with coordinator as (select id, municipality_id from users where email = 'koordinator@demo.laget.no'),
    made as (
      insert into cases (municipality_id, owning_unit_id, coordinator_user_id, bti_level, created_by, updated_at)
      select c.municipality_id, ${school}, c.id, 1, c.id, now() - make_interval(secs => n)
      from coordinator c, generate_series(1, ${LIST_LIMIT + 50}) n
      returning id, created_by
    )
    insert into case_participants (case_id, unit_id, user_id, added_by)
    select id, ${units["Helsestasjonen"]!}, null, created_by from made`.execute(app.db);

  const list = await nurse.queryOk<{ id: string }[]>("cases.list", {});
  expect(list.map((c) => c.id)).toEqual([own]);
  // Only the case listed was audited as listed.
  const audited = await app.db.selectFrom("audit_events").select("case_id").where("action", "=", "case.list").execute();
  expect(audited.map((a) => a.case_id)).toEqual([own]);
});

test("each listed case carries its own subjects, with their names and birth years", async () => {
  const { caseId } = await createChildCase(nurse, units["Helsestasjonen"]!, "Liste Navnesen");
  const list = await nurse.queryOk<{ id: string; subjects: { name: string; role: string; birthYear: number | null }[] }[]>("cases.list", {});
  const listed = list.find((c) => c.id === caseId)!;
  expect(listed.subjects).toEqual([expect.objectContaining({ name: "Liste Navnesen", role: "child" })]);
  for (const c of list) expect(c.subjects.length).toBeGreaterThan(0);
});
