import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { addDays, osloToday } from "./dates.ts";
import { runPlanJobs } from "./jobs.ts";

// Reminders and "Mine tiltak" read the measure projection only: rows are written here directly.

let server: TestServer;
let teacher: HttpClient;
let nav: HttpClient;
let caseId: string;
let ids: Record<string, string>;
const now = new Date("2026-05-04T08:00:00Z");
const today = osloToday(now);

beforeAll(async () => {
  server = await startTestServer();
  teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  nav = await signedIn(server.url, "nav@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(teacher);
  ({ caseId } = await createChildCase(teacher, units["Fjellheim skole"]!));
  const users = await server.db.selectFrom("users").select(["id", "email"]).execute();
  ids = Object.fromEntries(users.map((u) => [u.email.split("@")[0]!, u.id]));
  const c = await server.db.selectFrom("cases").select("municipality_id").where("id", "=", caseId).executeTakeFirstOrThrow();
  const row = (measure_id: string, fields: Record<string, string | null>) => ({
    case_id: caseId,
    measure_id,
    municipality_id: c.municipality_id,
    title: measure_id,
    status: "planned",
    responsible_user_id: ids.koordinator!,
    ...fields,
  });
  await server.db
    .insertInto("plan_measures")
    .values([
      row("due-in-7", { deadline: addDays(today, 7) }),
      row("due-in-20", { deadline: addDays(today, 20) }),
      row("overdue", { deadline: addDays(today, -1), status: "in_progress" }),
      row("overdue-but-done", { deadline: addDays(today, -3), status: "completed" }),
      row("evaluate-today", { evaluation_date: today }),
      // No one named: the coordinator (stafettholder) is reminded instead.
      row("unassigned", { deadline: addDays(today, 2), responsible_user_id: null }),
      // NAV has no consent to this case: never reminded, never listed.
      row("navs", { deadline: addDays(today, 3), responsible_user_id: ids.nav! }),
    ])
    .execute();
});
afterAll(() => server?.stop());

const notifications = (userId: string) =>
  server.db.selectFrom("notifications").select(["kind", "case_id", "dedupe_key"]).where("user_id", "=", userId).where("kind", "like", "measure_%").orderBy("kind").orderBy("dedupe_key").execute();

describe("plan reminders", () => {
  test("7 days before the deadline, on the evaluation date, and to the coordinator when overdue; neutral and only once", async () => {
    expect(await runPlanJobs({ db: server.db, bus: server.bus, now })).toEqual({ due: 2, evaluation: 1, overdue: 1 });
    const sent = await notifications(ids.koordinator!);
    expect(sent).toEqual([
      { kind: "measure_due", case_id: caseId, dedupe_key: `measure-due:${caseId}:due-in-7:${addDays(today, 7)}` },
      { kind: "measure_due", case_id: caseId, dedupe_key: `measure-due:${caseId}:unassigned:${addDays(today, 2)}` },
      { kind: "measure_evaluation", case_id: caseId, dedupe_key: `measure-evaluation:${caseId}:evaluate-today:${today}` },
      { kind: "measure_overdue", case_id: caseId, dedupe_key: `measure-overdue:${caseId}:overdue:${addDays(today, -1)}` },
    ]);
    await runPlanJobs({ db: server.db, bus: server.bus, now });
    expect(await notifications(ids.koordinator!)).toHaveLength(4);
    expect(await notifications(ids.nav!)).toEqual([]);
  });
});

describe("Mine tiltak", () => {
  type Mine = { measureId: string; overdue: boolean };
  test("lists my measures across cases, filtered to due or overdue, only where I may read the plan", async () => {
    // Filters are relative to the real today, so shift the rows there first.
    const realToday = osloToday();
    await server.db.updateTable("plan_measures").set({ deadline: addDays(realToday, 7) }).where("measure_id", "=", "due-in-7").execute();
    await server.db.updateTable("plan_measures").set({ deadline: addDays(realToday, 20) }).where("measure_id", "=", "due-in-20").execute();
    await server.db.updateTable("plan_measures").set({ deadline: addDays(realToday, -1) }).where("measure_id", "=", "overdue").execute();
    await server.db.updateTable("plan_measures").set({ deadline: addDays(realToday, -3) }).where("measure_id", "=", "overdue-but-done").execute();
    const all = await teacher.queryOk<Mine[]>("plans.myMeasures", { filter: "all" });
    expect(all.map((m) => m.measureId).sort()).toEqual(["due-in-20", "due-in-7", "evaluate-today", "overdue", "overdue-but-done"]);
    const due = await teacher.queryOk<Mine[]>("plans.myMeasures", { filter: "due" });
    expect(due.map((m) => m.measureId)).toEqual(["due-in-7"]);
    const overdue = await teacher.queryOk<Mine[]>("plans.myMeasures", { filter: "overdue" });
    expect(overdue).toEqual([expect.objectContaining({ measureId: "overdue", overdue: true, caseLabel: "Emma Hansen" })]);
    expect(await nav.queryOk<Mine[]>("plans.myMeasures", {})).toEqual([]);
  });
});
