import { initTRPC, TRPCError } from "@trpc/server";
import { isAdmin, type Actor } from "../auth/actor.ts";
import type { Session } from "../auth/sessions.ts";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { RateLimiter } from "../messaging/rate-limit.ts";
import type { Realtime } from "../messaging/realtime.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import { appCodeOf, fieldErrorsOf, toTRPCError } from "./errors.ts";
import { transformer } from "./transformer.ts";

export type Context = {
  db: Db;
  bus: EventBus;
  /** Pushes committed events to users' sockets (the socket.io gateway). */
  realtime: Realtime;
  /** The live-document server (a restore applies an old revision through its transact). */
  liveDocuments: LiveDocuments;
  /** Per-user sends, edits and deletes: the same bucket as the socket's. */
  messageLimiter: RateLimiter;
  log: Logger;
  ip: string | null;
  session: Session | null;
  actor: Actor | null;
  setSessionCookie(token: string): void;
  clearSessionCookie(): void;
};

const t = initTRPC.context<Context>().create({
  // Dates cross the wire as Dates: superjson, serialized faster (transformer.ts).
  transformer,
  errorFormatter({ shape, error }) {
    const fieldErrors = error.code === "BAD_REQUEST" ? fieldErrorsOf(error.cause) : null;
    let message = shape.message;
    // Internal details stay in the log, never in the response.
    if (error.code === "INTERNAL_SERVER_ERROR") message = "Internal error";
    else if (fieldErrors) {
      message = "Invalid input: " + Object.entries(fieldErrors).map(([field, msgs]) => `${field}: ${msgs.join(", ")}`).join("; ");
    }
    return {
      ...shape,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: appCodeOf(error),
        fieldErrors,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors thrown by plain functions become tRPC errors here, once. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    throw toTRPCError(result.error.cause);
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

/** Signed in, possibly still holding a one-time password. */
export const sessionProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session || !ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Not signed in" });
  return next({ ctx: { ...ctx, session: ctx.session, actor: ctx.actor } });
});

/** Signed in with a password of one's own: every ordinary procedure. */
export const userProcedure = sessionProcedure.use(({ ctx, next }) => {
  if (ctx.actor.mustChangePassword) throw new AppError("PASSWORD_CHANGE_REQUIRED");
  return next({ ctx: { ...ctx, actor: ctx.actor as Actor } });
});

/** A municipality admin, acting within their own municipality only. */
export const adminProcedure = userProcedure.use(({ ctx, next }) => {
  if (!isAdmin(ctx.actor)) throw new AppError("FORBIDDEN");
  return next();
});
