import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, NavLink, useParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useFormat } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { TFunction } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { ConversationView } from "./ConversationView.tsx";
import { NewConversation } from "./NewConversation.tsx";
import type { ConversationSummary } from "./thread-cache.ts";

export function kindLabel(t: TFunction, c: Pick<ConversationSummary, "kind" | "groupKind">): string {
  if (c.kind === "group" && c.groupKind) return t(`messaging.group_${c.groupKind}`);
  return t(c.kind === "case" ? "messaging.kind_case" : "messaging.kind_direct");
}

/**
 * /meldinger, /meldinger/ny and /meldinger/:conversationId: the conversations (most
 * recent activity first) beside the open one. On a narrow screen only one of them shows.
 */
export function MessagesPage({ actor, creating = false }: { actor: Actor; creating?: boolean }) {
  const t = useT();
  const { conversationId } = useParams();
  const paneOpen = creating || Boolean(conversationId);
  const paneHeadingId = useId();
  return (
    <>
      <PageHeading>{t("messaging.title")}</PageHeading>
      <div className={paneOpen ? "messaging messaging--open" : "messaging"}>
        <ConversationList />
        <section className="messaging__pane" aria-labelledby={paneOpen ? paneHeadingId : undefined} aria-label={paneOpen ? undefined : t("messaging.title")}>
          {paneOpen && (
            <p className="messaging__back">
              <Link to="/meldinger">{t("messaging.back")}</Link>
            </p>
          )}
          {creating ? (
            <NewConversation actor={actor} headingId={paneHeadingId} />
          ) : conversationId ? (
            <ConversationView
              key={conversationId}
              conversationId={conversationId}
              actor={actor}
              heading={(c) => (
                <div className="conversation-head">
                  <h2 id={paneHeadingId}>{c.title || kindLabel(t, c)}</h2>
                  <p className="muted">
                    {kindLabel(t, c)}
                    {c.caseId && (
                      <>
                        {" · "}
                        <Link to={`/saker/${c.caseId}/samtale`}>{t("messaging.openCase")}</Link>
                      </>
                    )}
                  </p>
                  {c.kind === "case" && <p>{t("messaging.caseThreadNote")}</p>}
                </div>
              )}
            />
          ) : (
            <p className="messaging__choose">{t("messaging.choose")}</p>
          )}
        </section>
      </div>
    </>
  );
}

function ConversationList() {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const list = useQuery(trpc.conversations.list.queryOptions());
  return (
    <section className="messaging__list" aria-labelledby={headingId}>
      <div className="messaging__list-head">
        <h2 id={headingId}>{t("messaging.conversationsHeading")}</h2>
        <Link to="/meldinger/ny" className="button button--small">
          {t("messaging.newConversation")}
        </Link>
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <LoadFailed error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <p>{t("messaging.empty")}</p>
      ) : (
        <ul className="conversation-list">
          {list.data.map((c) => (
            <li key={c.id}>
              <NavLink to={`/meldinger/${c.id}`} className={c.unread > 0 ? "conversation-link is-unread" : "conversation-link"}>
                <span className="conversation-link__title">{c.title || kindLabel(t, c)}</span>
                <span className="conversation-link__meta">
                  {kindLabel(t, c)} · {c.lastMessageAt ? format.dateTime(c.lastMessageAt) : t("messaging.noMessagesYet")}
                </span>
                {(c.unread > 0 || c.mentionCount > 0) && (
                  <span className="conversation-link__badges">
                    {c.mentionCount > 0 && <span className="mention-marker">{t("messaging.mentioned")}</span>}
                    {c.unread > 0 && <span className="count-badge">{t("messaging.unread", { count: c.unread })}</span>}
                  </span>
                )}
              </NavLink>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
