import { caseIdInput, createDisclosureInput, idSchema, reviewDisclosureInput } from "@laget/domain";
import { z } from "zod";
import { router, userProcedure } from "../trpc/init.ts";
import { createDisclosure, disclosureReviewQueue, listCaseDisclosures, listStatutes, reviewDisclosure, revokeDisclosure } from "./disclosures.ts";

export const disclosuresRouter = router({
  statutes: userProcedure.query(({ ctx }) => listStatutes(ctx.db, ctx.actor)),
  forCase: userProcedure.input(caseIdInput).query(({ ctx, input }) => listCaseDisclosures(ctx.db, ctx.actor, input.caseId)),
  create: userProcedure.input(createDisclosureInput).mutation(({ ctx, input }) => createDisclosure(ctx.db, ctx.realtime, ctx.actor, input)),
  revoke: userProcedure.input(z.object({ disclosureId: idSchema })).mutation(({ ctx, input }) => revokeDisclosure(ctx.db, ctx.bus, ctx.actor, input.disclosureId)),
  reviewQueue: userProcedure.query(({ ctx }) => disclosureReviewQueue(ctx.db, ctx.actor)),
  review: userProcedure.input(reviewDisclosureInput).mutation(({ ctx, input }) => reviewDisclosure(ctx.db, ctx.actor, input)),
});
