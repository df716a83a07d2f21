import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../db/connect.ts";
import { createMunicipality } from "../testing/factories.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { createSession } from "./sessions.ts";
import { authenticateUpgrade, SESSION_COOKIE, sessionTokenOf } from "./upgrade.ts";

let testDb: TestDb;
let db: Db;
let userId: string;
beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
  const { userIds } = await createMunicipality(db, { name: "Testkommune", users: [{ email: "u@test.no", memberships: [] }] });
  userId = userIds["u@test.no"]!;
});
afterAll(() => testDb?.close());

test("the session cookie is found among others, whatever the spacing, and only under its exact name", () => {
  expect(sessionTokenOf(`a=1; ${SESSION_COOKIE}=abc.def;b=2`)).toBe("abc.def");
  expect(sessionTokenOf(`${SESSION_COOKIE}x=abc.def; x${SESSION_COOKIE}=ghi.jkl`)).toBeNull();
  expect(sessionTokenOf(`${SESSION_COOKIE}=`)).toBeNull();
  expect(sessionTokenOf(undefined)).toBeNull();
});

test("an upgrade is authenticated by a standing session, and refused once the user must change their password", async () => {
  const { token, session } = await createSession(db, userId);
  const cookie = `other=1; ${SESSION_COOKIE}=${token}`;
  expect(await authenticateUpgrade(db, cookie)).toMatchObject({ actor: { id: userId }, sessionId: session.id });
  expect(await authenticateUpgrade(db, `${SESSION_COOKIE}=${token}x`)).toBeNull();

  await db.updateTable("users").set({ must_change_password: true }).where("id", "=", userId).execute();
  expect(await authenticateUpgrade(db, cookie)).toBeNull();
});
