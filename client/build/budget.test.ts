import { expect, test } from "vitest";
import { checkBudget, formatTable, type ChunkInfo, type Limits } from "./budget.ts";

const KiB = 1024;
const limits: Limits = { login: { route: "/login", br: 150 * KiB }, anyRoute: 350 * KiB };

function chunk(fileName: string, br: number, more: Partial<ChunkInfo> = {}): ChunkInfo {
  return { fileName, isEntry: false, isDynamicEntry: false, imports: [], moduleIds: [`/src/${fileName}.tsx`], br: br * KiB, gzip: br * KiB * 1.2, ...more };
}

// The entry imports react statically; the login page and the shell are lazy; both the case
// list and the case page import the shared ui chunk.
const bundle = (sizes: { entry?: number; login?: number; editor?: number } = {}): ChunkInfo[] => [
  chunk("index", sizes.entry ?? 60, { isEntry: true, imports: ["react"] }),
  // Chunks can import each other in a cycle (a shared chunk takes a helper from the entry).
  chunk("react", 40, { imports: ["index"] }),
  chunk("LoginPage", sizes.login ?? 10, { isDynamicEntry: true, imports: ["ui"] }),
  chunk("Layout", 20, { isDynamicEntry: true, imports: ["ui"] }),
  chunk("ui", 5),
  chunk("CasesPage", 8, { isDynamicEntry: true, imports: ["ui"] }),
  chunk("PlanTab", 15, { isDynamicEntry: true, imports: ["editor", "ui"] }),
  chunk("editor", sizes.editor ?? 100),
  chunk("en", 20, { isDynamicEntry: true }),
];
const routes = {
  "/login": ["/src/LoginPage.tsx"],
  "/saker": ["/src/Layout.tsx", "/src/CasesPage.tsx"],
  "/saker/:id/plan": ["/src/Layout.tsx", "/src/PlanTab.tsx"],
};
const everyRoute = ["/src/en.tsx"];

const row = (report: ReturnType<typeof checkBudget>, route: string) => report.rows.find((r) => r.route === route)!;

test("a route counts the entry, its pages and their static imports, each shared chunk once", { timeout: 2000 }, () => {
  const report = checkBudget(bundle(), routes, limits, everyRoute);
  expect(report.errors).toEqual([]);
  expect(row(report, "/login").files).toEqual(["LoginPage", "en", "index", "react", "ui"]);
  // index 60 + react 40 + LoginPage 10 + ui 5 + en 20
  expect(row(report, "/login").br).toBe(135 * KiB);
  // index 60 + react 40 + Layout 20 + CasesPage 8 + ui 5 (imported by both, counted once) + en 20
  expect(row(report, "/saker").br).toBe(153 * KiB);
  expect(row(report, "/saker").gzip).toBeCloseTo(153 * KiB * 1.2);
  // The editor only where the plan is.
  expect(row(report, "/saker").files).not.toContain("editor");
  expect(row(report, "/saker/:id/plan").br).toBe(260 * KiB);
});

test("the login route over its own budget fails the build, at the budget it passes", () => {
  expect(checkBudget(bundle({ login: 25 }), routes, limits, everyRoute).errors).toEqual([]); // exactly 150 KiB
  const over = checkBudget(bundle({ login: 26 }), routes, limits, everyRoute);
  expect(over.errors).toEqual(["/login loads 151.0 KiB of JavaScript (brotli), over its budget of 150.0 KiB"]);
});

test("any route over the general budget fails the build", () => {
  expect(checkBudget(bundle({ editor: 190 }), routes, limits, everyRoute).errors).toEqual([]); // 350 KiB
  const over = checkBudget(bundle({ editor: 191 }), routes, limits, everyRoute);
  expect(over.errors).toEqual(["/saker/:id/plan loads 351.0 KiB of JavaScript (brotli), over its budget of 350.0 KiB"]);
});

test("the modules loaded on every route count in every route", () => {
  const without = checkBudget(bundle(), routes, limits, []);
  expect(row(without, "/login").br).toBe(115 * KiB);
  expect(without.errors).toEqual([expect.stringContaining("lazy chunk en ")]);
});

test("a lazy chunk that no listed route loads fails the build", () => {
  const { "/saker/:id/plan": _plan, ...withoutPlan } = routes;
  const report = checkBudget(bundle(), withoutPlan, limits, everyRoute);
  expect(report.errors).toEqual([
    "the lazy chunk PlanTab (1 modules) is loaded by no listed route: list its page under a route in client/build/routes.ts",
  ]);
});

test("a route naming a module no chunk holds fails the build, and so does a budget for an unlisted login route", () => {
  const report = checkBudget(bundle(), { ...routes, "/typo": ["/src/CasesPag.tsx"] }, limits, everyRoute);
  expect(report.errors).toEqual(["/typo: no chunk holds /src/CasesPag.tsx"]);
  const { "/login": _login, ...withoutLogin } = routes;
  expect(checkBudget(bundle(), withoutLogin, limits, everyRoute).errors).toContain("the budget names /login, which is not a listed route");
});

test("the table lists every route with its brotli and gzip KiB", () => {
  const table = formatTable(checkBudget(bundle(), routes, limits, everyRoute).rows);
  expect(table.split("\n")).toHaveLength(4);
  expect(table).toMatch(/^\/saker +153\.0 +183\.6 +6$/m);
});
