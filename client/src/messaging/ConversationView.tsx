import type { PresenceStatus } from "@laget/domain";
import { useQuery } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import type { Actor } from "../auth/session.ts";
import { isNotFound } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { useConversationSummary } from "./queries.ts";
import { useConnection, useLost, usePresence, useRealtime } from "./RealtimeProvider.tsx";
import { ThreadView } from "./ThreadView.tsx";
import type { ConversationSummary } from "./realtime.ts";

/** A coloured dot with its status in words next to it (never colour alone). */
export function Presence({ status }: { status: PresenceStatus }) {
  const t = useT();
  return (
    <span className="presence">
      <span className={`presence__dot presence__dot--${status}`} aria-hidden="true" />
      <span className="presence__label">{t(`messaging.presence_${status}`)}</span>
    </span>
  );
}

function Members({ conversationId, actor }: { conversationId: string; actor: Actor }) {
  const t = useT();
  const rt = useRealtime();
  const connection = useConnection();
  const presence = usePresence();
  const members = useQuery(trpc.messages.members.queryOptions({ conversationId }));
  const ids = (members.data ?? []).map((m) => m.userId).join(",");

  useEffect(() => {
    if (connection === "connected" && ids) rt.queryPresence(ids.split(",")).catch(() => {});
  }, [rt, connection, ids]);

  if (!members.data) return null;
  return (
    <details className="members" open={members.data.length <= 4}>
      <summary>{t("messaging.membersHeading", { count: members.data.length })}</summary>
      <ul className="members__list">
        {members.data.map((m) => (
          <li key={m.userId}>
            <span className="members__name">{m.displayName}</span>
            {m.isOwner && <span className="muted"> ({t("messaging.owner")})</span>}{" "}
            <Presence status={m.userId === actor.id && connection === "connected" ? "online" : (presence.get(m.userId) ?? "offline")} />
          </li>
        ))}
      </ul>
    </details>
  );
}

/** What is said about a conversation above its messages. */
function Notes({ summary }: { summary: ConversationSummary }) {
  const t = useT();
  if (summary.personalDataWarning) return <p className="alert alert--info">{t("messaging.personalDataWarning")}</p>;
  return null;
}

/**
 * A conversation: what went wrong if it cannot be shown (access revoked, removed, not
 * found), else its notes, members and thread. `heading` renders above, given the summary.
 */
export function ConversationView({
  conversationId,
  actor,
  heading,
}: {
  conversationId: string;
  actor: Actor;
  heading?: (summary: ConversationSummary) => ReactNode;
}) {
  const t = useT();
  const lost = useLost(conversationId);
  const { summary, isPending, error, refetch } = useConversationSummary(conversationId);

  if (lost) {
    return (
      <p role="alert" className="alert alert--error">
        {t(lost === "revoked" ? "messaging.revoked" : "messaging.removed")}
      </p>
    );
  }
  if (isPending) return <Loading />;
  if (!summary) {
    if (error && !isNotFound(error)) return <LoadFailed error={error} onRetry={refetch} />;
    return (
      <p role="alert" className="alert alert--error">
        {t("messaging.notAvailable")}
      </p>
    );
  }
  return (
    <>
      {heading?.(summary)}
      <Notes summary={summary} />
      <Members conversationId={conversationId} actor={actor} />
      <ThreadView conversation={summary} actor={actor} />
    </>
  );
}
