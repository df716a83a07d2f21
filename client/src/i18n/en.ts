import type { Catalog } from "./types.ts";
import { appEn } from "./catalogs/app.en.ts";
import { authEn } from "./catalogs/auth.en.ts";
import { adminEn } from "./catalogs/admin.en.ts";
import { casesEn } from "./catalogs/cases.en.ts";
import { consentEn } from "./catalogs/consent.en.ts";
import { disclosuresEn } from "./catalogs/disclosures.en.ts";
import { auditEn } from "./catalogs/audit.en.ts";
import { reviewEn } from "./catalogs/review.en.ts";
import { notificationsEn } from "./catalogs/notifications.en.ts";
import { messagingEn } from "./catalogs/messaging.en.ts";
import { plansEn } from "./catalogs/plans.en.ts";
import { meetingsEn } from "./catalogs/meetings.en.ts";
import { calendarEn } from "./catalogs/calendar.en.ts";
import { referralsEn } from "./catalogs/referrals.en.ts";
import { offersEn } from "./catalogs/offers.en.ts";
import { referralInsightsEn } from "./catalogs/referralInsights.en.ts";

/** English, merged from catalogs/*.en.ts. Typed as Catalog, so a missing or extra key is a compile error. */
export const en: Catalog = {
  ...appEn,
  ...authEn,
  ...adminEn,
  ...casesEn,
  ...consentEn,
  ...disclosuresEn,
  ...auditEn,
  ...reviewEn,
  ...notificationsEn,
  ...messagingEn,
  ...plansEn,
  ...meetingsEn,
  ...calendarEn,
  ...referralsEn,
  ...offersEn,
  ...referralInsightsEn,
};
