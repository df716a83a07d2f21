import { Hono } from "hono";
import { loadActor } from "../auth/actor.ts";
import { authenticateRequest } from "../auth/upgrade.ts";
import { appendAudit } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { createRateLimiter, type RateLimiter } from "../messaging/rate-limit.ts";
import { buildFeed, buildMeetingIcs } from "./feed.ts";
import { useToken } from "./tokens.ts";

/**
 * The calendar's HTTP routes, under /api:
 *
 * - `GET /api/calendar/feed/<token>.ics`: the user's feed, for a calendar client that has
 *   no cookie. An unknown, malformed or revoked token is a bare 404, the same as any path
 *   that does not exist. Each token has a bucket of its own (a client polling in a loop
 *   gets 429); unknown tokens get no bucket, so guesses cannot fill memory.
 * - `GET /api/meetings/<meetingId>.ics`: one meeting to download, with the session cookie;
 *   404 unless decideMeeting lets the user read it.
 */

/** Per token: 30 at once, then one every 20 s. Google and Outlook poll every few hours at most. */
export const feedLimit = { burst: 30, perSecond: 1 / 20 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ICS_TYPE = "text/calendar; charset=utf-8";

export function calendarRoutes({ db, log, feedLimiter = createRateLimiter(feedLimit) }: { db: Db; log: Logger; feedLimiter?: RateLimiter }) {
  const api = new Hono();
  const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

  api.get("/calendar/feed/:file", async (c) => {
    const file = c.req.param("file");
    if (!file.endsWith(".ics")) return notFound();
    const token = await useToken({ db, token: file.slice(0, -".ics".length) });
    if (!token) return notFound();
    if (!feedLimiter.take(token.id)) return new Response("Too many requests", { status: 429, headers: { "retry-after": "60" } });
    const actor = await loadActor(db, token.userId);
    if (!actor) return notFound();
    const { ics, seriesCount } = await buildFeed({ db, actor });
    await appendAudit(db, actor.municipalityId, [
      { actorUserId: actor.id, actorUnitId: actor.memberships[0]?.unitId ?? null, action: "calendar.feed.read", resourceType: "calendar_token", resourceId: token.id, caseId: null, basis: null, purpose: "meeting" },
    ]);
    log.debug({ tokenId: token.id, seriesCount }, "calendar feed served");
    return new Response(ics, {
      headers: { "content-type": ICS_TYPE, "cache-control": "private, no-store", "content-disposition": 'inline; filename="laget.ics"' },
    });
  });

  api.get("/meetings/:file", async (c) => {
    const file = c.req.param("file");
    const meetingId = file.endsWith(".ics") ? file.slice(0, -".ics".length) : "";
    if (!UUID.test(meetingId)) return notFound();
    const authenticated = await authenticateRequest(db, c.req.header("cookie"));
    if (!authenticated || authenticated.actor.mustChangePassword) return new Response("Not signed in", { status: 401 });
    try {
      const ics = await buildMeetingIcs({ db, actor: authenticated.actor, meetingId });
      return new Response(ics, {
        headers: { "content-type": ICS_TYPE, "cache-control": "private, no-store", "content-disposition": 'attachment; filename="mote.ics"' },
      });
    } catch (e) {
      if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) return notFound();
      throw e;
    }
  });

  return api;
}
