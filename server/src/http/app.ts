import { readFile } from "node:fs/promises";
import path from "node:path";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
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
import { requireSameOrigin, type PublicOrigin } from "./origin.ts";

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
  app.use(secureHeaders());
  app.use(requireSameOrigin(publicOrigin));

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

  // The built client, with the SPA fallback for client-side routes (read per request,
  // so a rebuilt client is served without a restart).
  app.use("*", serveStatic({ root: clientDist }));
  app.get("*", async (c) => {
    const html = await readFile(path.join(clientDist, "index.html"), "utf8").catch(
      () => "<!doctype html><title>Laget</title><p>The web client is not built: run <code>pnpm build</code>.</p>",
    );
    return c.html(html);
  });

  app.onError((err, c) => {
    (c.get("log") ?? log).error({ err }, "unhandled error");
    return c.json({ error: { code: "INTERNAL", message: "Internal error" } }, 500);
  });

  return app;
}
