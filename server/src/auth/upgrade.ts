import { parse } from "hono/utils/cookie";
import type { Db } from "../db/connect.ts";
import type { Actor } from "./actor.ts";
import { validateSessionToken, type Session } from "./sessions.ts";

export const SESSION_COOKIE = "laget_session";

/** The session token in a Cookie header: the one cookie parser for HTTP, socket.io and `/collab`. */
export function sessionTokenOf(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  return parse(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE] || null;
}

/** Session → actor for a request carrying the session cookie; null when either is gone. */
export async function authenticateRequest(
  db: Db,
  cookieHeader: string | null | undefined,
): Promise<{ actor: Actor; session: Session; token: string; refreshed: boolean } | null> {
  const token = sessionTokenOf(cookieHeader);
  const validated = token ? await validateSessionToken(db, token) : null;
  return validated?.actor && token ? { actor: validated.actor, session: validated.session, token, refreshed: validated.refreshed } : null;
}

/**
 * Session → actor for a WebSocket upgrade (socket.io and `/collab` alike), and for
 * re-judging a live connection: a user who must change their password gets no live
 * connection until they have.
 */
export async function authenticateUpgrade(
  db: Db,
  cookieHeader: string | null | undefined,
): Promise<{ actor: Actor; sessionId: string } | null> {
  const authenticated = await authenticateRequest(db, cookieHeader);
  if (!authenticated || authenticated.actor.mustChangePassword) return null;
  return { actor: authenticated.actor, sessionId: authenticated.session.id };
}
