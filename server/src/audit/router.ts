import { caseIdInput } from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { accessLogCsv, accessReview, caseAccessLog, verifyChain } from "./access-log.ts";

export const auditRouter = router({
  caseLog: userProcedure.input(caseIdInput).query(({ ctx, input }) => caseAccessLog(ctx.db, ctx.actor, input.caseId)),
  caseLogCsv: userProcedure.input(caseIdInput).query(async ({ ctx, input }) => accessLogCsv(await caseAccessLog(ctx.db, ctx.actor, input.caseId))),
  verify: userProcedure.query(({ ctx }) => verifyChain(ctx.db, ctx.actor)),
  accessReview: userProcedure.query(({ ctx }) => accessReview(ctx.db, ctx.actor)),
});
