import type { ReactElement } from "react";
import { Navigate, Route, Routes } from "react-router";
import { AdminArea } from "./admin/AdminArea.tsx";
import { UnitsPage } from "./admin/UnitsPage.tsx";
import { UsersPage } from "./admin/UsersPage.tsx";
import { AccessLogTab } from "./cases/AccessLogTab.tsx";
import { CasePage } from "./cases/CasePage.tsx";
import { CasesPage } from "./cases/CasesPage.tsx";
import { ConsentTab } from "./cases/ConsentTab.tsx";
import { DisclosureTab } from "./cases/DisclosureTab.tsx";
import { HandoverTab } from "./cases/HandoverTab.tsx";
import { NewCasePage } from "./cases/NewCasePage.tsx";
import { NotesTab } from "./cases/NotesTab.tsx";
import { OverviewTab } from "./cases/OverviewTab.tsx";
import { CalendarPage } from "./calendar/CalendarPage.tsx";
import { CaseConversationTab } from "./messaging/CaseConversationTab.tsx";
import { MessagesPage } from "./messaging/MessagesPage.tsx";
import { MyMeasuresPage, PlanPrintView, PlanTab } from "./plans/routes.tsx";
import { EditSeriesPage, MeetingByIdPage, MeetingPrintView, MeetingsPage, NewSeriesPage, OccurrencePage } from "./meetings/routes.tsx";
import { ReviewPage } from "./review/ReviewPage.tsx";
import { CaseReferralsTab } from "./referrals/CaseReferralsTab.tsx";
import { ReferralPage } from "./referrals/ReferralPage.tsx";
import { ReferralsPage } from "./referrals/ReferralsPage.tsx";
import { BrochurePage, EditOfferPage, NewOfferPage, OfferPage, OffersPage } from "./offers/routes.tsx";
import { FiguresPage } from "./referrals/figures/FiguresPage.tsx";
import { ChangePasswordPage } from "./auth/ChangePasswordPage.tsx";
import { LoginPage } from "./auth/LoginPage.tsx";
import { useLogout, useMe, type Actor } from "./auth/session.ts";
import { useT } from "./i18n/I18nProvider.tsx";
import { Layout } from "./shell/Layout.tsx";
import { NotFoundPage } from "./shell/pages.tsx";
import { PublicLayout } from "./shell/PublicLayout.tsx";
import { startPathFor, worksOnCases } from "./shell/sections.ts";
import { ErrorMessage, LoadFailed } from "./ui/messages.tsx";

/**
 * What the app shows follows from `auth.me` alone: signed out → login; holding a
 * one-time password → only the change-password page; otherwise the app.
 */
export function App() {
  const t = useT();
  const me = useMe();

  if (me.isPending) {
    return (
      <PublicLayout>
        <p role="status">{t("app.loading")}</p>
      </PublicLayout>
    );
  }
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
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace />} />
      </Routes>
    );
  }
  if (actor.mustChangePassword) return <ForcedPasswordChange actor={actor} />;

  // Where this person starts (their roles decide: sections.ts); Saker and Tiltak lead there for those outside case work.
  const start = startPathFor(actor.memberships);
  const casesOr = (page: ReactElement) => (worksOnCases(actor.memberships) ? page : <Navigate to={start} replace />);
  return (
    <Routes>
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
    </Routes>
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
