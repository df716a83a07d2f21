import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { NavLink, Outlet } from "react-router";
import { isAdmin, type Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/types.ts";
import { RealtimeProvider } from "../messaging/RealtimeProvider.tsx";
import { canReview } from "../review/ReviewPage.tsx";
import { trpc } from "../trpc.ts";
import { NotificationBell } from "./NotificationBell.tsx";
import { SkipLink } from "./SkipLink.tsx";
import { UserMenu } from "./UserMenu.tsx";
import { needsMeetingFacts, sectionsFor, startPathFor, type SectionPath } from "./sections.ts";

const sections: { to: string; label: MessageKey }[] = [
  { to: "/saker", label: "nav.cases" },
  { to: "/tiltak", label: "plan.nav.myMeasures" },
  { to: "/meldinger", label: "nav.messages" },
  { to: "/moter", label: "nav.meetings" },
  { to: "/henvisninger", label: "nav.referrals" },
  { to: "/tilbud", label: "nav.offers" },
];

/**
 * The unread count beside Meldinger: from the conversation list, which the messaging
 * socket keeps current (a new message, a read elsewhere). Reads "Meldinger 3 uleste" ("1 ulest").
 */
function UnreadMessages() {
  const t = useT();
  const conversations = useQuery(trpc.conversations.list.queryOptions());
  const count = (conversations.data ?? []).reduce((sum, c) => sum + c.unread, 0);
  if (count === 0) return null;
  return (
    <>
      <span className="notifications__badge"> {count}</span>
      <span className="visually-hidden"> {t("notifications.unreadSuffix", { count })}</span>
    </>
  );
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The sections this person sees (sections.ts decides from their roles). For someone
 * outside case work, Møter is shown only when they take part in a meeting: the year ahead
 * (and the last two months) is asked once.
 */
export function useSections(actor: Actor): SectionPath[] {
  const needsMeetings = needsMeetingFacts(actor.memberships);
  const [range] = useState(() => ({ from: new Date(Date.now() - 60 * DAY_MS).toISOString(), to: new Date(Date.now() + 330 * DAY_MS).toISOString() }));
  const meetings = useQuery({ ...trpc.meetings.list.queryOptions(range), enabled: needsMeetings, staleTime: 5 * 60_000 });
  return sectionsFor(actor.memberships, { hasMeetings: (meetings.data?.occurrences.length ?? 0) > 0 });
}

/** The signed-in frame: header with main menu and user menu, then the page; the messaging socket lives as long as it. */
export function Layout({ actor }: { actor: Actor }) {
  const t = useT();
  const shown = useSections(actor);
  const links: { to: string; label: MessageKey }[] = sections.filter((s) => (shown as string[]).includes(s.to));
  if (canReview(actor)) links.push({ to: "/gjennomgang", label: "nav.review" });
  if (isAdmin(actor)) links.push({ to: "/admin", label: "nav.admin" });
  return (
    <RealtimeProvider key={actor.id} userId={actor.id}>
      <SkipLink />
      <header className="site-header">
        <div className="site-header__bar container">
          <div className="brand">
            <NavLink to={startPathFor(actor.memberships)} className="brand__name">
              {t("app.name")}
            </NavLink>
            <span className="brand__municipality">{actor.municipalityName}</span>
          </div>
          <div className="site-header__tools">
            <NotificationBell />
            <UserMenu actor={actor} />
          </div>
        </div>
        <nav aria-label={t("nav.main")} className="main-nav">
          <ul className="container">
            {links.map((link) => (
              <li key={link.to}>
                {/* NavLink marks the current section with aria-current="page". */}
                <NavLink to={link.to}>
                  {t(link.label)}
                  {link.to === "/meldinger" && <UnreadMessages />}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="container">
        <Outlet />
      </main>
    </RealtimeProvider>
  );
}
