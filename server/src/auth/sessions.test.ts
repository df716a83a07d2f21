import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../db/connect.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import {
  createSession,
  SESSION_ACTIVITY_CHECK_INTERVAL_MS,
  SESSION_INACTIVITY_TIMEOUT_MS,
  validateSessionToken,
} from "./sessions.ts";

let testDb: TestDb;
let db: Db;
let userId: string;
beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
  const m = await db.insertInto("municipalities").values({ name: "Testkommune" }).returning("id").executeTakeFirstOrThrow();
  const u = await db
    .insertInto("users")
    .values({ municipality_id: m.id, email: "a@test.no", display_name: "A", password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  userId = u.id;
});
afterAll(() => testDb?.close());

test("the token is id.secret with a 32-byte secret, and only the secret's SHA-256 is stored", async () => {
  const { token, session } = await createSession(db, userId);
  const [id, secret] = token.split(".") as [string, string];
  expect(id).toBe(session.id);
  expect(Buffer.from(secret, "base64url")).toHaveLength(32);
  const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(row)).not.toContain(secret);
});

test("malformed tokens are rejected without a crash", async () => {
  for (const token of ["", ".", "abc", "a.b.c", "x".repeat(500), "nope.nope"]) {
    expect(await validateSessionToken(db, token)).toBeNull();
  }
});

test("expiry slides: refreshed at most hourly, gone after 30 days without use", async () => {
  const { token, session } = await createSession(db, userId);
  const t0 = session.lastVerifiedAt.getTime();

  const soon = await validateSessionToken(db, token, new Date(t0 + SESSION_ACTIVITY_CHECK_INTERVAL_MS - 1000));
  expect(soon?.refreshed).toBe(false);

  const later = new Date(t0 + SESSION_ACTIVITY_CHECK_INTERVAL_MS + 1000);
  const refreshed = await validateSessionToken(db, token, later);
  expect(refreshed?.refreshed).toBe(true);
  const row = await db.selectFrom("sessions").select("last_verified_at").where("id", "=", session.id).executeTakeFirstOrThrow();
  expect(row.last_verified_at.getTime()).toBe(later.getTime());

  // 29 days after the refresh it is still alive; 30 days after, it is gone for good.
  expect(await validateSessionToken(db, token, new Date(later.getTime() + SESSION_INACTIVITY_TIMEOUT_MS - 60_000))).not.toBeNull();
  const stale = await createSession(db, userId);
  expect(await validateSessionToken(db, stale.token, new Date(t0 + SESSION_INACTIVITY_TIMEOUT_MS + 1000))).toBeNull();
  expect(await db.selectFrom("sessions").select("id").where("id", "=", stale.session.id).executeTakeFirst()).toBeUndefined();
});
