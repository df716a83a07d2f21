import { auditRouter } from "../audit/router.ts";
import { authRouter } from "../auth/router.ts";
import { calendarRouter } from "../calendar/router.ts";
import { casesRouter } from "../cases/router.ts";
import { consentsRouter } from "../consent/router.ts";
import { disclosuresRouter } from "../disclosures/router.ts";
import { conversationsRouter, messagesRouter } from "../messaging/router.ts";
import { meetingsRouter } from "../meetings/router.ts";
import { notificationsRouter } from "../notifications/router.ts";
import { unitsRouter, usersRouter } from "../org/router.ts";
import { plansRouter } from "../plans/router.ts";
import { agendaRouter } from "../meetings/agenda-router.ts";
import { referralsRouter } from "../referrals/router.ts";
import { offersRouter } from "../offers/router.ts";
import { referralInsightsRouter } from "../referrals/insights-router.ts";
import { router } from "./init.ts";

export const appRouter = router({
  auth: authRouter,
  units: unitsRouter,
  users: usersRouter,
  cases: casesRouter,
  consents: consentsRouter,
  disclosures: disclosuresRouter,
  audit: auditRouter,
  notifications: notificationsRouter,
  plans: plansRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  calendar: calendarRouter,
  meetings: meetingsRouter,
  agenda: agendaRouter,
  referrals: referralsRouter,
  offers: offersRouter,
  referralInsights: referralInsightsRouter,
});

export type AppRouter = typeof appRouter;
