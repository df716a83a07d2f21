import { myMeasuresInput, planCaseInput, restoreRevisionInput, setPlanDomainsInput } from "@laget/domain";
import { adminProcedure, router, userProcedure } from "../trpc/init.ts";
import { getDomains, listRevisions, myMeasures, planConnection, restoreRevision, setDomains } from "./plans.ts";

export const plansRouter = router({
  /** Where and how to open the case's plan document (and whether read-only). */
  connection: userProcedure.input(planCaseInput).query(({ ctx, input }) => planConnection({ ...ctx, ...input })),
  /** "Mine tiltak": my measures across cases, filtered by due (14 days) or overdue. */
  myMeasures: userProcedure.input(myMeasuresInput).query(({ ctx, input }) => myMeasures({ ...ctx, ...input })),
  revisions: userProcedure.input(planCaseInput).query(({ ctx, input }) => listRevisions({ ...ctx, ...input })),
  restoreRevision: userProcedure.input(restoreRevisionInput).mutation(({ ctx, input }) => restoreRevision({ ...ctx, ...input })),
  domains: userProcedure.query(({ ctx }) => getDomains(ctx)),
  setDomains: adminProcedure.input(setPlanDomainsInput).mutation(({ ctx, input }) => setDomains({ ...ctx, ...input })),
});
