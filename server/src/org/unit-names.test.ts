import { afterAll, beforeAll, expect, test } from "vitest";
import { createMunicipality } from "../testing/fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";

// Two active units of one municipality never share a name: refused at the name field,
// also when requests race; another municipality, or a deactivated unit, does not count.

let app: TestApp;
let admin: TrpcClient;
let units: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp();
  await createMunicipality(app.db, "Annen kommune", "other-password-1", [{ email: "admin@annen.no", unit: "PPT", role: "admin" }]);
  admin = await app.signedIn("admin@demo.laget.no");
  units = Object.fromEntries((await admin.queryOk<{ id: string; name: string }[]>("units.list")).map((u) => [u.name, u.id]));
});
afterAll(() => app?.stop());

const codeOf = (res: { ok: boolean; error?: { data: { appCode: string | null } } }) => (res.ok ? "ok" : res.error!.data.appCode);

test("an active unit's name, in any case, is refused for a new unit and for a rename", async () => {
  expect(codeOf(await admin.mutation("units.create", { name: "fjellheim SKOLE", kind: "school" }))).toBe("UNIT_NAME_TAKEN");
  expect(codeOf(await admin.mutation("units.rename", { unitId: units["PPT"], name: "Helsestasjonen" }))).toBe("UNIT_NAME_TAKEN");
  // Renaming a unit to its own name in another case is not a clash with itself.
  expect(codeOf(await admin.mutation("units.rename", { unitId: units["PPT"], name: "ppt" }))).toBe("ok");
});

test("racing creations of one name: exactly one succeeds, the others get the same clear answer, never 500", async () => {
  const results = await Promise.all(Array.from({ length: 8 }, () => admin.mutation("units.create", { name: "Fjellheim fritidsklubb", kind: "other" })));
  expect(results.map(codeOf).sort()).toEqual(["ok", ...Array(7).fill("UNIT_NAME_TAKEN")].sort());
});

test("the database itself holds the rule, for writes that skip the check", async () => {
  const school = await app.db.selectFrom("units").select(["municipality_id"]).where("id", "=", units["Fjellheim skole"]!).executeTakeFirstOrThrow();
  const duplicate = app.db.insertInto("units").values({ municipality_id: school.municipality_id, name: "FJELLHEIM skole", kind: "school", parent_unit_id: null }).execute();
  await expect(duplicate).rejects.toMatchObject({ code: "23505" });
});

test("a deactivated unit's name can be used again", async () => {
  const { id } = await admin.mutationOk<{ id: string }>("units.create", { name: "Midlertidig team", kind: "other" });
  await admin.mutationOk("units.deactivate", { unitId: id });
  expect(codeOf(await admin.mutation("units.create", { name: "Midlertidig team", kind: "other" }))).toBe("ok");
});
