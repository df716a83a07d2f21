import { idSchema, text } from "@laget/domain";
import { z } from "zod";
import { router, userProcedure } from "../trpc/init.ts";
import { createToken, listTokens, revokeToken } from "./tokens.ts";

/** The user's own calendar feed tokens (DESIGN.md §6): listed, created (shown once), revoked. */
export const calendarRouter = router({
  tokens: userProcedure.query(({ ctx }) => listTokens(ctx)),
  createToken: userProcedure.input(z.strictObject({ name: text(100) })).mutation(({ ctx, input }) => createToken({ ...ctx, ...input })),
  revokeToken: userProcedure.input(z.strictObject({ tokenId: idSchema })).mutation(({ ctx, input }) => revokeToken({ ...ctx, ...input })),
});
