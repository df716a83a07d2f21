import { caseIdInput, createDisclosureInput, disclosureIdInput, reviewDisclosureInput } from "@laget/domain";
import { callOf } from "../cases/call.ts";
import { router, userProcedure } from "../trpc/init.ts";
import { createDisclosure, disclosureReviewQueue, listCaseDisclosures, listStatutes, reviewDisclosure, revokeDisclosure } from "./disclosures.ts";

export const disclosuresRouter = router({
  statutes: userProcedure.query(({ ctx }) => listStatutes(callOf(ctx))),
  forCase: userProcedure.input(caseIdInput).query(({ ctx, input }) => listCaseDisclosures({ ...callOf(ctx), ...input })),
  create: userProcedure.input(createDisclosureInput).mutation(({ ctx, input }) => createDisclosure({ ...callOf(ctx), ...input })),
  revoke: userProcedure.input(disclosureIdInput).mutation(({ ctx, input }) => revokeDisclosure({ ...callOf(ctx), ...input })),
  reviewQueue: userProcedure.query(({ ctx }) => disclosureReviewQueue(callOf(ctx))),
  review: userProcedure.input(reviewDisclosureInput).mutation(({ ctx, input }) => reviewDisclosure({ ...callOf(ctx), ...input })),
});
