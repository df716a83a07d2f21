import { caseIdInput, consentIdInput, consentReasonInput, createConsentInput, reviseConsentInput } from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { createConsent, deleteDraftConsent, listConsents, reviseConsent, transitionConsent } from "./consents.ts";

export const consentsRouter = router({
  list: userProcedure.input(caseIdInput).query(({ ctx, input }) => listConsents(ctx.db, ctx.actor, input.caseId)),
  create: userProcedure.input(createConsentInput).mutation(({ ctx, input }) => {
    const { caseId, ...terms } = input;
    return createConsent(ctx.db, ctx.actor, caseId, terms);
  }),
  revise: userProcedure.input(reviseConsentInput).mutation(({ ctx, input }) => {
    const { consentId, ...terms } = input;
    return reviseConsent(ctx.db, ctx.actor, consentId, terms);
  }),
  request: userProcedure.input(consentIdInput).mutation(({ ctx, input }) => transitionConsent(ctx.db, ctx.bus, ctx.actor, input.consentId, "request")),
  activate: userProcedure.input(consentIdInput).mutation(({ ctx, input }) => transitionConsent(ctx.db, ctx.bus, ctx.actor, input.consentId, "activate")),
  refuse: userProcedure.input(consentReasonInput).mutation(({ ctx, input }) => transitionConsent(ctx.db, ctx.bus, ctx.actor, input.consentId, "refuse", input.reason)),
  withdraw: userProcedure.input(consentReasonInput).mutation(({ ctx, input }) => transitionConsent(ctx.db, ctx.bus, ctx.actor, input.consentId, "withdraw", input.reason)),
  invalidate: userProcedure
    .input(consentReasonInput)
    .mutation(({ ctx, input }) => transitionConsent(ctx.db, ctx.bus, ctx.actor, input.consentId, "invalidate", input.reason)),
  deleteDraft: userProcedure.input(consentIdInput).mutation(({ ctx, input }) => deleteDraftConsent(ctx.db, ctx.actor, input.consentId)),
});
