import type { IncomingMessage, Server as HttpServer } from "node:http";
import {
  conversationIdInput,
  deleteMessageInput,
  editMessageInput,
  markReadInput,
  presenceQueryInput,
  sendMessageInput,
  setPresenceInput,
  syncInput,
  typingInput,
  type PresenceStatus,
} from "@laget/domain";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { Server, type DefaultEventsMap, type Socket } from "socket.io";
import type { z } from "zod";
import { loadActor, type Actor } from "../auth/actor.ts";
import { sessionStands } from "../auth/sessions.ts";
import { authenticateUpgrade } from "../auth/upgrade.ts";
import { decisionFor } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { sessionEnded, type AccessChanged, type EventBus, type MembershipChanged } from "../events/bus.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import { isSameSiteRequest, type PublicOrigin } from "../http/origin.ts";
import type { Logger } from "../log.ts";
import { fieldErrorsOf } from "../trpc/errors.ts";
import { authorizeConversation, readableConversationIds } from "./access.ts";
import { caseWatchInput, createCaseWatch, type CaseAccessEnded } from "./case-watch.ts";
import { lastEventId, type Delivery, type UserEvent } from "./events.ts";
import { deleteMessage, editMessage, eventsSince, markRead, sendMessage } from "./messages.ts";
import { createRateLimiter, type RateLimit, type RateLimiter } from "./rate-limit.ts";
import { conversationRoom, userRoom, type RealtimeHub } from "./realtime.ts";

/**
 * The socket.io gateway on the app's HTTP server (path /socket.io/ only: other upgrades,
 * such as Hocuspocus on /collab, are left alone). The handshake must come from our own
 * origin and carry a valid session cookie. Each socket joins its user's room (where its
 * events arrive, each with the user's next event id) and the rooms of the conversations
 * it may read (typing, presence, and what is revoked when consent goes).
 *
 * Client → server events take a payload and an ack callback; the ack is always
 * `{ ok: true, ... }` or `{ ok: false, error: { code, message, fieldErrors? } }`.
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

type SocketData = {
  actor: Actor;
  sessionId: string;
  checkedAt: number;
  away: boolean;
  /** Narrowing events this node had handled when the handshake began: another since, and the session is checked again. */
  judgedAt: number;
};

/** What the server pushes; dates inside arrive as ISO strings. */
export interface ServerToClientEvents {
  /** On every (re)connect: the head of the user's event log. */
  hello(p: { userId: string; lastEventId: number; recovered: boolean }): void;
  /** One event of the user's log, with its event id. */
  event(e: UserEvent): void;
  typing(p: { conversationId: string; userId: string; typing: boolean }): void;
  presence(p: { userId: string; status: PresenceStatus }): void;
  /** The user may no longer read this case thread. */
  "conversation:revoked"(p: { conversationId: string }): void;
  /** The conversation's members changed: fetch them again (sent to its room only). */
  "conversation:members"(p: { conversationId: string }): void;
  /** This socket's session ended: the client drops what it keeps on the device (plan copies). */
  "session:ended"(): void;
  /** Access to a watched case (or its plan) ended: clear what is shown (case-watch.ts). */
  "case:accessEnded"(p: CaseAccessEnded): void;
}
/** Between nodes: the deliveries of one committed change. */
interface InterServerEvents {
  deliveries(deliveries: Delivery[]): void;
}
type LagetServer = Server<DefaultEventsMap, ServerToClientEvents, InterServerEvents, SocketData>;
type LagetSocket = Socket<DefaultEventsMap, ServerToClientEvents, InterServerEvents, SocketData>;
type AckResponse = { ok: true; [key: string]: unknown } | { ok: false; error: { code: string; message: string; fieldErrors?: Record<string, string[]> | null } };

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

function failure(err: unknown, log: Logger): AckResponse {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } };
  const fieldErrors = fieldErrorsOf(err);
  if (fieldErrors) return { ok: false, error: { code: "VALIDATION", message: "Invalid input", fieldErrors } };
  log.error({ err }, "socket handler failed");
  return { ok: false, error: { code: "INTERNAL", message: "Internal error" } };
}

/**
 * socket.io's connection-state recovery puts a returning socket back in the rooms it had
 * and replays what those rooms got meanwhile, before any middleware or handler runs. A
 * basis may have lapsed in between (the socket was gone when the nodes evicted), so a
 * session is restored only if its user and session still stand and it may still read
 * every conversation room it would rejoin; otherwise it connects afresh (rooms judged
 * anew, messages from the user's log, which is re-judged on replay) and nothing is replayed.
 */
function guardRecovery(io: LagetServer, db: Db, log: Logger) {
  const adapter = io.of("/").adapter;
  const restore = adapter.restoreSession.bind(adapter);
  type Session = Awaited<ReturnType<typeof restore>>;
  // Undefined: not recovered, the socket connects afresh.
  const judged = async (pid: string, offset: string): Promise<Session | undefined> => {
    const session = await restore(pid, offset);
    if (!session) return undefined;
    try {
      const data = session.data as Partial<SocketData> | undefined;
      const userId = data?.actor?.id;
      const stands = userId && data?.sessionId ? await sessionStands(db, data.sessionId, userId) : false;
      const actor = userId && stands ? await loadActor(db, userId) : null;
      if (!actor || actor.mustChangePassword) return undefined;
      const { ids } = await readableConversationIds(db, actor);
      const rooms = session.rooms.filter((r) => r.startsWith("conversation:"));
      if (!rooms.every((r) => ids.has(r.slice("conversation:".length)))) return undefined;
      session.data = { ...data, actor, checkedAt: Date.now() };
      return session;
    } catch (err) {
      log.warn({ err }, "judging a recovered session failed: connecting afresh");
      return undefined;
    }
  };
  adapter.restoreSession = judged as typeof adapter.restoreSession;
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
  if (options.redisUrl) {
    redis = createClient({ url: options.redisUrl });
    redis.on("error", (err) => log.error({ err }, "socket.io redis error"));
    await redis.connect();
  }

  const io: LagetServer = new Server(options.server, {
    path: "/socket.io/",
    serveClient: false,
    // Leave upgrades for other paths (Hocuspocus on /collab) to their own handlers.
    destroyUpgrade: false,
    // A message is at most 10,000 characters; anything far larger is not ours.
    maxHttpBufferSize: 128 * 1024,
    allowRequest: (req, callback) => {
      const allowed = originAllowed(req, options.publicOrigin());
      callback(allowed ? null : "Cross-site request refused", allowed);
    },
    // A speedup only: the per-user event log is what makes reconnects lossless.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    ...(redis ? { adapter: createAdapter(redis) } : {}),
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
      for (const room of socket.rooms) {
        if (room.startsWith("conversation:") && !ids.has(room.slice("conversation:".length))) void socket.leave(room);
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
  const conversationRooms = (socket: LagetSocket) => [...socket.rooms].filter((r) => r.startsWith("conversation:"));

  io.on("connection", (socket) => {
    const userId = socket.data.actor.id;
    let inFlight = 0;

    /** Registers an acked request: rate limit, in-flight cap, zod parse, one error shape. */
    function handle<S extends z.ZodType>(
      event: string,
      schema: S,
      limiter: RateLimiter,
      run: (input: z.output<S>, actor: Actor) => Promise<Record<string, unknown>>,
    ) {
      socket.on(event, async (payload: unknown, ack?: unknown) => {
        const reply = typeof ack === "function" ? (ack as (r: AckResponse) => void) : () => {};
        if (inFlight >= limits.maxInFlight || !limiter.take(userId)) {
          return reply({ ok: false, error: { code: "RATE_LIMITED", message: "Too many requests: slow down" } });
        }
        inFlight++;
        try {
          const input = schema.parse(payload ?? {});
          reply({ ok: true, ...(await run(input, await actorOf(socket))) });
        } catch (err) {
          reply(failure(err, log));
        } finally {
          inFlight--;
        }
      });
    }

    handle("message:send", sendMessageInput, limiters.messages, async (input, actor) => {
      const result = await sendMessage(db, actor, input);
      realtime.deliver(result.deliveries);
      return { message: result.message, duplicate: result.duplicate };
    });
    handle("message:edit", editMessageInput, limiters.messages, async (input, actor) => {
      const result = await editMessage(db, actor, input);
      realtime.deliver(result.deliveries);
      return { message: result.message };
    });
    handle("message:delete", deleteMessageInput, limiters.messages, async (input, actor) => {
      const result = await deleteMessage(db, actor, input.messageId);
      realtime.deliver(result.deliveries);
      return { message: result.message };
    });
    handle("conversation:join", conversationIdInput, limiters.other, async (input, actor) => {
      const seen = narrowings;
      const { facts } = await authorizeConversation(db, actor, input.conversationId, "read");
      if (facts) options.lapses?.track(facts);
      await socket.join(conversationRoom(input.conversationId));
      // A narrowing handled meanwhile did not see this socket in the room: judge it again.
      if (seen !== narrowings) {
        const fresh = await loadActor(db, actor.id);
        const still = fresh && (await authorizeConversation(db, fresh, input.conversationId, "read").then(() => true, () => false));
        if (!still) {
          void socket.leave(conversationRoom(input.conversationId));
          throw new AppError("NOT_FOUND");
        }
      }
      return {};
    });
    handle("conversation:leave", conversationIdInput, limiters.other, async (input) => {
      await socket.leave(conversationRoom(input.conversationId));
      return {};
    });
    handle("conversation:read", markReadInput, limiters.other, async (input, actor) => {
      const { deliveries, ...state } = await markRead(db, actor, input);
      realtime.deliver(deliveries);
      return state;
    });
    handle("case:watch", caseWatchInput, limiters.other, (input, actor) => caseWatch.watch(socket, actor, input));
    handle("case:unwatch", caseWatchInput, limiters.other, (input) => caseWatch.unwatch(socket, input));
    handle("sync", syncInput, limiters.other, (input, actor) => eventsSince(db, actor, input.since, input.limit));
    handle("presence:set", setPresenceInput, limiters.other, async (input) => {
      socket.data.away = input.status === "away";
      await announcePresence(userId, conversationRooms(socket));
      return {};
    });
    handle("presence:query", presenceQueryInput, limiters.other, async (input, actor) => {
      // Only colleagues in the same municipality; others simply show as offline.
      const ids = input.userIds.length
        ? (await db.selectFrom("users").select("id").where("id", "in", input.userIds).where("municipality_id", "=", actor.municipalityId).execute()).map((r) => r.id)
        : [];
      return { presence: { ...Object.fromEntries(input.userIds.map((u) => [u, "offline"])), ...(await presenceOf(ids)) } };
    });

    // Typing is ephemeral and only for rooms the socket is in (joined after a decide()).
    socket.on("typing", (payload: unknown) => {
      const parsed = typingInput.safeParse(payload);
      if (!parsed.success || !limiters.typing.take(userId)) return;
      const room = conversationRoom(parsed.data.conversationId);
      if (socket.rooms.has(room)) socket.to(room).emit("typing", { conversationId: parsed.data.conversationId, userId, typing: parsed.data.typing });
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
      socket.emit("hello", { userId, lastEventId: head, recovered: socket.recovered });
      await syncRooms(socket);
      if (!socket.data.away) await announcePresence(userId, conversationRooms(socket));
    })().catch((err: unknown) => {
      log.error({ err }, "socket setup failed");
      socket.disconnect(true);
    });
  });

  /** Pushes to the users' sockets on this node only (skipping users with none here). */
  function deliverLocally(deliveries: readonly Delivery[]) {
    const rooms = io.of("/").adapter.rooms;
    for (const d of deliveries) {
      const room = userRoom(d.userId);
      if (rooms.has(room)) io.local.to(room).emit("event", d.event);
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

  /** Takes the socket out of a conversation's room and tells it why: it may no longer read it. */
  function revokeRoom(socket: LagetSocket, conversationId: string) {
    // Synchronous for the in-memory room map this node broadcasts from.
    void socket.leave(conversationRoom(conversationId));
    socket.emit("conversation:revoked", { conversationId });
  }

  /**
   * A case narrowed: every node gets the bus event and judges its own sockets in the
   * case thread's room again; those no longer allowed leave it and are told, before the
   * node acknowledges the event (so before the narrowing call returns). Messages never
   * reach them anyway: each send decides its readers afresh.
   */
  async function onAccessChanged(event: AccessChanged): Promise<void> {
    const conversation = await db.selectFrom("conversations").select("id").where("case_id", "=", event.caseId).executeTakeFirst();
    if (!conversation) return;
    const socketIds = [...(io.of("/").adapter.rooms.get(conversationRoom(conversation.id)) ?? [])];
    if (socketIds.length === 0) return;
    const facts = (await loadCaseFacts(db, [event.caseId])).get(event.caseId);
    if (facts) options.lapses?.track(facts);
    const actors = new Map<string, Actor | null>();
    for (const id of socketIds) {
      const socket = io.of("/").sockets.get(id);
      if (!socket) continue;
      const userId = socket.data.actor.id;
      if (!actors.has(userId)) actors.set(userId, await loadActor(db, userId));
      const actor = actors.get(userId);
      if (actor && facts && decisionFor(actor, facts, "conversation", "read", "coordination").allow) continue;
      revokeRoom(socket, conversation.id);
    }
  }

  /** Some users narrowed (a membership or unit gone): their sockets here are judged again, room by room. */
  async function onMembershipChanged(event: MembershipChanged): Promise<void> {
    const users = new Set(event.userIds);
    const sockets = [...io.of("/").sockets.values()].filter((s) => users.has(s.data.actor.id));
    for (const userId of new Set(sockets.map((s) => s.data.actor.id))) {
      const actor = await loadActor(db, userId);
      const own = sockets.filter((s) => s.data.actor.id === userId);
      if (!actor) {
        for (const s of own) s.disconnect(true);
        continue;
      }
      const { ids } = await readableConversationIds(db, actor);
      for (const socket of own) {
        socket.data.actor = actor;
        socket.data.checkedAt = Date.now();
        for (const room of conversationRooms(socket)) {
          const conversationId = room.slice("conversation:".length);
          if (!ids.has(conversationId)) revokeRoom(socket, conversationId);
        }
      }
    }
  }

  // Handled before this node acknowledges the event: the revoking call waits for it.
  const unsubscribe = bus.subscribe(async (event) => {
    if (event.type === "userEventsCommitted") return deliverLocally(event.deliveries);
    narrowings++;
    if (event.type === "accessChanged") await onAccessChanged(event);
    if (event.type === "membershipChanged") await onMembershipChanged(event);
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
