import { createHash, randomBytes } from "node:crypto";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";

/**
 * Calendar feed tokens (DESIGN.md §6): a secret in the feed's URL that a calendar client
 * (Outlook, Google) presents instead of a session. 32 random bytes, base64url; only their
 * SHA-256 is kept, so the token is shown once, at creation. A user may hold several, each
 * named for where it is used, and revoke any of them.
 */

export const FEED_PATH = "/api/calendar/feed/";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A token's shape: 43 base64url characters (32 bytes). Anything else is not looked up. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type TokenView = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; revoked: boolean };

export async function listTokens({ db, actor }: AsActor): Promise<{ tokens: TokenView[] }> {
  const rows = await db
    .selectFrom("calendar_tokens")
    .select(["id", "name", "created_at", "last_used_at", "revoked_at"])
    .where("user_id", "=", actor.id)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return { tokens: rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revoked: r.revoked_at !== null })) };
}

/** A new token: the only time it exists outside the user's calendar client. `url` is the path on this server. */
export async function createToken({ db, actor, name }: AsActor & { name: string }): Promise<{ id: string; token: string; url: string }> {
  const token = randomBytes(32).toString("base64url");
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("calendar_tokens")
      .values({ user_id: actor.id, name, token_hash: hashToken(token) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await auditToken({ db: trx, actor, tokenId: row.id, action: "calendar.token.create" });
    return { id: row.id, token, url: `${FEED_PATH}${token}.ics` };
  });
}

/** Revokes one of the user's own tokens; another user's (or a made-up) id is NOT_FOUND. Revoking twice is fine. */
export async function revokeToken({ db, actor, tokenId }: AsActor & { tokenId: string }): Promise<{ ok: true }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("calendar_tokens").select(["id", "revoked_at"]).where("id", "=", tokenId).where("user_id", "=", actor.id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError("NOT_FOUND");
    if (row.revoked_at === null) {
      await trx.updateTable("calendar_tokens").set({ revoked_at: new Date() }).where("id", "=", tokenId).execute();
      await auditToken({ db: trx, actor, tokenId, action: "calendar.token.revoke" });
    }
    return { ok: true as const };
  });
}

/**
 * The live token a feed request presents, or null (unknown, malformed or revoked: the
 * caller answers all alike). Records the use (`last_used_at`, at most once a minute).
 */
export async function useToken({ db, token, now = new Date() }: { db: Db; token: string; now?: Date }): Promise<{ id: string; userId: string } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .selectFrom("calendar_tokens")
    .select(["id", "user_id", "last_used_at"])
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable("calendar_tokens").set({ last_used_at: now }).where("id", "=", row.id).execute();
  }
  return { id: row.id, userId: row.user_id };
}

async function auditToken({ db, actor, tokenId, action }: AsActor & { tokenId: string; action: string }) {
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: actor.memberships[0]?.unitId ?? null, action, resourceType: "calendar_token", resourceId: tokenId, caseId: null, basis: null, purpose: null },
  ]);
}
