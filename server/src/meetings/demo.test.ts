import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { listOf } from "./testing.ts";

// The demo municipality's meetings: NAV's biweekly flyt-møte with the school and the
// health station (holidays dropped), and the school's ansvarsgruppe with Mor.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

const DAY = 86_400_000;

test("the demo has a biweekly flyt-møte of NAV and an ansvarsgruppe with an external participant, seen by their people only", async () => {
  const nav = await app.signedIn("nav@demo.laget.no");
  const from = new Date(Date.now() - 60 * DAY).toISOString();
  const to = new Date(Date.now() + 120 * DAY).toISOString();
  const flyt = (await listOf(nav, from, to)).filter((o) => o.title === "Flyt-møte NAV Fjellheim");
  expect(flyt.length).toBeGreaterThan(5);
  // Every other week (a holiday dropped makes a four-week gap), and none in the next six days.
  for (let i = 1; i < flyt.length; i++) expect([14, 28]).toContain(Math.round((Date.parse(flyt[i]!.start) - Date.parse(flyt[i - 1]!.start)) / DAY));
  expect(flyt.find((o) => Date.parse(o.start) > Date.now())!.start > new Date(Date.now() + 6 * DAY).toISOString()).toBe(true);
  const { series } = await nav.queryOk<{ series: { holidayPolicy: string; rrule: string } }>("meetings.getSeries", { seriesId: flyt[0]!.seriesId });
  expect(series).toMatchObject({ holidayPolicy: "drop", rrule: expect.stringMatching(/^FREQ=WEEKLY;INTERVAL=2;BYDAY=/) });

  const kari = await app.signedIn("koordinator@demo.laget.no");
  const group = (await listOf(kari, from, to)).filter((o) => o.title === "Ansvarsgruppe");
  expect(group.length).toBeGreaterThan(1);
  const got = await kari.queryOk<{ participants: { externals: { name: string; role: string }[] } }>("meetings.getSeries", { seriesId: group[0]!.seriesId });
  expect(got.participants.externals).toEqual([{ id: expect.any(String), name: "Mor", role: "Forelder" }]);
  // NAV is not in the ansvarsgruppe; barnevern in neither.
  expect((await listOf(nav, from, to)).some((o) => o.title === "Ansvarsgruppe")).toBe(false);
  expect(await listOf(await app.signedIn("barnevern@demo.laget.no"), from, to)).toEqual([]);
});
