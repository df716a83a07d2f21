import { caseIdInput } from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { accessLogCsv, accessReview, caseAccessLog, verifyChain } from "./access-log.ts";

export const auditRouter = router({
  caseLog: userProcedure.input(caseIdInput).query(({ ctx, input }) => caseAccessLog({ ...ctx, ...input })),
  caseLogCsv: userProcedure.input(caseIdInput).query(async ({ ctx, input }) => accessLogCsv(await caseAccessLog({ ...ctx, ...input }))),
  verify: userProcedure.query(({ ctx }) => verifyChain(ctx)),
  accessReview: userProcedure.query(({ ctx }) => accessReview(ctx)),
});
