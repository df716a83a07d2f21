import { createReferralInput, listReferralsInput, moveReferralInput, referralCaseInput, referralIdInput, referralPrefillInput } from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import "./events.ts";
import { createReferral, getReferral, listRecipients, listReferrals, moveReferral, prefillReferral, referralsForCase } from "./referrals.ts";

/** Referrals from a case to volunteer units and their offers (DESIGN.md §7): the `referrals` router. */
export const referralsRouter = router({
  recipients: userProcedure.input(referralCaseInput).query(({ ctx, input }) => listRecipients({ ...ctx, ...input })),
  prefill: userProcedure.input(referralPrefillInput).query(({ ctx, input }) => prefillReferral({ ...ctx, ...input })),
  create: userProcedure.input(createReferralInput).mutation(({ ctx, input }) => createReferral({ ...ctx, ...input })),
  move: userProcedure.input(moveReferralInput).mutation(({ ctx, input }) => moveReferral({ ...ctx, ...input })),
  get: userProcedure.input(referralIdInput).query(({ ctx, input }) => getReferral({ ...ctx, ...input })),
  list: userProcedure.input(listReferralsInput).query(({ ctx, input }) => listReferrals({ ...ctx, ...input })),
  forCase: userProcedure.input(referralCaseInput).query(({ ctx, input }) => referralsForCase({ ...ctx, ...input })),
});
