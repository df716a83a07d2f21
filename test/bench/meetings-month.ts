/**
 * Benchmark (printed, never asserted): the Møter month view with 200 meetings.
 *
 *   pnpm bench:meetings-month            (BENCH_MEETINGS=200 BENCH_RUNS=500)
 *
 * The real component (client/src/meetings/CalendarViews.tsx MonthView, inside the i18n
 * provider and a router, as the app renders it) through react-dom/server renderToString,
 * and its pure layout (monthLayout: weeks, days, meetings per Oslo day) on its own. In the
 * same run, interleaved, a bare baseline: 200 plain <li> in a <ul>. Prints p50/p95/p99 and
 * the ratio to the baseline. The TSX is compiled by the client's own Vite (SSR module
 * loading), so nothing is built first.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type * as Calendar from "../../client/src/meetings/calendar.ts";
import type { OccurrenceSummary } from "../../client/src/meetings/types.ts";

// The test project has neither React's nor Vite's types: what the bench uses, by shape.
type Element = unknown;
type Vite = { createServer(options: object): Promise<{ ssrLoadModule(id: string): Promise<Record<string, unknown>>; close(): Promise<void> }> };

const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const MONTH = "2027-03-01"; // has the DST change (28 March)

// React's production build, as the app ships (BENCH_NODE_ENV=development for the checks-on build).
process.env.NODE_ENV = process.env.BENCH_NODE_ENV ?? "production";
const clientRoot = fileURLToPath(new URL("../../client/", import.meta.url));
const fromClient = createRequire(`${clientRoot}package.json`);
const vite = (await import(fromClient.resolve("vite"))) as Vite;
const server = await vite.createServer({ root: clientRoot, logLevel: "error", appType: "custom", server: { middlewareMode: true, hmr: false, ws: false } });

type Mods = {
  React: { createElement(type: unknown, props: Record<string, unknown> | null, ...children: unknown[]): Element };
  dom: { renderToString(element: Element): string };
  router: { MemoryRouter: unknown };
  views: { MonthView: unknown };
  calendar: typeof Calendar;
  i18n: { I18nProvider: unknown };
};
const m = {
  // The packages as Node loads them for the externalised imports of the client's modules.
  React: fromClient("react"),
  dom: fromClient("react-dom/server"),
  router: fromClient("react-router"),
  views: await server.ssrLoadModule("/src/meetings/CalendarViews.tsx"),
  calendar: await server.ssrLoadModule("/src/meetings/calendar.ts"),
  i18n: await server.ssrLoadModule("/src/i18n/I18nProvider.tsx"),
} as unknown as Mods;
const h = m.React.createElement;

/** 200 meetings over the month's weekdays, 08:00–15:30, a few cancelled or moved. */
function meetings(n: number): OccurrenceSummary[] {
  const days: string[] = [];
  for (let d = MONTH; d.slice(0, 7) === MONTH.slice(0, 7); d = m.calendar.addDays(d, 1)) if (m.calendar.weekdayIndex(d) < 5) days.push(d);
  return Array.from({ length: n }, (_, i) => {
    const day = days[i % days.length]!;
    const hour = 8 + (i % 8);
    const local = `${day}T${String(hour).padStart(2, "0")}:${i % 2 ? "30" : "00"}:00`;
    const start = m.calendar.osloInstant(local);
    return {
      seriesId: `00000000-0000-4000-8000-${String(i % 30).padStart(12, "0")}`,
      recurrenceId: local,
      meetingId: null,
      kind: i % 3 ? "flyt_mote" : "ansvarsgruppe",
      kindName: null,
      title: `Møte ${i + 1}`,
      start: start.toISOString(),
      end: new Date(start.getTime() + 3600_000).toISOString(),
      status: i % 17 === 0 ? "cancelled" : "planned",
      moved: i % 23 === 0,
      place: null,
      videoLink: null,
      organiserUnitId: "00000000-0000-4000-8000-000000000001",
    };
  });
}

const occurrences = meetings(MEETINGS);
const today = "2027-03-10";

const monthView = (): Element =>
  h(m.i18n.I18nProvider, null, h(m.router.MemoryRouter, null, h(m.views.MonthView, { day: MONTH, today, occurrences, caption: "Mars 2027" })));
const bare = (): Element =>
  h(
    "ul",
    null,
    occurrences.map((o) => h("li", { key: o.recurrenceId + o.seriesId }, o.title)),
  );

// It renders what it should: every meeting once.
const html = m.dom.renderToString(monthView());
const links = html.match(/<a /g)?.length ?? 0;
if (links !== MEETINGS) throw new Error(`month view rendered ${links} links for ${MEETINGS} meetings`);

const cases: Record<string, () => unknown> = {
  "month view (renderToString)": () => m.dom.renderToString(monthView()),
  "month layout only (monthLayout)": () => m.calendar.monthLayout(MONTH, occurrences, today),
  [`baseline: ${MEETINGS} plain <li> (renderToString)`]: () => m.dom.renderToString(bare()),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < 50; i++) for (const fn of Object.values(cases)) fn();
for (let i = 0; i < RUNS; i++) {
  for (const [label, fn] of Object.entries(cases)) {
    const t = performance.now();
    fn();
    times[label]!.push(performance.now() - t);
  }
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const stats = Object.fromEntries(
  Object.entries(times).map(([label, t]) => {
    const s = [...t].sort((a, b) => a - b);
    return [label, { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99) }];
  }),
);
const base = stats[`baseline: ${MEETINGS} plain <li> (renderToString)`]!;
console.log(`Møter month view, ${MEETINGS} meetings, ${RUNS} runs each (interleaved), React ${process.env.NODE_ENV} build, HTML ${(html.length / 1024).toFixed(0)} KiB`);
for (const [label, s] of Object.entries(stats)) {
  console.log(`  ${label.padEnd(42)} p50 ${s.p50.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  (p95 ×${(s.p95 / base.p95).toFixed(1)} baseline)`);
}
await server.close();
