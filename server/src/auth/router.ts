import { changePasswordInput, loginInput } from "@laget/domain";
import { changePassword, login, logout, logoutEverywhere } from "./login.ts";
import { publicProcedure, router, sessionProcedure } from "../trpc/init.ts";

// Thin: the cookie is HTTP's business and stays here; the rest is plain functions.
export const authRouter = router({
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const { token } = await login({ ...ctx, ...input });
    ctx.setSessionCookie(token);
    return { ok: true as const };
  }),

  /** Who am I: null when signed out, so the client can show the login page without an error. */
  me: publicProcedure.query(({ ctx }) => ctx.actor),

  logout: sessionProcedure.mutation(async ({ ctx }) => {
    await logout(ctx);
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),

  logoutEverywhere: sessionProcedure.mutation(async ({ ctx }) => {
    await logoutEverywhere(ctx);
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),

  changePassword: sessionProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword({ ...ctx, ...input });
    return { ok: true as const };
  }),
});
