import { caseIdInput, createDisclosureInput, disclosureIdInput, reviewDisclosureInput } from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { createDisclosure, disclosureReviewQueue, listCaseDisclosures, listStatutes, reviewDisclosure, revokeDisclosure } from "./disclosures.ts";

export const disclosuresRouter = router({
  statutes: userProcedure.query(({ ctx }) => listStatutes(ctx)),
  forCase: userProcedure.input(caseIdInput).query(({ ctx, input }) => listCaseDisclosures({ ...ctx, ...input })),
  create: userProcedure.input(createDisclosureInput).mutation(({ ctx, input }) => createDisclosure({ ...ctx, ...input })),
  revoke: userProcedure.input(disclosureIdInput).mutation(({ ctx, input }) => revokeDisclosure({ ...ctx, ...input })),
  reviewQueue: userProcedure.query(({ ctx }) => disclosureReviewQueue(ctx)),
  review: userProcedure.input(reviewDisclosureInput).mutation(({ ctx, input }) => reviewDisclosure({ ...ctx, ...input })),
});
