/**
 * Every route of the app (client/src/App.tsx) and the source modules its lazy pages are,
 * relative to client/. The build's budget (budget.ts) adds up, per route, the JavaScript those
 * modules' chunks load; a lazy chunk that no route here loads fails the build.
 */
const layout = "src/shell/Layout.tsx";
const casePage = [layout, "src/cases/CasePage.tsx"];

export const routes: Record<string, readonly string[]> = {
  "/login": ["src/auth/LoginPage.tsx"],
  "(forced password change)": ["src/auth/ChangePasswordPage.tsx"],
  "/saker": [layout, "src/cases/CasesPage.tsx"],
  "/saker/ny": [layout, "src/cases/NewCasePage.tsx"],
  "/saker/:id": [...casePage, "src/cases/OverviewTab.tsx"],
  "/saker/:id/notater": [...casePage, "src/cases/NotesTab.tsx"],
  "/saker/:id/samtykke": [...casePage, "src/cases/ConsentTab.tsx"],
  "/saker/:id/overlevering": [...casePage, "src/cases/HandoverTab.tsx"],
  "/saker/:id/opplysninger": [...casePage, "src/cases/DisclosureTab.tsx"],
  "/saker/:id/samtale": [...casePage, "src/messaging/CaseConversationTab.tsx"],
  "/saker/:id/plan": [...casePage, "src/plans/PlanTab.tsx", "src/plans/NotesEditor.tsx"],
  "/saker/:id/plan/utskrift": [...casePage, "src/plans/PlanPrintView.tsx"],
  "/saker/:id/tilgangslogg": [...casePage, "src/cases/AccessLogTab.tsx"],
  "/saker/:id/henvisninger": [...casePage, "src/referrals/CaseReferralsTab.tsx"],
  "/gjennomgang": [layout, "src/review/ReviewPage.tsx"],
  "/tiltak": [layout, "src/plans/MyMeasuresPage.tsx"],
  "/meldinger": [layout, "src/messaging/MessagesPage.tsx"],
  "/moter": [layout, "src/meetings/MeetingsPage.tsx"],
  "/moter/ny, /moter/serie/:id": [layout, "src/meetings/SeriesEditor.tsx"],
  "/moter/mote/:id, /moter/:serie/:gang": [layout, "src/meetings/MeetingPage.tsx"],
  "/moter/mote/:id/utskrift": [layout, "src/meetings/PrintView.tsx"],
  "/henvisninger": [layout, "src/referrals/ReferralsPage.tsx"],
  "/henvisninger/tall": [layout, "src/referrals/figures/FiguresPage.tsx"],
  "/henvisninger/:id": [layout, "src/referrals/ReferralPage.tsx"],
  "/kalender": [layout, "src/calendar/CalendarPage.tsx"],
  "/tilbud": [layout, "src/offers/OffersPage.tsx"],
  "/tilbud/ny, /tilbud/:id/endre": [layout, "src/offers/OfferEditor.tsx"],
  "/tilbud/brosjyre": [layout, "src/offers/BrochurePage.tsx"],
  "/tilbud/:id": [layout, "src/offers/OfferPage.tsx"],
  "/passord": [layout, "src/auth/ChangePasswordPage.tsx"],
  "/admin/enheter": [layout, "src/admin/AdminArea.tsx", "src/admin/UnitsPage.tsx"],
  "/admin/brukere": [layout, "src/admin/AdminArea.tsx", "src/admin/UsersPage.tsx"],
};

/** Loaded on any route by someone who chose English: counted in every route (the worst case). */
export const everyRoute: readonly string[] = ["src/i18n/en.ts"];

export const limits = { login: { route: "/login", br: 150 * 1024 }, anyRoute: 350 * 1024 };
