import { idSchema, text } from "@laget/domain";
import { z } from "zod";
import { adminProcedure, router, userProcedure } from "../trpc/init.ts";
import { getDomains, listRevisions, myMeasures, planConnection, restoreRevision, setDomains } from "./plans.ts";

const caseIdInput = z.strictObject({ caseId: idSchema });
const restoreInput = z.strictObject({ caseId: idSchema, revisionId: idSchema });
const myMeasuresInput = z.strictObject({ filter: z.enum(["all", "due", "overdue"]).default("all") }).default({ filter: "all" });
const domainsInput = z.strictObject({
  domains: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,60}$/), name: text(200) }))
    .min(1)
    .max(30)
    .refine((ds) => new Set(ds.map((d) => d.id)).size === ds.length, "ids must be distinct")
    .nullable(),
});

export const plansRouter = router({
  /** Where and how to open the case's plan document (and whether read-only). */
  connection: userProcedure.input(caseIdInput).query(({ ctx, input }) => planConnection(ctx.db, ctx.actor, input.caseId)),
  /** "Mine tiltak": my measures across cases, filtered by due (14 days) or overdue. */
  myMeasures: userProcedure.input(myMeasuresInput).query(({ ctx, input }) => myMeasures(ctx.db, ctx.actor, input.filter)),
  revisions: userProcedure.input(caseIdInput).query(({ ctx, input }) => listRevisions(ctx.db, ctx.actor, input.caseId)),
  restoreRevision: userProcedure
    .input(restoreInput)
    .mutation(({ ctx, input }) => restoreRevision(ctx.db, ctx.plans, ctx.actor, input.caseId, input.revisionId)),
  domains: userProcedure.query(({ ctx }) => getDomains(ctx.db, ctx.actor)),
  setDomains: adminProcedure.input(domainsInput).mutation(({ ctx, input }) => setDomains(ctx.db, ctx.actor, input.domains)),
});
