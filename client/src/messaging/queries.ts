import { useQuery } from "@tanstack/react-query";
import { queryClient, trpc, trpcClient } from "../trpc.ts";
import { mergeThread, threadKey, type ThreadData } from "./thread-cache.ts";

export const PAGE_SIZE = 50;

/** A conversation's summary: from the (live) list when it is there, else on its own. */
export function useConversationSummary(conversationId: string) {
  const list = useQuery(trpc.conversations.list.queryOptions());
  const fromList = list.data?.find((c) => c.id === conversationId);
  const single = useQuery({ ...trpc.conversations.get.queryOptions({ conversationId }), enabled: !fromList && !list.isPending });
  return {
    summary: fromList ?? single.data,
    isPending: !fromList && (list.isPending || single.isPending),
    error: fromList ? null : single.error,
    refetch: () => void single.refetch(),
  };
}

/** The latest page of a thread, merged with whatever arrived live meanwhile. */
export function useThread(conversationId: string) {
  return useQuery<ThreadData>({
    queryKey: threadKey(conversationId),
    queryFn: async () => {
      const page = await trpcClient.messages.history.query({ conversationId, limit: PAGE_SIZE });
      return mergeThread(queryClient.getQueryData<ThreadData>(threadKey(conversationId)), page.messages, true);
    },
    // Kept current by the event stream once loaded; messages that only arrived live are not a page.
    staleTime: (query) => (query.state.data?.loaded ? Number.POSITIVE_INFINITY : 0),
    refetchOnWindowFocus: false,
  });
}

export async function loadOlder(conversationId: string): Promise<void> {
  const first = queryClient.getQueryData<ThreadData>(threadKey(conversationId))?.messages[0];
  if (!first || first.seq <= 1) return;
  const page = await trpcClient.messages.history.query({ conversationId, before: first.seq, limit: PAGE_SIZE });
  queryClient.setQueryData<ThreadData>(threadKey(conversationId), (data) => mergeThread(data, page.messages));
}

/** Colleagues (for mentions, direct messages and group members): changes rarely. */
export function useDirectory() {
  return useQuery({ ...trpc.users.directory.queryOptions(), staleTime: 5 * 60_000 });
}

export function useUnits() {
  return useQuery({ ...trpc.units.list.queryOptions(), staleTime: 5 * 60_000 });
}

/** A random id for a new message (crypto.randomUUID needs a secure context; this does not). */
export function newMessageId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
