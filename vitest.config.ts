import { configDefaults, defineConfig } from "vitest/config";

const integration = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

// Two cores: the browser tests run one file at a time after the rest.
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
          exclude: [...configDefaults.exclude, "server/src/**/multi-node.test.ts"],
          env: { DATABASE_URL: "" },
          ...integration,
        },
      }] : []),
      {
        test: {
          name: "browser",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/support/security-policy-setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
    maxWorkers: 2,
  },
});
