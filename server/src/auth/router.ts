import { changePasswordInput, loginInput } from "@laget/domain";
import { changePassword, login, recordAuthEvent } from "./login.ts";
import { deleteSession, deleteUserSessions } from "./sessions.ts";
import { publicProcedure, router, sessionProcedure } from "../trpc/init.ts";

export const authRouter = router({
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const { token } = await login(ctx.db, ctx.log, input, ctx.ip);
    ctx.setSessionCookie(token);
    return { ok: true as const };
  }),

  /** Who am I: null when signed out, so the client can show the login page without an error. */
  me: publicProcedure.query(({ ctx }) => ctx.actor),

  logout: sessionProcedure.mutation(async ({ ctx }) => {
    await deleteSession(ctx.db, ctx.session.id);
    await recordAuthEvent(ctx.db, { kind: "logout", userId: ctx.actor.id, ip: ctx.ip });
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),

  logoutEverywhere: sessionProcedure.mutation(async ({ ctx }) => {
    await deleteUserSessions(ctx.db, ctx.actor.id);
    await recordAuthEvent(ctx.db, { kind: "logout_everywhere", userId: ctx.actor.id, ip: ctx.ip });
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),

  changePassword: sessionProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.db, ctx.actor.id, ctx.session.id, input);
    return { ok: true as const };
  }),
});
