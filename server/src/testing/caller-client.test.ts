import { migrations } from "@laget/migrations";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { unitIdsByName } from "./case-fixtures.ts";
import { createCaseWithConsent, createMunicipality } from "./factories.ts";
import { HttpClient, signedIn, type TrpcClient } from "./http-client.ts";
import { startTestApp, type TestApp } from "./test-app.ts";
import { createTestDb } from "./test-db.ts";
import { startServerOn } from "./test-server.ts";
import type { RunningServer } from "../server.ts";

// The scaffolding most server tests stand on: it must answer as the real server does.

let app: TestApp;
let server: RunningServer;
beforeAll(async () => {
  app = await startTestApp();
  // A real server over the same database, to compare answers with.
  server = await startServerOn(app.testDb);
});
afterAll(async () => {
  await server?.close();
  await app?.stop();
});

describe("CallerClient answers as HttpClient does", () => {
  test("results, refusals, validation errors and wrong methods come back in the same shape and status", async () => {
    const http = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
    const caller = await app.signedIn("koordinator@demo.laget.no");
    const calls: [keyof TrpcClient & ("query" | "mutation"), string, unknown][] = [
      ["query", "auth.me", undefined],
      ["query", "units.list", undefined],
      // Not found, invalid input, admin only, a query sent as a mutation and the reverse, no such procedure.
      ["query", "cases.get", { caseId: "00000000-0000-4000-8000-000000000000" }],
      ["query", "cases.get", { caseId: "not-an-id" }],
      ["query", "users.list", undefined],
      ["mutation", "units.list", undefined],
      ["query", "cases.create", { owningUnitId: "00000000-0000-4000-8000-000000000000" }],
      ["query", "no.such", undefined],
    ];
    for (const [method, path, input] of calls) {
      const [viaHttp, viaCaller] = await Promise.all([http[method](path, input), caller[method](path, input)]);
      // The stack is only in development; the wire shape is the rest.
      const shape = (r: unknown) => JSON.parse(JSON.stringify(r), (key, value) => (key === "stack" ? undefined : value));
      expect({ path, method, ...shape(viaCaller) }).toEqual({ path, method, ...shape(viaHttp) });
    }
  });

  test("a session is judged on every call: login sets the cookie, logout clears it, and the old cookie is refused", async () => {
    const client = app.client();
    expect((await client.login("leder@demo.laget.no", DEMO_PASSWORD)).ok).toBe(true);
    expect(client.cookie).toMatch(/^laget_session=/);
    const stolen = client.cookie;
    expect((await client.queryOk<{ email: string }>("auth.me")).email).toBe("leder@demo.laget.no");
    await client.mutationOk("auth.logout");
    expect(client.cookie).toBeNull();
    const replay = app.client();
    replay.cookie = stolen;
    expect(await replay.queryOk("auth.me")).toBeNull();
    expect((await replay.query("units.list")).status).toBe(401);
  });
});

describe("factories", () => {
  test("a municipality with users, and a case with a consent in one call, open to exactly the units consented to", async () => {
    const world = await createMunicipality(app.db, {
      name: "Fabrikk kommune",
      units: [{ name: "Fabrikk skole", kind: "school" }, { name: "Fabrikk helsestasjon", kind: "health_station" }, { name: "Fabrikk NAV", kind: "nav" }],
      users: [
        { email: "koordinator@fabrikk.test", memberships: [{ unit: "Fabrikk skole", role: "coordinator" }] },
        { email: "helse@fabrikk.test", memberships: [{ unit: "Fabrikk helsestasjon", role: "caseworker" }] },
        { email: "nav@fabrikk.test", memberships: [{ unit: "Fabrikk NAV", role: "caseworker" }] },
      ],
    });
    const coordinator = await app.signedIn("koordinator@fabrikk.test");
    expect(Object.keys(await unitIdsByName(coordinator)).sort()).toEqual(["Fabrikk NAV", "Fabrikk helsestasjon", "Fabrikk skole"]);
    const { caseId, consentId } = await createCaseWithConsent(coordinator, {
      owningUnitId: world.unitIds["Fabrikk skole"]!,
      consent: { unitIds: [world.unitIds["Fabrikk helsestasjon"]!] },
    });
    expect(consentId).toBeTruthy();
    expect((await (await app.signedIn("helse@fabrikk.test")).query("cases.get", { caseId })).ok).toBe(true);
    const nav = await (await app.signedIn("nav@fabrikk.test")).query("cases.get", { caseId });
    expect(!nav.ok && nav.error.data.appCode).toBe("NOT_FOUND");
    // The demo municipality next door sees none of it.
    expect(await (await app.signedIn("koordinator@demo.laget.no")).queryOk("cases.list", {})).toEqual([]);
    // The users log in with the password the factory gave them (the demo password by default).
    expect((await new HttpClient(server.url).login("nav@fabrikk.test", DEMO_PASSWORD)).ok).toBe(true);
  });
});

test("each test database is a migrated copy of its own: every migration recorded, nothing shared", async () => {
  const [a, b] = await Promise.all([createTestDb(), createTestDb()]);
  try {
    for (const { db } of [a, b]) {
      const applied = await db.selectFrom("kysely_migration" as never).select("name" as never).execute();
      expect(applied.map((r) => (r as { name: string }).name).sort()).toEqual(Object.keys(migrations).sort());
    }
    await a.db.insertInto("municipalities").values({ name: "Bare i A" }).execute();
    expect(await b.db.selectFrom("municipalities").select("name").execute()).toEqual([]);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
