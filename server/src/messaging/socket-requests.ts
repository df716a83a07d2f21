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
import { conversationRoom, type Ack, type ClientRequest } from "@laget/realtime";
import type { z } from "zod";
import { loadActor, type Actor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { eventsSince } from "../events/replay.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import type { Logger } from "../log.ts";
import { fieldErrorsOf } from "../trpc/errors.ts";
import { authorizeConversation } from "./access.ts";
import { caseWatchInput, type CaseWatch } from "./case-watch.ts";
import { deleteMessage, editMessage, sendMessage } from "./messages.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { markRead } from "./read-state.ts";
import { deliverCommitted, type RealtimeHub } from "./realtime.ts";
import type { Delivery } from "../events/user-events.ts";
import type { LagetSocket } from "./socket-types.ts";
// The replay judges of the event types this socket's `sync` replays.
import "./replay.ts";
import "../notifications/replay.ts";

/**
 * The client → server requests of one socket (@laget/realtime's ClientRequests): each
 * takes a payload and an ack callback, behind a rate limit and an in-flight cap, with its
 * input parsed by its zod schema (packages/domain) and one error shape.
 */
export type RequestContext = {
  db: Db;
  log: Logger;
  realtime: RealtimeHub;
  caseWatch: CaseWatch;
  lapses?: LapseTimer;
  limiters: { messages: RateLimiter; other: RateLimiter; typing: RateLimiter };
  maxInFlight: number;
  /** Narrowing events this node has handled so far. */
  narrowings(): number;
  /** The socket's user, re-read now and then. */
  actorOf(socket: LagetSocket): Promise<Actor>;
  presenceOf(userIds: readonly string[]): Promise<Record<string, PresenceStatus>>;
  announcePresence(userId: string, rooms: string[]): Promise<void>;
  conversationRooms(socket: LagetSocket): string[];
};

function failure(err: unknown, log: Logger): Ack<never> {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } };
  const fieldErrors = fieldErrorsOf(err);
  if (fieldErrors) return { ok: false, error: { code: "VALIDATION", message: "Invalid input", fieldErrors } };
  log.error({ err }, "socket handler failed");
  return { ok: false, error: { code: "INTERNAL", message: "Internal error" } };
}

export function registerRequests(socket: LagetSocket, ctx: RequestContext): void {
  const { db, realtime, limiters } = ctx;
  const userId = socket.data.actor.id;
  let inFlight = 0;

  /** Registers an acked request: rate limit, in-flight cap, zod parse, one error shape. */
  function handle<S extends z.ZodType>(event: ClientRequest, schema: S, limiter: RateLimiter, run: (input: z.output<S>, actor: Actor) => Promise<object>) {
    socket.on(event as never, async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === "function" ? (ack as (r: Ack<object>) => void) : () => {};
      if (inFlight >= ctx.maxInFlight || !limiter.take(userId)) {
        return reply({ ok: false, error: { code: "RATE_LIMITED", message: "Too many requests: slow down" } });
      }
      inFlight++;
      try {
        const input = schema.parse(payload ?? {});
        reply({ ok: true, ...(await run(input, await ctx.actorOf(socket))) });
      } catch (err) {
        reply(failure(err, ctx.log));
      } finally {
        inFlight--;
      }
    });
  }

  // Committed means sent: the ack follows the commit, whatever the pushes after it do.
  const deliverAfterCommit = (deliveries: readonly Delivery[]) => deliverCommitted(realtime, deliveries, ctx.log);
  handle("message:send", sendMessageInput, limiters.messages, async (input, actor) => {
    const result = await sendMessage({ db, actor, ...input });
    deliverAfterCommit(result.deliveries);
    return { message: result.message, duplicate: result.duplicate };
  });
  handle("message:edit", editMessageInput, limiters.messages, async (input, actor) => {
    const result = await editMessage({ db, actor, ...input });
    deliverAfterCommit(result.deliveries);
    return { message: result.message };
  });
  handle("message:delete", deleteMessageInput, limiters.messages, async (input, actor) => {
    const result = await deleteMessage({ db, actor, ...input });
    deliverAfterCommit(result.deliveries);
    return { message: result.message };
  });
  handle("conversation:join", conversationIdInput, limiters.other, async (input, actor) => {
    const seen = ctx.narrowings();
    const { facts } = await authorizeConversation({ db, actor, conversationId: input.conversationId, action: "read" });
    if (facts) ctx.lapses?.track(facts);
    await socket.join(conversationRoom(input.conversationId));
    // A narrowing handled meanwhile did not see this socket in the room: judge it again.
    if (seen !== ctx.narrowings()) {
      const fresh = await loadActor(db, actor.id);
      const still = fresh && (await authorizeConversation({ db, actor: fresh, conversationId: input.conversationId, action: "read" }).then(() => true, () => false));
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
    const { deliveries, ...state } = await markRead({ db, actor, ...input });
    realtime.deliver(deliveries);
    return state;
  });
  handle("case:watch", caseWatchInput, limiters.other, (input, actor) => ctx.caseWatch.watch(socket, actor, input));
  handle("case:unwatch", caseWatchInput, limiters.other, (input) => ctx.caseWatch.unwatch(socket, input));
  handle("sync", syncInput, limiters.other, (input, actor) => eventsSince({ db, actor, since: input.since, limit: input.limit }));
  handle("presence:set", setPresenceInput, limiters.other, async (input) => {
    socket.data.away = input.status === "away";
    await ctx.announcePresence(userId, ctx.conversationRooms(socket));
    return {};
  });
  handle("presence:query", presenceQueryInput, limiters.other, async (input, actor) => {
    // Only colleagues in the same municipality; others simply show as offline.
    const ids = input.userIds.length
      ? (await db.selectFrom("users").select("id").where("id", "in", input.userIds).where("municipality_id", "=", actor.municipalityId).execute()).map((r) => r.id)
      : [];
    return { presence: { ...Object.fromEntries(input.userIds.map((u) => [u, "offline"])), ...(await ctx.presenceOf(ids)) } };
  });

  // Typing is ephemeral and only for rooms the socket is in (joined after the judge said yes).
  socket.on("typing" as never, (payload: unknown) => {
    const parsed = typingInput.safeParse(payload);
    if (!parsed.success || !limiters.typing.take(userId)) return;
    const room = conversationRoom(parsed.data.conversationId);
    if (socket.rooms.has(room)) socket.to(room).emit("typing", { conversationId: parsed.data.conversationId, userId, typing: parsed.data.typing });
  });
}
