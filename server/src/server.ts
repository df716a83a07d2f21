import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createAdaptorServer } from "@hono/node-server";
import { resolveAuditKey, useAuditKey } from "./audit/key.ts";
import type { Config } from "./config.ts";
import { databaseTargetFor } from "./db/target.ts";
import { describeTarget, openDatabase, type Db } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { DEMO_PASSWORD, demoUsers, seedDemo } from "./demo/seed.ts";
import { scheduleConsentJobs } from "./consent/expiry.ts";
import { createEventBus, type EventBus } from "./events/bus.ts";
import { createLapseTimer } from "./events/lapse-timer.ts";
import { createApp } from "./http/app.ts";
import type { Logger } from "./log.ts";
import { attachGateway, defaultLimits, type GatewayLimits } from "./messaging/gateway.ts";
import { createRateLimiter } from "./messaging/rate-limit.ts";
import { createRealtimeHub } from "./messaging/realtime.ts";
import { scheduleEventRetention } from "./events/retention.ts";
import { createDocumentKinds } from "./collab/kinds.ts";
import { createLiveDocuments, type LiveDocuments } from "./collab/live-documents.ts";
import { planKind } from "./plans/kind.ts";
import { minutesKind } from "./meetings/minutes-kind.ts";
import { schedulePlanJobs } from "./plans/jobs.ts";
import { scheduleReminders } from "./meetings/reminders.ts";
import { scheduleReferralEscalation } from "./referrals/escalation.ts";

export const defaultClientDist = fileURLToPath(new URL("../../client/dist", import.meta.url));
const SHUTDOWN_GRACE_MS = 7_000;

export type RunningServer = {
  url: string;
  port: number;
  db: Db;
  bus: EventBus;
  /** Live documents on /collab (the Hocuspocus server), of every registered kind. */
  liveDocuments: LiveDocuments;
  /** Stops accepting, lets in-flight requests finish (at most 7 s), then closes the database. */
  close(): Promise<void>;
};

export async function startServer(options: {
  config: Config;
  log: Logger;
  /** An already open database (tests); otherwise opened from the configuration and closed on close(). */
  db?: Db;
  clientDist?: string;
  /** Socket rate limits (tests tighten or loosen them). */
  socketLimits?: Partial<GatewayLimits>;
}): Promise<RunningServer> {
  const { config, log } = options;
  useAuditKey(resolveAuditKey(config, log));
  const ownsDb = !options.db;
  let db: Db;
  if (options.db) {
    db = options.db;
  } else {
    const target = databaseTargetFor(config);
    log.info({ database: describeTarget(target) }, `Opening ${describeTarget(target)}`);
    db = await openDatabase(target);
  }

  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ migrations: applied }, "migrations applied");
  if (config.demo) {
    const seeded = await seedDemo(db);
    if (seeded) log.info("Seeded the demo municipality \"Demo kommune\"");
    for (const u of demoUsers) log.info({ demoUser: u.email, role: u.role, unit: u.unit }, `Demo user ${u.email} (${u.role}, ${u.unit})`);
    log.info(`Demo password for every demo user: ${DEMO_PASSWORD}`);
  }

  const bus = await createEventBus({ redisUrl: config.redisUrl, log });
  const stopJobs = scheduleConsentJobs(db, bus, log);
  const stopPlanJobs = schedulePlanJobs({ db, bus, log });
  const stopRetention = scheduleEventRetention(db, log);
  // Every node scans for meeting reminders; the reminders table makes each go out once.
  const stopReminders = scheduleReminders({ db, bus, log });
  // Referrals unanswered past their deadline reach the case's coordinator, once (on the node holding the lock).
  const stopReferralEscalation = scheduleReferralEscalation({ db, bus, log });
  // Known once the server listens when PORT is 0 and PUBLIC_URL unset.
  let origin = config.publicOrigin ?? "";
  const publicOrigin = () => origin;
  // Bases that end in time close live access at that moment, on each node for its own connections.
  const lapses = createLapseTimer({ db, bus, log });
  const liveDocuments = await createLiveDocuments({ db, bus, log, kinds: createDocumentKinds([planKind, minutesKind]), publicOrigin, redisUrl: config.redisUrl, lapses });

  const realtime = createRealtimeHub();
  // One bucket per user for sends, edits and deletes, whether over the socket or HTTP.
  const messageLimiter = createRateLimiter({ ...defaultLimits, ...options.socketLimits }.messages);
  const app = createApp({
    db,
    bus,
    realtime,
    liveDocuments,
    messageLimiter,
    publicOrigin,
    log,
    secureCookies: config.secureCookies,
    clientDist: path.resolve(options.clientDist ?? defaultClientDist),
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  liveDocuments.attach(server);
  const gateway = await attachGateway({ server, db, bus, log, realtime, publicOrigin, redisUrl: config.redisUrl, limits: options.socketLimits, messageLimiter, lapses });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  origin = config.publicOrigin ?? url;
  log.info({ port, publicUrl: origin }, `Laget is listening on ${url}`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.once("close", () => resolve()));
      // Disconnects this node's sockets and stops the HTTP server accepting (socket.io closes it).
      // Persists every open live document and closes its connections before the server stops.
      await liveDocuments.close();
      await gateway.close();
      if (server.listening) server.close();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(timer);
      stopJobs();
      lapses.close();
      stopPlanJobs();
      stopRetention();
      await stopReminders();
      stopReferralEscalation();
      await bus.close();
      if (ownsDb) await db.destroy();
    })());

  return { url, port, db, bus, liveDocuments, close };
}
