import type { MiddlewareHandler } from "hono";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests that a browser sent from another site (CSRF):
 * they must carry an Origin whose host is ours, and Sec-Fetch-Site, when present,
 * must say same-origin. Also used for WebSocket upgrades by later gateways.
 */
export function isSameSiteRequest(headers: Headers): boolean {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin") return false;
  const origin = headers.get("origin");
  const host = headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const requireSameOrigin: MiddlewareHandler = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method) || isSameSiteRequest(c.req.raw.headers)) return next();
  return c.json(
    { error: { code: "CROSS_SITE_REQUEST", message: "Cross-site request refused: the Origin is not this site." } },
    403,
  );
};
