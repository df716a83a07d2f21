import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { appRouter } from "./router.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const garbage: unknown[] = [
  null,
  42,
  "text",
  [],
  { unitId: "not-a-uuid" },
  { userId: 12, name: { nested: true } },
  { email: "x".repeat(100_000), password: "y" },
  { name: "", kind: "spaceship" },
  { memberships: [{ unitId: "00000000-0000-4000-8000-000000000000", role: "king" }] },
];

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[] } }>,
);

test("the router has procedures to sweep", () => {
  expect(procedures.length).toBeGreaterThan(10);
});

test.each(procedures.map(([path, p]) => [path, p._def.type, p._def.inputs.length > 0] as const))(
  "%s (%s): wrong input gives a clear 4xx error, never a 500",
  async (path, type, takesInput) => {
    // Signed in as an admin, so the input is what gets judged (and logout cannot spoil later calls).
    const caller = new HttpClient(server.url);
    await caller.login("admin@demo.laget.no", DEMO_PASSWORD);
    for (const input of garbage) {
      const res = type === "query" ? await caller.query(path, input) : await caller.mutation(path, input);
      const label = `${path} ${JSON.stringify(input)?.slice(0, 80)}`;
      expect(res.status, label).toBeLessThan(500);
      if (takesInput && input !== null) {
        expect(res.ok, label).toBe(false);
        if (!res.ok) expect([400, 413, 414, 431], label).toContain(res.status);
      }
    }
  },
);

test("malformed request bodies get 4xx, and the server keeps serving", async () => {
  const admin = new HttpClient(server.url);
  await admin.login("admin@demo.laget.no", DEMO_PASSWORD);
  for (const body of ["{", "null", '{"json":', "\u0000\u0001", "[1,2,3]"]) {
    const res = await fetch(`${server.url}/trpc/units.create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, cookie: admin.cookie! },
      body,
    });
    expect(res.status, body).toBeGreaterThanOrEqual(400);
    expect(res.status, body).toBeLessThan(500);
  }
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
});
