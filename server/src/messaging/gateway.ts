import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { PresenceStatus } from "@laget/domain";
import { conversationOfRoom, conversationRoom, userRoom } from "@laget/realtime";
import type { createClient } from "redis";
import { Server, type ServerOptions } from "socket.io";
import { loadActor, type Actor } from "../auth/actor.ts";
import { sessionStands } from "../auth/sessions.ts";
import { authenticateUpgrade } from "../auth/upgrade.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { sessionEnded, type EventBus } from "../events/bus.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import { lastEventId, type Delivery } from "../events/user-events.ts";
import { isSameSiteRequest, type PublicOrigin } from "../http/origin.ts";
import type { Logger } from "../log.ts";
import { readableConversationIds } from "./access.ts";
import { createCaseWatch } from "./case-watch.ts";
import { createRateLimiter, type RateLimit, type RateLimiter } from "./rate-limit.ts";
import type { RealtimeHub } from "./realtime.ts";
import { guardRecovery } from "./recovery.ts";
import { createRevocation } from "./revocation.ts";
import { registerRequests } from "./socket-requests.ts";
import type { LagetServer, LagetSocket, SocketData } from "./socket-types.ts";

/**
 * The socket.io gateway on the app's HTTP server (path /socket.io/ only: other upgrades,
 * such as Hocuspocus on /collab, are left alone). The handshake must come from our own
 * origin and carry a valid session cookie. Each socket joins its user's room (where its
 * events arrive, each with the user's next event id) and the rooms of the conversations
 * it may read (typing, presence, and what is revoked when consent goes). The protocol
 * is @laget/realtime's; its requests are in socket-requests.ts, recovery of a dropped
 * session in recovery.ts, revocation in revocation.ts.
 */
export type GatewayLimits = {
  /** message:send, :edit, :delete per user. */
  messages: RateLimit;
  /** Everything else with an ack (sync, join, read, presence). */
  other: RateLimit;
  typing: RateLimit;
  /** Acked requests one socket may have in progress at once. */
  maxInFlight: number;
};
export const defaultLimits: GatewayLimits = {
  messages: { burst: 20, perSecond: 5 },
  other: { burst: 60, perSecond: 20 },
  typing: { burst: 5, perSecond: 1 },
  maxInFlight: 16,
};
const ACTOR_REFRESH_MS = 30_000;

export type Gateway = { io: LagetServer; close(): Promise<void> };

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** Same rule as HTTP mutations; a same-origin polling GET from a browser carries Sec-Fetch-Site but no Origin. */
function originAllowed(req: IncomingMessage, publicOrigin: string): boolean {
  const headers = headersOf(req);
  return isSameSiteRequest(headers, publicOrigin) || (!headers.has("origin") && headers.get("sec-fetch-site") === "same-origin");
}

export async function attachGateway(options: {
  server: HttpServer;
  db: Db;
  bus: EventBus;
  log: Logger;
  realtime: RealtimeHub;
  publicOrigin: PublicOrigin;
  redisUrl?: string;
  limits?: Partial<GatewayLimits>;
  /** The per-user message limiter, shared with messages.send/edit/delete over HTTP. */
  messageLimiter?: RateLimiter;
  /** This node's timer for bases that end in time (a consent's period, a disclosure's end). */
  lapses?: LapseTimer;
}): Promise<Gateway> {
  const { db, bus, log, realtime } = options;
  const limits = { ...defaultLimits, ...options.limits };

  let redis: ReturnType<typeof createClient> | undefined;
  let adapter: Partial<ServerOptions> = {};
  if (options.redisUrl) {
    // Loaded only with Redis (as in the event bus): a single node does without the client library.
    const [{ createClient: createRedisClient }, { createAdapter }] = await Promise.all([import("redis"), import("@socket.io/redis-streams-adapter")]);
    redis = createRedisClient({ url: options.redisUrl });
    redis.on("error", (err) => log.error({ err }, "socket.io redis error"));
    await redis.connect();
    adapter = { adapter: createAdapter(redis) };
  }

  const io: LagetServer = new Server(options.server, {
    path: "/socket.io/",
    serveClient: false,
    // Leave upgrades for other paths (Hocuspocus on /collab) to their own handlers.
    destroyUpgrade: false,
    // A message is at most 10,000 characters; anything far larger is not ours.
    maxHttpBufferSize: 128 * 1024,
    // Realtime traffic is never compressed: long-polling bodies and WebSocket frames go
    // out as they are (latency first; compressing secrets next to attacker-chosen text
    // also invites BREACH-style guessing).
    httpCompression: false,
    perMessageDeflate: false,
    allowRequest: (req, callback) => {
      const allowed = originAllowed(req, options.publicOrigin());
      callback(allowed ? null : "Cross-site request refused", allowed);
    },
    // A speedup only: the per-user event log is what makes reconnects lossless. Only with
    // Redis, where the missed packets wait in the stream: socket.io's in-memory adapter
    // would keep every packet of the last two minutes in this node's heap (at 500 sends/s,
    // hundreds of thousands), and marking that heap stalled deliveries (bench:messaging).
    ...(redis ? { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false } } : {}),
    ...adapter,
  });
  guardRecovery(io, db, log);

  const limiters = {
    messages: options.messageLimiter ?? createRateLimiter(limits.messages),
    other: createRateLimiter(limits.other),
    typing: createRateLimiter(limits.typing),
  };

  /** Narrowing events this node has handled: a judgement that saw another one start is made again. */
  let narrowings = 0;

  io.use(async (socket, next) => {
    // Counted before the session is read: one ended from here on is checked again at setup.
    const judgedAt = narrowings;
    try {
      const authenticated = await authenticateUpgrade(db, socket.request.headers.cookie);
      if (!authenticated) return next(new Error("UNAUTHENTICATED"));
      const { actor, sessionId } = authenticated;
      socket.data = { actor, sessionId, checkedAt: Date.now(), away: false, judgedAt } satisfies SocketData;
      next();
    } catch (err) {
      log.error({ err }, "socket handshake failed");
      next(new Error("INTERNAL"));
    }
  });

  /** The socket's user, re-read now and then: a signed-out session or a deactivated user loses the socket. */
  async function actorOf(socket: LagetSocket): Promise<Actor> {
    if (Date.now() - socket.data.checkedAt > ACTOR_REFRESH_MS) {
      const actor = (await authenticateUpgrade(db, socket.request.headers.cookie))?.actor;
      if (!actor || actor.id !== socket.data.actor.id) {
        socket.disconnect(true);
        throw new AppError("UNAUTHENTICATED");
      }
      socket.data.actor = actor;
      socket.data.checkedAt = Date.now();
    }
    return socket.data.actor;
  }

  /**
   * Leaves conversation rooms no longer readable (a recovered session keeps its old rooms)
   * and joins the readable ones; again, with the user re-read, if a narrowing was handled
   * meanwhile (it could not see this socket in the rooms it was about to join).
   */
  async function syncRooms(socket: LagetSocket): Promise<void> {
    for (;;) {
      const seen = narrowings;
      const { ids, caseFacts } = await readableConversationIds(db, socket.data.actor);
      for (const facts of caseFacts.values()) options.lapses?.track(facts);
      for (const room of conversationRooms(socket)) {
        if (!ids.has(conversationOfRoom(room)!)) void socket.leave(room);
      }
      void socket.join([...ids].map(conversationRoom));
      if (seen === narrowings) return;
      const actor = await loadActor(db, socket.data.actor.id);
      if (!actor) {
        socket.disconnect(true);
        return;
      }
      socket.data.actor = actor;
    }
  }

  async function presenceOf(userIds: readonly string[]): Promise<Record<string, PresenceStatus>> {
    const status: Record<string, PresenceStatus> = Object.fromEntries(userIds.map((u) => [u, "offline"]));
    if (userIds.length === 0) return status;
    const sockets = await io.in(userIds.map(userRoom)).fetchSockets();
    for (const s of sockets) {
      const data = s.data as SocketData;
      const id = data.actor.id;
      if (!(id in status)) continue;
      if (!data.away) status[id] = "online";
      else if (status[id] === "offline") status[id] = "away";
    }
    return status;
  }

  async function announcePresence(userId: string, rooms: string[]): Promise<void> {
    if (rooms.length === 0) return;
    const status = (await presenceOf([userId]))[userId]!;
    io.to(rooms).emit("presence", { userId, status });
  }

  const caseWatch = createCaseWatch({ io, db, bus, log, lapses: options.lapses });
  const revocation = createRevocation({ io, db, lapses: options.lapses });
  const { conversationRooms } = revocation;

  io.on("connection", (socket) => {
    const userId = socket.data.actor.id;
    registerRequests(socket, {
      db,
      log,
      realtime,
      caseWatch,
      lapses: options.lapses,
      limiters,
      maxInFlight: limits.maxInFlight,
      narrowings: () => narrowings,
      actorOf,
      presenceOf,
      announcePresence,
      conversationRooms,
    });

    let roomsAtDisconnect: string[] = [];
    socket.on("disconnecting", () => {
      roomsAtDisconnect = conversationRooms(socket);
    });
    socket.on("disconnect", () => {
      void announcePresence(userId, roomsAtDisconnect).catch((err: unknown) => log.warn({ err }, "presence update failed"));
    });

    void (async () => {
      // A session ended during the handshake was not among the sockets the node closed.
      if (socket.data.judgedAt !== narrowings && !(await sessionStands(db, socket.data.sessionId, socket.data.actor.id))) {
        socket.emit("session:ended");
        socket.disconnect(true);
        return;
      }
      // The head of the user's log, read before joining the user's room: every later event
      // arrives live or shows up as a gap. A client whose last seen id is lower asks `sync`.
      const head = await lastEventId(db, userId);
      await socket.join(userRoom(userId));
      await syncRooms(socket);
      // Hello only once the socket is in its conversation rooms: a client may type or
      // watch presence as soon as it is greeted (events meanwhile are held by its cursor).
      socket.emit("hello", { userId, lastEventId: head, recovered: socket.recovered });
      if (!socket.data.away) await announcePresence(userId, conversationRooms(socket));
    })().catch((err: unknown) => {
      log.error({ err }, "socket setup failed");
      socket.disconnect(true);
    });
  });

  /**
   * Pushes to the users' sockets on this node only (skipping users with none here). Each
   * event is one user's, so it is emitted on their sockets directly: a room broadcast
   * would build room sets and a pre-encoded frame for every single delivery.
   */
  function deliverLocally(deliveries: readonly Delivery[]) {
    const { adapter, sockets } = io.of("/");
    for (const d of deliveries) {
      for (const id of adapter.rooms.get(userRoom(d.userId)) ?? []) sockets.get(id)?.emit("event", d.event);
    }
  }
  // One inter-node message per send carries all its deliveries (rather than one per
  // reader through the adapter); each node pushes to its own sockets.
  io.on("deliveries", (deliveries: Delivery[]) => deliverLocally(deliveries));

  realtime.bind({
    deliver: (deliveries) => {
      if (deliveries.length === 0) return;
      deliverLocally(deliveries);
      if (redis) io.serverSideEmit("deliveries", [...deliveries]);
    },
    joinConversation: (userIds, conversationId) => {
      if (userIds.length) io.in(userIds.map(userRoom)).socketsJoin(conversationRoom(conversationId));
    },
    leaveConversation: (userIds, conversationId) => {
      if (userIds.length) io.in(userIds.map(userRoom)).socketsLeave(conversationRoom(conversationId));
    },
    membersChanged: (conversationId) => {
      io.to(conversationRoom(conversationId)).emit("conversation:members", { conversationId });
    },
  });

  // Handled before this node acknowledges the event: the revoking call waits for it.
  const unsubscribe = bus.subscribe(async (event) => {
    if (event.type === "userEventsCommitted") return deliverLocally(event.deliveries);
    narrowings++;
    if (event.type === "accessChanged") await revocation.onAccessChanged(event);
    if (event.type === "membershipChanged") await revocation.onMembershipChanged(event);
    if (event.type === "sessionsEnded") {
      // Every node gets the event and closes its own sockets of those sessions.
      for (const socket of io.of("/").sockets.values()) {
        if (!sessionEnded(event, socket.data.actor.id, socket.data.sessionId)) continue;
        socket.emit("session:ended");
        socket.disconnect(true);
      }
    }
  });

  return {
    io,
    close: async () => {
      unsubscribe();
      caseWatch.close();
      realtime.bind(null);
      // Closes this node's sockets (their transports drop, so clients reconnect, to another
      // node or to this one restarted), the engine and the adapter, and stops the HTTP
      // server accepting (the caller waits for it).
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await redis?.quit().catch(() => {});
    },
  };
}
