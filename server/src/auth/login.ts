import type { ChangePasswordInput, LoginInput } from "@laget/domain";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.ts";
import type { EventBus } from "../events/bus.ts";
import { createSession, deleteSession, deleteUserSessions, type Session } from "./sessions.ts";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILED_PER_ACCOUNT = 10;
// Higher than per account: a municipality's offices often share one public address.
export const MAX_FAILED_PER_IP = 30;

type AuthEventKind =
  | "login_attempt"
  | "login_succeeded"
  | "login_failed"
  | "login_blocked"
  | "logout"
  | "logout_everywhere"
  | "password_changed";

export async function recordAuthEvent(
  db: Db,
  event: { kind: AuthEventKind; email?: string | null; userId?: string | null; ip?: string | null },
): Promise<void> {
  await db
    .insertInto("auth_events")
    .values({ kind: event.kind, email: event.email ?? null, user_id: event.userId ?? null, ip: event.ip ?? null })
    .execute();
}

/** An attempt still being checked counts as failed: so parallel guesses cannot all slip under the limit. */
const COUNTED_AS_FAILED = ["login_failed", "login_attempt"] as const;

async function failedAttemptsSince(db: Db, column: "email" | "ip", value: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom("auth_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(column, "=", value)
    .where("kind", "in", COUNTED_AS_FAILED)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Advisory lock namespaces (the first key of pg_advisory_xact_lock(int, int)).
const LOCK_ACCOUNT = 1;
const LOCK_ADDRESS = 2;

/**
 * Counts the recent failures and, under the limits, reserves this attempt as a
 * `login_attempt` row, atomically: the account's and the address's advisory locks are
 * held from the count to the insert (always account first, then address, so two
 * attempts never wait on each other in a circle). Returns the reservation, or null when blocked.
 */
async function reserveAttempt(db: Db, email: string, ip: string | null): Promise<number | null> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_ACCOUNT}, hashtext(${email}))`.execute(trx);
    if (ip !== null) await sql`select pg_advisory_xact_lock(${LOCK_ADDRESS}, hashtext(${ip}))`.execute(trx);
    const blocked =
      (await failedAttemptsSince(trx, "email", email, since)) >= MAX_FAILED_PER_ACCOUNT ||
      (ip !== null && (await failedAttemptsSince(trx, "ip", ip, since)) >= MAX_FAILED_PER_IP);
    if (blocked) return null;
    const row = await trx
      .insertInto("auth_events")
      .values({ kind: "login_attempt", email, ip })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

const settleAttempt = (db: Db, id: number, kind: "login_failed" | "login_succeeded", userId: string | undefined) =>
  db.updateTable("auth_events").set({ kind, user_id: userId ?? null }).where("id", "=", id).execute();

/** Checks the password and opens a session. Throws INVALID_CREDENTIALS or TOO_MANY_ATTEMPTS. */
export async function login({
  db,
  log,
  ip,
  ...input
}: { db: Db; log: Logger; ip: string | null } & LoginInput): Promise<{ token: string; userId: string }> {
  const attempt = await reserveAttempt(db, input.email, ip);
  if (attempt === null) {
    await recordAuthEvent(db, { kind: "login_blocked", email: input.email, ip });
    log.warn({ event: "login_blocked", email: input.email, ip }, "login blocked by attempt limit");
    throw new AppError("TOO_MANY_ATTEMPTS");
  }

  const user = await db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where("email", "=", input.email)
    .where("deactivated_at", "is", null)
    .executeTakeFirst();
  const ok = user ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    await settleAttempt(db, attempt, "login_failed", user?.id);
    log.info({ event: "login_failed", email: input.email, ip }, "login failed");
    throw new AppError("INVALID_CREDENTIALS");
  }
  const { token } = await createSession(db, user.id);
  await settleAttempt(db, attempt, "login_succeeded", user.id);
  log.info({ event: "login_succeeded", userId: user.id, ip }, "login succeeded");
  return { token, userId: user.id };
}

type SessionDeps = { db: Db; bus: EventBus; session: Session; ip: string | null };

/** Ends one session, and the live connections opened with it on every node. */
export async function logout({ db, bus, session, ip }: SessionDeps): Promise<void> {
  const { userId, id: sessionId } = session;
  await deleteSession(db, sessionId);
  await recordAuthEvent(db, { kind: "logout", userId, ip });
  await bus.publish({ type: "sessionsEnded", userId, sessionIds: [sessionId] });
}

/** Ends every session of the user, and their live connections. */
export async function logoutEverywhere({ db, bus, session, ip }: SessionDeps): Promise<void> {
  const { userId } = session;
  await deleteUserSessions(db, userId);
  await recordAuthEvent(db, { kind: "logout_everywhere", userId, ip });
  await bus.publish({ type: "sessionsEnded", userId, sessionIds: null });
}

/** Changes the password, clears the first-login flag and signs out every other session. */
export async function changePassword({
  db,
  bus,
  session,
  ...input
}: Omit<SessionDeps, "ip"> & ChangePasswordInput): Promise<void> {
  const { userId, id: currentSessionId } = session;
  const user = await db
    .selectFrom("users")
    .select(["password_hash", "email"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError("WRONG_CURRENT_PASSWORD");
  }
  if (input.newPassword === input.currentPassword) throw new AppError("PASSWORD_REUSED");
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, must_change_password: false })
      .where("id", "=", userId)
      .execute();
    await deleteUserSessions(trx, userId, currentSessionId);
    await recordAuthEvent(trx, { kind: "password_changed", email: user.email, userId });
  });
  await bus.publish({ type: "sessionsEnded", userId, sessionIds: null, exceptSessionId: currentSessionId });
}
