import { appNb } from "./catalogs/app.nb.ts";
import { authNb } from "./catalogs/auth.nb.ts";
import { adminNb } from "./catalogs/admin.nb.ts";
import { casesNb } from "./catalogs/cases.nb.ts";
import { consentNb } from "./catalogs/consent.nb.ts";
import { disclosuresNb } from "./catalogs/disclosures.nb.ts";
import { auditNb } from "./catalogs/audit.nb.ts";
import { reviewNb } from "./catalogs/review.nb.ts";
import { notificationsNb } from "./catalogs/notifications.nb.ts";
import { messagingNb } from "./catalogs/messaging.nb.ts";
import { plansNb } from "./catalogs/plans.nb.ts";
import { meetingsNb } from "./catalogs/meetings.nb.ts";
import { calendarNb } from "./catalogs/calendar.nb.ts";
import { referralsNb } from "./catalogs/referrals.nb.ts";
import { offersNb } from "./catalogs/offers.nb.ts";
import { referralInsightsNb } from "./catalogs/referralInsights.nb.ts";

/**
 * Norwegian bokmål: the source of truth for every UI string, one catalog file per capability
 * under catalogs/. Plain language, and the field's own words (sak, samtykke, tiltaksplan,
 * henvisning, referat, flyt-møte, stafettholder). Messages are ICU MessageFormat.
 */
export const nb = {
  ...appNb,
  ...authNb,
  ...adminNb,
  ...casesNb,
  ...consentNb,
  ...disclosuresNb,
  ...auditNb,
  ...reviewNb,
  ...notificationsNb,
  ...messagingNb,
  ...plansNb,
  ...meetingsNb,
  ...calendarNb,
  ...referralsNb,
  ...offersNb,
  ...referralInsightsNb,
} as const;
