import type { MiddlewareHandler } from "hono";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The origin the server is reached at (scheme://host[:port], as a browser serialises it
 * in the Origin header): from PUBLIC_URL, else http://localhost:PORT. A getter, because
 * with PORT=0 the port is known only once the server listens.
 */
export type PublicOrigin = () => string;

/**
 * Refuses requests that a browser sent from another site (CSRF): they must carry an
 * Origin equal to our public origin (scheme, host and port; the Host header is not
 * trusted, since whoever sends the request chooses it), and Sec-Fetch-Site, when
 * present, must say same-origin. Used for state-changing requests and for the
 * WebSocket upgrades (socket.io, /collab).
 */
export function isSameSiteRequest(headers: Headers, publicOrigin: string): boolean {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin") return false;
  return headers.get("origin") === publicOrigin;
}

export function requireSameOrigin(publicOrigin: PublicOrigin): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || isSameSiteRequest(c.req.raw.headers, publicOrigin())) return next();
    return c.json(
      { error: { code: "CROSS_SITE_REQUEST", message: "Cross-site request refused: the Origin is not this site." } },
      403,
    );
  };
}
