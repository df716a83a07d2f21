import type { ChangePasswordInput, LoginInput } from "@laget/domain";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.ts";
import type { EventBus } from "../events/bus.ts";
import { createSession, deleteSession, deleteUserSessions } from "./sessions.ts";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILED_PER_ACCOUNT = 10;
// Higher than per account: a municipality's offices often share one public address.
export const MAX_FAILED_PER_IP = 30;

type AuthEventKind =
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

async function failedAttemptsSince(db: Db, column: "email" | "ip", value: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom("auth_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(column, "=", value)
    .where("kind", "=", "login_failed")
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Checks the password and opens a session. Throws INVALID_CREDENTIALS or TOO_MANY_ATTEMPTS. */
export async function login(
  db: Db,
  log: Logger,
  input: LoginInput,
  ip: string | null,
): Promise<{ token: string; userId: string }> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const blocked =
    (await failedAttemptsSince(db, "email", input.email, since)) >= MAX_FAILED_PER_ACCOUNT ||
    (ip !== null && (await failedAttemptsSince(db, "ip", ip, since)) >= MAX_FAILED_PER_IP);
  if (blocked) {
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
    await recordAuthEvent(db, { kind: "login_failed", email: input.email, userId: user?.id, ip });
    log.info({ event: "login_failed", email: input.email, ip }, "login failed");
    throw new AppError("INVALID_CREDENTIALS");
  }
  const { token } = await createSession(db, user.id);
  await recordAuthEvent(db, { kind: "login_succeeded", email: input.email, userId: user.id, ip });
  log.info({ event: "login_succeeded", userId: user.id, ip }, "login succeeded");
  return { token, userId: user.id };
}

/** Ends one session, and the live connections opened with it on every node. */
export async function logout(db: Db, bus: EventBus, userId: string, sessionId: string, ip: string | null): Promise<void> {
  await deleteSession(db, sessionId);
  await recordAuthEvent(db, { kind: "logout", userId, ip });
  await bus.publish({ type: "sessionsEnded", userId, sessionIds: [sessionId] });
}

/** Ends every session of the user, and their live connections. */
export async function logoutEverywhere(db: Db, bus: EventBus, userId: string, ip: string | null): Promise<void> {
  await deleteUserSessions(db, userId);
  await recordAuthEvent(db, { kind: "logout_everywhere", userId, ip });
  await bus.publish({ type: "sessionsEnded", userId, sessionIds: null });
}

/** Changes the password, clears the first-login flag and signs out every other session. */
export async function changePassword(
  db: Db,
  bus: EventBus,
  userId: string,
  currentSessionId: string,
  input: ChangePasswordInput,
): Promise<void> {
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
