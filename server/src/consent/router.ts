import { caseIdInput, consentIdInput, consentReasonInput, createConsentInput, reviseConsentInput } from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { createConsent, deleteDraftConsent, listConsents, reviseConsent, transitionConsent, type ConsentTransition } from "./consents.ts";

/** One consent transition as a mutation: the input names the consent (and, for an end, why). */
const transition = (name: ConsentTransition, input: typeof consentIdInput | typeof consentReasonInput) =>
  userProcedure.input(input).mutation(({ ctx, input }) => transitionConsent({ ...ctx, ...input, name }));

export const consentsRouter = router({
  list: userProcedure.input(caseIdInput).query(({ ctx, input }) => listConsents({ ...ctx, ...input })),
  create: userProcedure.input(createConsentInput).mutation(({ ctx, input }) => createConsent({ ...ctx, ...input })),
  revise: userProcedure.input(reviseConsentInput).mutation(({ ctx, input }) => reviseConsent({ ...ctx, ...input })),
  request: transition("request", consentIdInput),
  activate: transition("activate", consentIdInput),
  refuse: transition("refuse", consentReasonInput),
  withdraw: transition("withdraw", consentReasonInput),
  invalidate: transition("invalidate", consentReasonInput),
  deleteDraft: userProcedure.input(consentIdInput).mutation(({ ctx, input }) => deleteDraftConsent({ ...ctx, ...input })),
});
