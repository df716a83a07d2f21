import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { HttpClient } from "../server/src/testing/http-client.ts";
import { DEMO_PASSWORD } from "../server/src/demo/seed.ts";
import { startChildServer, stopChildServer } from "../server/src/testing/child-server.ts";

// The real entry point on the embedded database: what `pnpm start` runs.
const dataDir = mkdtempSync(path.join(tmpdir(), "laget-restart-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => startChildServer({ DATA_DIR: dataDir, NODE_ENV: "development", DATABASE_URL: undefined });
const stop = (child: ChildProcess) => stopChildServer(child, "SIGTERM");

test("data created survives SIGTERM and a restart on the embedded database; demo users are printed", async () => {
  const first = await start();
  expect(first.output()).toContain("Demo user koordinator@demo.laget.no");
  expect(first.output()).toContain(DEMO_PASSWORD);
  const health = await (await fetch(`${first.url}/health`)).json();
  expect(health).toMatchObject({ status: "ok", database: "up" });

  const admin = new HttpClient(first.url);
  expect((await admin.login("admin@demo.laget.no", DEMO_PASSWORD)).ok).toBe(true);
  expect((await admin.mutation("units.create", { name: "Fjellheim ungdomsklubb", kind: "other" })).ok).toBe(true);

  const stopped = await stop(first.child);
  expect(stopped.code).toBe(0);
  expect(stopped.ms).toBeLessThan(10_000);

  const second = await start();
  try {
    const again = new HttpClient(second.url);
    // The session survives too: it lives in the database, not in memory.
    again.cookie = admin.cookie;
    const units = await again.query<{ name: string }[]>("units.list");
    expect(units.ok && units.data.map((u) => u.name)).toContain("Fjellheim ungdomsklubb");
    expect(units.ok && units.data.filter((u) => u.name === "Fjellheim skole")).toHaveLength(1);
    expect(second.output()).not.toContain("Seeded the demo municipality");
  } finally {
    expect((await stop(second.child)).code).toBe(0);
  }
}, 90_000);
