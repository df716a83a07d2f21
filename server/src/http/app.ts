import { getConnInfo } from "@hono/node-server/conninfo";
import { trpcServer } from "@hono/trpc-server";
import { Hono, type MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { requestId } from "hono/request-id";
import { SESSION_INACTIVITY_TIMEOUT_MS } from "../auth/sessions.ts";
import { authenticateRequest, SESSION_COOKIE } from "../auth/upgrade.ts";
import { calendarRoutes } from "../calendar/routes.ts";
import { openDataRoutes } from "../open-data/routes.ts";
import { isReachable, type Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import type { RateLimiter } from "../messaging/rate-limit.ts";
import type { Realtime } from "../messaging/realtime.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import type { Context as TrpcContext } from "../trpc/init.ts";
import { appRouter } from "../trpc/router.ts";
import { version } from "../version.ts";
import { clientBuild } from "./client-build.ts";
import { clientDelivery } from "./client-delivery.ts";
import { requireSameOrigin, type PublicOrigin } from "./origin.ts";
import { securityHeaders } from "./security-headers.ts";

export { SESSION_COOKIE };

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export type AppDeps = {
  db: Db;
  bus: EventBus;
  realtime: Realtime;
  liveDocuments: LiveDocuments;
  messageLimiter: RateLimiter;
  publicOrigin: PublicOrigin;
  log: Logger;
  secureCookies: boolean;
  clientDist: string;
};

type Env = { Variables: { log: Logger; requestId: string } };

/**
 * API responses are personal data: never stored by a browser or a proxy, unless the
 * route says otherwise (the open-data directory is public and cacheable). JSON above
 * 1 KB is compressed. The realtime paths (socket.io, /collab) never pass through here:
 * they are served beside Hono on the same HTTP server, uncompressed.
 */
const apiResponses: MiddlewareHandler[] = [
  async (c, next) => {
    await next();
    if (!c.res.headers.has("cache-control")) c.header("Cache-Control", "no-store");
  },
  compress({ threshold: 1024 }),
];

export function createApp({ db, bus, realtime, liveDocuments, messageLimiter, publicOrigin, log, secureCookies, clientDist }: AppDeps) {
  const app = new Hono<Env>();

  app.use(requestId());
  app.use(async (c, next) => {
    const requestLog = log.child({ reqId: c.get("requestId") });
    c.set("log", requestLog);
    const started = performance.now();
    await next();
    const quiet = c.req.path === "/health" || c.req.path.startsWith("/assets/");
    requestLog[quiet ? "debug" : "info"](
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      "request",
    );
  });
  const client = clientBuild(clientDist);
  app.use(securityHeaders({ publicOrigin, client }));
  app.use(requireSameOrigin(publicOrigin));
  app.use("/trpc/*", ...apiResponses);
  app.use("/api/*", ...apiResponses);
  app.use("/health", ...apiResponses);

  app.get("/health", async (c) => {
    const database = (await isReachable(db)) ? "up" : "down";
    return c.json({ status: database === "up" ? "ok" : "degraded", database, version }, database === "up" ? 200 : 503);
  });

  app.use(
    "/trpc/*",
    trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      createContext: async ({ resHeaders }, c): Promise<TrpcContext> => {
        // tRPC builds its own Response: cookies go through resHeaders, not Hono's context.
        const setSessionCookie = (token: string) =>
          resHeaders.append("set-cookie", sessionCookie(token, SESSION_INACTIVITY_TIMEOUT_MS / 1000, secureCookies));
        const authenticated = await authenticateRequest(db, c.req.header("cookie"));
        if (authenticated?.refreshed) setSessionCookie(authenticated.token);
        return {
          db,
          bus,
          realtime,
          liveDocuments,
          messageLimiter,
          log: c.get("log") as Logger,
          ip: getConnInfo(c).remote.address ?? null,
          session: authenticated?.session ?? null,
          actor: authenticated?.actor ?? null,
          setSessionCookie,
          clearSessionCookie: () => resHeaders.append("set-cookie", sessionCookie("", 0, secureCookies)),
        };
      },
      onError: ({ error, path: procedure }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") log.error({ err: error.cause ?? error, procedure }, "procedure failed");
      },
    }),
  );

  // Calendar feeds (a secret token, no cookie) and single meetings as .ics.
  app.route("/api", calendarRoutes({ db, log }));
  // The offers directory as open data (HSDS 3.0): no session, public caching.
  app.route("/api", openDataRoutes({ db }));

  // An unknown API path is a JSON 404, never the app's page.
  app.all("/api/*", (c) => c.json({ error: { code: "NOT_FOUND", message: "No such API path" } }, 404));

  // The built client: pre-compressed, cached by kind, client-side routes answered with index.html.
  app.route("/", clientDelivery(client));

  app.onError((err, c) => {
    (c.get("log") ?? log).error({ err }, "unhandled error");
    return c.json({ error: { code: "INTERNAL", message: "Internal error" } }, 500);
  });

  return app;
}
