import { authRouter } from "../auth/router.ts";
import { unitsRouter, usersRouter } from "../org/router.ts";
import { router } from "./init.ts";

export const appRouter = router({
  auth: authRouter,
  units: unitsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
