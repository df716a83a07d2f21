import { caseIdInput } from "@laget/domain";
import { callOf } from "../cases/call.ts";
import { router, userProcedure } from "../trpc/init.ts";
import { accessLogCsv, accessReview, caseAccessLog, verifyChain } from "./access-log.ts";

export const auditRouter = router({
  caseLog: userProcedure.input(caseIdInput).query(({ ctx, input }) => caseAccessLog({ ...callOf(ctx), ...input })),
  caseLogCsv: userProcedure.input(caseIdInput).query(async ({ ctx, input }) => accessLogCsv(await caseAccessLog({ ...callOf(ctx), ...input }))),
  verify: userProcedure.query(({ ctx }) => verifyChain(callOf(ctx))),
  accessReview: userProcedure.query(({ ctx }) => accessReview(callOf(ctx))),
});
