import { useQuery } from "@tanstack/react-query";
import { useCase } from "../cases/CasePage.tsx";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, queryClient, trpc, trpcClient } from "../trpc.ts";
import { LoadFailed } from "../ui/messages.tsx";
import { ConversationView } from "./ConversationView.tsx";

/**
 * The case page's Samtale tab: the case's thread (created on first use). The
 * conversation is a category of its own, so seeing the case does not by itself mean
 * seeing its conversation: when it is refused, say plainly why.
 */
export function CaseConversationTab() {
  const t = useT();
  const { kase, actor } = useCase();
  const thread = useQuery({
    queryKey: ["caseConversation", kase.id],
    queryFn: async () => {
      const summary = await trpcClient.conversations.ofCase.mutate({ caseId: kase.id });
      queryClient.setQueryData(trpc.conversations.get.queryKey({ conversationId: summary.id }), summary);
      const list = queryClient.getQueryData(trpc.conversations.list.queryKey());
      if (list && !list.some((c) => c.id === summary.id)) void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
      return summary;
    },
    retry: false,
    refetchOnWindowFocus: false,
  });

  const refused = thread.isError && ["NOT_FOUND", "NO_BASIS", "FORBIDDEN"].includes(apiErrorOf(thread.error).appCode ?? "");
  return (
    <>
      <h2>{t("messaging.caseHeading")}</h2>
      {thread.isPending ? (
        <p className="muted">{t("messaging.caseOpening")}</p>
      ) : refused ? (
        <>
          <p role="alert" className="alert alert--error">
            {t("messaging.caseNoAccess")}
          </p>
          <p>{t("messaging.caseNoAccessHelp")}</p>
        </>
      ) : thread.isError ? (
        <LoadFailed error={thread.error} onRetry={() => void thread.refetch()} />
      ) : (
        <>
          <p>{t("messaging.caseIntro")}</p>
          <ConversationView conversationId={thread.data.id} actor={actor} />
        </>
      )}
    </>
  );
}
