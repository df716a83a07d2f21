import { changePasswordInput, loginInput } from "@laget/domain";
import { changePassword, login, logout, logoutEverywhere } from "./login.ts";
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
    await logout(ctx.db, ctx.bus, ctx.actor.id, ctx.session.id, ctx.ip);
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),

  logoutEverywhere: sessionProcedure.mutation(async ({ ctx }) => {
    await logoutEverywhere(ctx.db, ctx.bus, ctx.actor.id, ctx.ip);
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),

  changePassword: sessionProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.db, ctx.bus, ctx.actor.id, ctx.session.id, input);
    return { ok: true as const };
  }),
});
