import { isValidElement, type ReactElement, type ReactNode } from "react";
import { createRoutesFromChildren, matchRoutes, Navigate, Route, Routes, useLocation } from "react-router";
import { useLogout, useMe, type Actor } from "./auth/session.ts";
import { useT } from "./i18n/I18nProvider.tsx";
import { NotFoundPage } from "./shell/pages.tsx";
import { PublicLayout } from "./shell/PublicLayout.tsx";
import { startPathFor, worksOnCases } from "./shell/sections.ts";
import { lazyPage } from "./ui/lazyPage.tsx";
import { ErrorMessage, LoadFailed } from "./ui/messages.tsx";

// Every page is loaded when first opened (client/build/routes.ts lists them for the build's
// budget): the login page brings no case pages, the case list no editor, and the signed-in
// shell (with its realtime socket) comes only after signing in.
const LoginPage = lazyPage(() => import("./auth/LoginPage.tsx"), "LoginPage", <PublicLoading />);
const ChangePasswordPage = lazyPage(() => import("./auth/ChangePasswordPage.tsx"), "ChangePasswordPage");
const Layout = lazyPage(() => import("./shell/Layout.tsx"), "Layout", <PublicLoading />);
const CasesPage = lazyPage(() => import("./cases/CasesPage.tsx"), "CasesPage");
const NewCasePage = lazyPage(() => import("./cases/NewCasePage.tsx"), "NewCasePage");
const CasePage = lazyPage(() => import("./cases/CasePage.tsx"), "CasePage");
const OverviewTab = lazyPage(() => import("./cases/OverviewTab.tsx"), "OverviewTab");
const NotesTab = lazyPage(() => import("./cases/NotesTab.tsx"), "NotesTab");
const ConsentTab = lazyPage(() => import("./cases/ConsentTab.tsx"), "ConsentTab");
const HandoverTab = lazyPage(() => import("./cases/HandoverTab.tsx"), "HandoverTab");
const DisclosureTab = lazyPage(() => import("./cases/DisclosureTab.tsx"), "DisclosureTab");
const AccessLogTab = lazyPage(() => import("./cases/AccessLogTab.tsx"), "AccessLogTab");
const CaseConversationTab = lazyPage(() => import("./messaging/CaseConversationTab.tsx"), "CaseConversationTab");
const CaseReferralsTab = lazyPage(() => import("./referrals/CaseReferralsTab.tsx"), "CaseReferralsTab");
const PlanTab = lazyPage(() => import("./plans/PlanTab.tsx"), "PlanTab");
const PlanPrintView = lazyPage(() => import("./plans/PlanPrintView.tsx"), "PlanPrintView");
const MyMeasuresPage = lazyPage(() => import("./plans/MyMeasuresPage.tsx"), "MyMeasuresPage");
const ReviewPage = lazyPage(() => import("./review/ReviewPage.tsx"), "ReviewPage");
const MessagesPage = lazyPage(() => import("./messaging/MessagesPage.tsx"), "MessagesPage");
const MeetingsPage = lazyPage(() => import("./meetings/MeetingsPage.tsx"), "MeetingsPage");
const NewSeriesPage = lazyPage(() => import("./meetings/SeriesEditor.tsx"), "NewSeriesPage");
const EditSeriesPage = lazyPage(() => import("./meetings/SeriesEditor.tsx"), "EditSeriesPage");
const OccurrencePage = lazyPage(() => import("./meetings/MeetingPage.tsx"), "OccurrencePage");
const MeetingByIdPage = lazyPage(() => import("./meetings/MeetingPage.tsx"), "MeetingByIdPage");
const MeetingPrintView = lazyPage(() => import("./meetings/PrintView.tsx"), "MeetingPrintView");
const ReferralsPage = lazyPage(() => import("./referrals/ReferralsPage.tsx"), "ReferralsPage");
const FiguresPage = lazyPage(() => import("./referrals/figures/FiguresPage.tsx"), "FiguresPage");
const ReferralPage = lazyPage(() => import("./referrals/ReferralPage.tsx"), "ReferralPage");
const CalendarPage = lazyPage(() => import("./calendar/CalendarPage.tsx"), "CalendarPage");
const OffersPage = lazyPage(() => import("./offers/OffersPage.tsx"), "OffersPage");
const NewOfferPage = lazyPage(() => import("./offers/OfferEditor.tsx"), "NewOfferPage");
const EditOfferPage = lazyPage(() => import("./offers/OfferEditor.tsx"), "EditOfferPage");
const BrochurePage = lazyPage(() => import("./offers/BrochurePage.tsx"), "BrochurePage");
const OfferPage = lazyPage(() => import("./offers/OfferPage.tsx"), "OfferPage");
const AdminArea = lazyPage(() => import("./admin/AdminArea.tsx"), "AdminArea");
const UnitsPage = lazyPage(() => import("./admin/UnitsPage.tsx"), "UnitsPage");
const UsersPage = lazyPage(() => import("./admin/UsersPage.tsx"), "UsersPage");

/** What the app shows while the first page's code arrives: the same as while `auth.me` is on its way. */
function PublicLoading() {
  const t = useT();
  return (
    <PublicLayout>
      <p role="status">{t("app.loading")}</p>
    </PublicLayout>
  );
}

/**
 * Routes whose pages are lazy, with the code of every page the address matches (the shell,
 * the case page, its tab) requested at once rather than each after its parent has rendered.
 */
function LazyRoutes({ children }: { children: ReactNode }) {
  const location = useLocation();
  for (const match of matchRoutes(createRoutesFromChildren(children), location) ?? []) {
    const element = match.route.element;
    if (isValidElement(element) && typeof element.type === "function" && "preload" in element.type) {
      void (element.type as { preload(): Promise<unknown> }).preload();
    }
  }
  return <Routes location={location}>{children}</Routes>;
}

/**
 * What the app shows follows from `auth.me` alone: signed out → login; holding a
 * one-time password → only the change-password page; otherwise the app.
 */
export function App() {
  const me = useMe();

  if (me.isPending) return <PublicLoading />;
  if (me.isError) {
    return (
      <PublicLayout>
        <LoadFailed error={me.error} onRetry={() => void me.refetch()} />
      </PublicLayout>
    );
  }

  const actor = me.data;
  if (!actor) {
    return (
      <LazyRoutes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace />} />
      </LazyRoutes>
    );
  }
  if (actor.mustChangePassword) return <ForcedPasswordChange actor={actor} />;

  // Where this person starts (their roles decide: sections.ts); Saker and Tiltak lead there for those outside case work.
  const start = startPathFor(actor.memberships);
  const casesOr = (page: ReactElement) => (worksOnCases(actor.memberships) ? page : <Navigate to={start} replace />);
  return (
    <LazyRoutes>
      <Route path="/login" element={<Navigate to={start} replace />} />
      <Route element={<Layout actor={actor} />}>
        <Route index element={<Navigate to={start} replace />} />
        <Route path="saker" element={casesOr(<CasesPage actor={actor} />)} />
        <Route path="saker/ny" element={casesOr(<NewCasePage actor={actor} />)} />
        <Route path="saker/:caseId" element={<CasePage actor={actor} />}>
          <Route index element={<OverviewTab />} />
          <Route path="notater" element={<NotesTab />} />
          <Route path="samtykke" element={<ConsentTab />} />
          <Route path="overlevering" element={<HandoverTab />} />
          <Route path="opplysninger" element={<DisclosureTab />} />
          <Route path="samtale" element={<CaseConversationTab />} />
          <Route path="plan" element={<PlanTab />} />
          <Route path="plan/utskrift" element={<PlanPrintView />} />
          <Route path="tilgangslogg" element={<AccessLogTab />} />
          <Route path="henvisninger" element={<CaseReferralsTab />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="gjennomgang" element={<ReviewPage actor={actor} />} />
        <Route path="tiltak" element={casesOr(<MyMeasuresPage />)} />
        <Route path="meldinger" element={<MessagesPage actor={actor} />} />
        <Route path="meldinger/ny" element={<MessagesPage actor={actor} creating />} />
        <Route path="meldinger/:conversationId" element={<MessagesPage actor={actor} />} />
        <Route path="moter" element={<MeetingsPage actor={actor} />} />
        <Route path="moter/ny" element={<NewSeriesPage actor={actor} />} />
        <Route path="moter/serie/:seriesId" element={<EditSeriesPage actor={actor} />} />
        <Route path="moter/mote/:meetingId" element={<MeetingByIdPage actor={actor} />} />
        <Route path="moter/mote/:meetingId/utskrift" element={<MeetingPrintView />} />
        <Route path="moter/:seriesId/:recurrenceId" element={<OccurrencePage actor={actor} />} />
        <Route path="henvisninger" element={<ReferralsPage actor={actor} />} />
        <Route path="henvisninger/tall" element={<FiguresPage />} />
        <Route path="henvisninger/:referralId" element={<ReferralPage />} />
        <Route path="kalender" element={<CalendarPage />} />
        <Route path="tilbud" element={<OffersPage actor={actor} />} />
        <Route path="tilbud/ny" element={<NewOfferPage actor={actor} />} />
        <Route path="tilbud/brosjyre" element={<BrochurePage />} />
        <Route path="tilbud/:offerId" element={<OfferPage />} />
        <Route path="tilbud/:offerId/endre" element={<EditOfferPage />} />
        <Route path="passord" element={<ChangePasswordPage forced={false} email={actor.email} />} />
        <Route path="admin" element={<AdminArea actor={actor} />}>
          <Route index element={<Navigate to="/admin/enheter" replace />} />
          <Route path="enheter" element={<UnitsPage />} />
          <Route path="brukere" element={<UsersPage actor={actor} />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </LazyRoutes>
  );
}

function ForcedPasswordChange({ actor }: { actor: Actor }) {
  const t = useT();
  const { logout, error } = useLogout();
  return (
    <PublicLayout
      municipality={actor.municipalityName}
      actions={
        <button type="button" className="button button--secondary button--small" onClick={logout}>
          {t("userMenu.logout")}
        </button>
      }
    >
      <ErrorMessage error={error} />
      <ChangePasswordPage forced email={actor.email} />
    </PublicLayout>
  );
}
