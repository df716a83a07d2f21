import type { ReactNode } from "react";
import type { Actor } from "../auth/session.ts";
import { isNotFound } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { useConversationSummary } from "./queries.ts";
import { MembersPanel } from "./MembersPanel.tsx";
import { useLost } from "./RealtimeProvider.tsx";
import { ThreadView } from "./ThreadView.tsx";
import type { ConversationSummary } from "./thread-cache.ts";

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
      <MembersPanel conversation={summary} actor={actor} />
      <ThreadView conversation={summary} actor={actor} />
    </>
  );
}
