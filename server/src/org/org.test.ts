import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createMunicipality } from "../testing/fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import type { Unit } from "./units.ts";
import type { UserSummary } from "./users.ts";

let app: TestApp;
let demoAdmin: TrpcClient;
let otherAdmin: TrpcClient;
let other: Awaited<ReturnType<typeof createMunicipality>>;

beforeAll(async () => {
  app = await startTestApp();
  other = await createMunicipality(app.db, "Annen kommune", "other-password-1", [
    { email: "admin@annen.no", unit: "Annen administrasjon", role: "admin" },
    { email: "laerer@annen.no", unit: "Annen skole", kind: "school", role: "caseworker" },
  ]);
  demoAdmin = await app.signedIn("admin@demo.laget.no");
  otherAdmin = await app.signedIn("admin@annen.no");
});
afterAll(() => app?.stop());

async function data<T>(p: Promise<{ ok: boolean; data?: T } & object>): Promise<T> {
  const res = (await p) as { ok: boolean; data: T; error?: unknown };
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res.data;
}

describe("tenancy: a municipality never sees another's units or users", () => {
  test("lists contain only the caller's municipality", async () => {
    const demoUnits = await data<Unit[]>(demoAdmin.query("units.list"));
    const demoUsers = await data<UserSummary[]>(demoAdmin.query("users.list"));
    expect(demoUnits.map((u) => u.name)).toContain("Fjellheim skole");
    expect(demoUnits.map((u) => u.id)).not.toContain(other.unitIds["Annen skole"]);
    expect(demoUsers.map((u) => u.email)).not.toContain("admin@annen.no");
    expect(demoUsers.every((u) => u.email.endsWith("@demo.laget.no"))).toBe(true);

    const otherUnits = await data<Unit[]>(otherAdmin.query("units.list"));
    expect(otherUnits.map((u) => u.name).sort()).toEqual(["Annen administrasjon", "Annen skole"]);
    const directory = await data<{ displayName: string; units: { unitName: string }[] }[]>(otherAdmin.query("users.directory"));
    expect(directory.map((p) => p.displayName).sort()).toEqual(["admin@annen.no", "laerer@annen.no"]);
    const otherUsers = await data<UserSummary[]>(otherAdmin.query("users.list"));
    expect(otherUsers.map((u) => u.email).sort()).toEqual(["admin@annen.no", "laerer@annen.no"]);
    expect(JSON.stringify(otherUsers)).not.toContain("Fjellheim");
  });

  test("another municipality's ids behave exactly like ids that do not exist", async () => {
    const foreignUnit = other.unitIds["Annen skole"]!;
    const foreignUser = other.userIds["laerer@annen.no"]!;
    const missing = "00000000-0000-4000-8000-000000000000";
    const calls: [string, "query" | "mutation", (id: string) => unknown][] = [
      ["units.rename", "mutation", (id) => ({ unitId: id, name: "Kapret" })],
      ["units.deactivate", "mutation", (id) => ({ unitId: id })],
      ["units.history", "query", (id) => ({ unitId: id })],
      ["units.create", "mutation", (id) => ({ name: "Under fremmed", kind: "other", parentUnitId: id })],
      ["users.create", "mutation", (id) => ({ email: "x@demo.laget.no", displayName: "X", memberships: [{ unitId: id, role: "caseworker" }] })],
    ];
    for (const [path, kind, input] of calls) {
      const foreign = await demoAdmin[kind](path, input(foreignUnit));
      const absent = await demoAdmin[kind](path, input(missing));
      expect(foreign.ok, path).toBe(false);
      expect({ status: foreign.status, code: !foreign.ok && foreign.error.data.appCode }, path).toEqual({
        status: absent.status,
        code: !absent.ok && absent.error.data.appCode,
      });
    }
    for (const path of ["users.deactivate", "users.resetPassword", "users.reactivate"]) {
      const foreign = await demoAdmin.mutation(path, { userId: foreignUser });
      expect(!foreign.ok && foreign.error.data.appCode, path).toBe("NOT_FOUND");
    }
    const addForeign = await demoAdmin.mutation("users.addMembership", { userId: foreignUser, unitId: foreignUnit, role: "admin" });
    expect(!addForeign.ok && addForeign.error.data.appCode).toBe("NOT_FOUND");

    // Nothing changed on the other side.
    const otherUnits = await data<Unit[]>(otherAdmin.query("units.list"));
    expect(otherUnits.find((u) => u.id === foreignUnit)).toMatchObject({ name: "Annen skole", active: true });
    expect((await app.client().login("laerer@annen.no", "other-password-1")).ok).toBe(true);
  });
});

describe("only admins manage units and users", () => {
  test("a coordinator can list units but not manage them or see users", async () => {
    const coordinator = app.client();
    await coordinator.login("koordinator@demo.laget.no", DEMO_PASSWORD);
    expect((await coordinator.query("units.list")).ok).toBe(true);
    for (const [kind, path, input] of [
      ["query", "users.list", undefined],
      ["mutation", "units.create", { name: "Ny", kind: "school" }],
      ["mutation", "users.create", { email: "y@demo.laget.no", displayName: "Y", memberships: [{ unitId: other.unitIds["Annen skole"], role: "admin" }] }],
    ] as const) {
      const res = await coordinator[kind](path, input);
      expect(res.status, path).toBe(403);
      expect(!res.ok && res.error.data.appCode, path).toBe("FORBIDDEN");
    }
  });

  test("signed-out callers get UNAUTHORIZED", async () => {
    const res = await app.client().query("units.list");
    expect(res.status).toBe(401);
  });
});

describe("units", () => {
  test("create under a parent, rename with history kept, deactivate", async () => {
    const units = await data<Unit[]>(demoAdmin.query("units.list"));
    const school = units.find((u) => u.name === "Fjellheim skole")!;
    const sfo = await data<Unit>(demoAdmin.mutation("units.create", { name: "Fjellheim SFO", kind: "school", parentUnitId: school.id }));
    expect(sfo).toMatchObject({ parentUnitId: school.id, active: true });
    await data(demoAdmin.mutation("units.rename", { unitId: sfo.id, name: "Fjellheim AKS" }));
    await data(demoAdmin.mutation("units.rename", { unitId: sfo.id, name: "Fjellheim aktivitetsskole" }));
    const history = await data<{ oldName: string; newName: string; renamedBy: string }[]>(
      demoAdmin.query("units.history", { unitId: sfo.id }),
    );
    expect(history.map((h) => [h.oldName, h.newName])).toEqual([
      ["Fjellheim AKS", "Fjellheim aktivitetsskole"],
      ["Fjellheim SFO", "Fjellheim AKS"],
    ]);
    expect(history[0]!.renamedBy).toBe("Anne Admin");
    const deactivated = await data<Unit>(demoAdmin.mutation("units.deactivate", { unitId: sfo.id }));
    expect(deactivated.active).toBe(false);
    const rename = await demoAdmin.mutation("units.rename", { unitId: sfo.id, name: "Igjen" });
    expect(!rename.ok && rename.error.data.appCode).toBe("UNIT_INACTIVE");
    const child = await demoAdmin.mutation("units.create", { name: "Barn av inaktiv", kind: "school", parentUnitId: sfo.id });
    expect(!child.ok && child.error.data.appCode).toBe("INVALID_PARENT_UNIT");
  });

  test("the last admin cannot be removed, deactivated or lose the admin unit", async () => {
    const users = await data<UserSummary[]>(otherAdmin.query("users.list"));
    const admin = users.find((u) => u.email === "admin@annen.no")!;
    for (const [path, input] of [
      ["users.deactivate", { userId: admin.id }],
      ["users.removeMembership", { membershipId: admin.memberships[0]!.id }],
      ["units.deactivate", { unitId: admin.memberships[0]!.unitId }],
    ] as const) {
      const res = await otherAdmin.mutation(path, input);
      expect(!res.ok && res.error.data.appCode, path).toBe("LAST_ADMIN");
    }
  });
});

describe("users", () => {
  test("a taken e-mail is a conflict, whatever municipality holds it", async () => {
    const units = await data<Unit[]>(demoAdmin.query("units.list"));
    const res = await demoAdmin.mutation("users.create", {
      email: "ADMIN@annen.no",
      displayName: "Dobbel",
      memberships: [{ unitId: units[0]!.id, role: "caseworker" }],
    });
    expect(res.status).toBe(409);
    expect(!res.ok && res.error.data.appCode).toBe("EMAIL_TAKEN");
  });

  test("deactivating a user ends their sessions and blocks login; reset password issues a new one-time password", async () => {
    const units = await data<Unit[]>(demoAdmin.query("units.list"));
    const created = await data<{ userId: string; oneTimePassword: string }>(
      demoAdmin.mutation("users.create", {
        email: "vikar@demo.laget.no",
        displayName: "Vikar",
        memberships: [{ unitId: units.find((u) => u.name === "PPT")!.id, role: "caseworker" }],
      }),
    );
    expect(created.oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const stored = await app.db.selectFrom("users").select("password_hash").where("id", "=", created.userId).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const vikar = app.client();
    expect((await vikar.login("vikar@demo.laget.no", created.oneTimePassword)).ok).toBe(true);
    await data(demoAdmin.mutation("users.deactivate", { userId: created.userId }));
    const me = await vikar.query("auth.me");
    expect(me.ok && me.data).toBeNull();
    expect((await app.client().login("vikar@demo.laget.no", created.oneTimePassword)).ok).toBe(false);

    await data(demoAdmin.mutation("users.reactivate", { userId: created.userId }));
    const reset = await data<{ oneTimePassword: string }>(demoAdmin.mutation("users.resetPassword", { userId: created.userId }));
    expect((await app.client().login("vikar@demo.laget.no", created.oneTimePassword)).ok).toBe(false);
    expect((await app.client().login("vikar@demo.laget.no", reset.oneTimePassword)).ok).toBe(true);
  });
});
