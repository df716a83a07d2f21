import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/connect.ts";
import { loadSessionWithActor, type Actor } from "./actor.ts";

/**
 * Sessions as Lucia's guide describes them: the token is `id.secret`, the id is the
 * lookup key, only the SHA-256 of the 32-byte secret is stored and compared in
 * constant time. Expiry slides: a session dies after 30 days without use, and its
 * last-verified time is written at most once an hour.
 */
export const SESSION_INACTIVITY_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export type Session = { id: string; userId: string; createdAt: Date; lastVerifiedAt: Date };

function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export async function createSession(db: Db, userId: string): Promise<{ token: string; session: Session }> {
  const id = randomBytes(15).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  const now = new Date();
  await db
    .insertInto("sessions")
    .values({ id, secret_hash: sha256Hex(secret), user_id: userId, created_at: now, last_verified_at: now })
    .execute();
  return { token: `${id}.${secret}`, session: { id, userId, createdAt: now, lastVerifiedAt: now } };
}

/** A token's two parts, or null for a malformed one. */
function parseSessionToken(token: string): { id: string; secret: string } | null {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 200) return null;
  return { id: parts[0], secret: parts[1] };
}

/** A session's row as stored: what verifySessionRow checks a token's secret against. */
export type SessionRow = { id: string; secret_hash: string; user_id: string; created_at: Date; last_verified_at: Date };

/**
 * The session a stored row stands for, given the token's secret: null for a forged or
 * expired one (an expired one is deleted). `refreshed` says the expiry moved, so the
 * cookie should be sent again.
 */
async function verifySessionRow(
  db: Db,
  row: SessionRow | undefined,
  secret: string,
  now = new Date(),
): Promise<{ session: Session; refreshed: boolean } | null> {
  if (!row) return null;
  const expected = Buffer.from(row.secret_hash, "hex");
  const actual = Buffer.from(sha256Hex(secret), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;

  const idle = now.getTime() - row.last_verified_at.getTime();
  if (idle >= SESSION_INACTIVITY_TIMEOUT_MS) {
    await deleteSession(db, row.id);
    return null;
  }
  const refreshed = idle >= SESSION_ACTIVITY_CHECK_INTERVAL_MS;
  if (refreshed) {
    await db.updateTable("sessions").set({ last_verified_at: now }).where("id", "=", row.id).execute();
  }
  const lastVerifiedAt = refreshed ? now : row.last_verified_at;
  return { session: { id: row.id, userId: row.user_id, createdAt: row.created_at, lastVerifiedAt }, refreshed };
}

/**
 * Returns the session for a token with its user as an actor (null when deactivated), or
 * null for a malformed, unknown, forged or expired one: one query, what every request pays.
 */
export async function validateSessionToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ session: Session; refreshed: boolean; actor: Actor | null } | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const loaded = await loadSessionWithActor(db, parsed.id);
  // The actor the row carries counts only once the token's secret matched it.
  const validated = await verifySessionRow(db, loaded?.row, parsed.secret, now);
  return validated && { ...validated, actor: loaded!.actor };
}

/** Whether the user's session still stands (not logged out, ended or replaced): live connections opened with it may go on. */
export async function sessionStands(db: Db, sessionId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom("sessions").select("id").where("id", "=", sessionId).where("user_id", "=", userId).executeTakeFirst();
  return row !== undefined;
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

export async function deleteUserSessions(db: Db, userId: string, exceptSessionId?: string): Promise<void> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (exceptSessionId) query = query.where("id", "!=", exceptSessionId);
  await query.execute();
}
