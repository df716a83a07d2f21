import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { useFormat } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { queryClient, trpc } from "../trpc.ts";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { useDisclosure } from "./disclosure.ts";

const POLL_MS = 30_000;

/**
 * The header's notification bell: an unread badge (polled, and refreshed when the window
 * regains focus) and a disclosure panel. Texts are neutral by kind: never names,
 * case content or agency type.
 */
export function NotificationBell() {
  const t = useT();
  const format = useFormat();
  const { open, panelId, containerProps, buttonProps } = useDisclosure();
  const headingId = useId();
  const unread = useQuery({ ...trpc.notifications.unreadCount.queryOptions(), refetchInterval: POLL_MS, refetchOnWindowFocus: true });
  const list = useQuery({ ...trpc.notifications.list.queryOptions(), enabled: open });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: refresh }));
  const count = unread.data ?? 0;

  return (
    <div className="notifications" {...containerProps}>
      <button {...buttonProps} className="notifications__button">
        <svg className="notifications__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        <span>{t("notifications.button")}</span>
        {/* The name reads "Varsler 2 uleste": the visible text first, as speech-input users say it. */}
        {count > 0 && (
          <>
            <span className="notifications__badge"> {count}</span>
            <span className="visually-hidden"> {t("notifications.unreadSuffix", { count })}</span>
          </>
        )}
      </button>
      <div id={panelId} className="notifications__panel" hidden={!open} tabIndex={-1} role="region" aria-labelledby={headingId}>
        <h2 id={headingId} className="notifications__heading">
          {t("notifications.heading")}
        </h2>
        {!open ? null : list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <LoadFailed error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <p>{t("notifications.empty")}</p>
        ) : (
          <>
            <ul className="notifications__list">
              {list.data.map((n) => (
                <li key={n.id} className={n.read ? "" : "is-unread"}>
                  {!n.read && <span className="visually-hidden">{t("notifications.unread")}: </span>}
                  <span>{t(`notifications.${n.kind}`)}</span>
                  <span className="muted"> {format.dateTime(n.createdAt)}</span>
                  <NotificationLink notification={n} onOpen={() => !n.read && markRead.mutate({ ids: [n.id] })} />
                </li>
              ))}
            </ul>
            {count > 0 && (
              <button type="button" className="button button--secondary button--small" onClick={() => markRead.mutate({})}>
                {t("notifications.markAll")}
              </button>
            )}
            <ErrorMessage error={markRead.error} />
          </>
        )}
      </div>
    </div>
  );
}

/**
 * Where a notification leads: a mention to its conversation (a case thread on its case's
 * Samtale tab), a plan reminder to the plan, a referral's news to Henvisninger, anything
 * else with a case to the case.
 */
function NotificationLink({
  notification: n,
  onOpen,
}: {
  notification: { kind: string; caseId: string | null; conversationId: string | null };
  onOpen: () => void;
}) {
  const t = useT();
  let to: string;
  // Access that ended leads nowhere: the case can no longer be opened.
  if (n.kind === "case_access_ended") return null;
  // A referral's news leads to Henvisninger (for the referrer, the case's tab of them).
  if (n.kind.startsWith("referral_")) {
    return (
      <>
        {" "}
        <Link to={n.caseId ? `/saker/${n.caseId}/henvisninger` : "/henvisninger"} onClick={onOpen}>
          {t("notifications.openReferrals")}
        </Link>
      </>
    );
  }
  if (n.conversationId) to = n.caseId ? `/saker/${n.caseId}/samtale` : `/meldinger/${n.conversationId}`;
  else if (n.caseId) to = n.kind.startsWith("measure_") ? `/saker/${n.caseId}/plan` : `/saker/${n.caseId}`;
  else return null;
  return (
    <>
      {" "}
      <Link to={to} onClick={onOpen}>
        {t(n.conversationId ? "notifications.openConversation" : "notifications.open")}
      </Link>
    </>
  );
}
