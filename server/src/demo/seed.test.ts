import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { demoUnits, demoUsers, seedDemo } from "./seed.ts";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(() => testDb?.close());

test("seeds Demo kommune with the listed units and one user per role, once", async () => {
  const { db } = testDb;
  const results = await Promise.all([seedDemo(db), seedDemo(db)]);
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(await seedDemo(db)).toBe(false);

  const units = await db.selectFrom("units").select(["name", "kind"]).execute();
  expect(units).toHaveLength(demoUnits.length);
  for (const name of ["Fjellheim skole", "Fjellheim barnehage", "Helsestasjonen", "NAV Fjellheim", "Barneverntjenesten", "PPT", "Fjellheim idrettslag", "Røde Kors Fjellheim", "SLT"]) {
    expect(units.map((u) => u.name)).toContain(name);
  }
  const roles = await db.selectFrom("memberships").select("role").distinct().execute();
  expect(roles.map((r) => r.role).sort()).toEqual(["admin", "caseworker", "coordinator", "leader", "slt_coordinator", "volunteer_contact"]);
  const users = await db.selectFrom("users").select("email").execute();
  expect(users).toHaveLength(demoUsers.length);
});
