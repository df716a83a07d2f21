import { configDefaults, defineConfig } from "vitest/config";

const integration = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/**
 * Server test files that never reach the default database target (DATABASE_URL, or
 * PGlite without it): pure logic, or PGlite opened explicitly. A second run in
 * unit-pglite would repeat exactly the first.
 */
const databaseFree = [
  "server/src/audit/csv.test.ts",
  "server/src/audit/key.test.ts",
  "server/src/collab/held-acks.test.ts",
  "server/src/collab/store-queue.test.ts",
  "server/src/config.test.ts",
  "server/src/db/pglite-initdb.test.ts",
  "server/src/db/pglite-thread.test.ts",
  "server/src/events/user-events-migration.test.ts",
  "server/src/meetings/holidays.test.ts",
  "server/src/meetings/recurrence.test.ts",
  "server/src/messaging/judge.test.ts",
  "server/src/referrals/working-days.test.ts",
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          // On PostgreSQL when DATABASE_URL is set (as CI does), otherwise on PGlite.
          name: "unit",
          include: ["packages/**/*.test.ts", "server/**/*.test.ts", "client/build/**/*.test.ts", "test/*.test.ts"],
          ...integration,
        },
      },
      // Only when the unit project runs on PostgreSQL: without DATABASE_URL it is PGlite already.
      ...(process.env.DATABASE_URL ? [{
        test: {
          // The server's integration tests once more on embedded PGlite, the default a
          // newcomer runs (DESIGN.md §9). Tests that need a database shared between
          // processes are left out; the rest choose PGlite when DATABASE_URL is empty.
          name: "unit-pglite",
          include: ["server/src/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "server/src/**/multi-node.test.ts", ...databaseFree],
          env: { DATABASE_URL: "" },
          ...integration,
        },
      }] : []),
      {
        test: {
          name: "browser",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/support/security-policy-setup.ts"],
          // Each file has its own server, database and browser. They mostly wait on the
          // browser (about a third of a core each), so `pnpm test` runs them in a vitest of
          // their own beside the other projects, one file at a time: two at once beside two
          // unit workers on two cores pushed a 30 s page wait over its limit.
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
    // Two cores. `pnpm test` runs the browser project in a second vitest beside this one.
    maxWorkers: 2,
  },
});
