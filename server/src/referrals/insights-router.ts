import { adminProcedure, router, userProcedure } from "../trpc/init.ts";
import { offerFeedback, offerFeedbackInput, recordFeedback, recordFeedbackInput } from "./feedback.ts";
import { figures } from "./figures.ts";
import { settings, updateSettings, updateSettingsInput } from "./settings.ts";

/** What the referral loop adds up to (DESIGN.md §7): figures, the family's feedback, the response deadline. The `referralInsights` router. */
export const referralInsightsRouter = router({
  figures: userProcedure.query(({ ctx }) => figures(ctx)),
  feedback: userProcedure.input(offerFeedbackInput).query(({ ctx, input }) => offerFeedback({ ...ctx, ...input })),
  recordFeedback: userProcedure.input(recordFeedbackInput).mutation(({ ctx, input }) => recordFeedback({ ...ctx, ...input })),
  settings: userProcedure.query(({ ctx }) => settings(ctx)),
  updateSettings: adminProcedure.input(updateSettingsInput).mutation(({ ctx, input }) => updateSettings({ ...ctx, ...input })),
});
