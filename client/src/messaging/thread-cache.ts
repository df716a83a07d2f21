import type { MessageView } from "@laget/realtime";
import type { inferOutput } from "@trpc/tanstack-react-query";
import { queryClient, trpc } from "../trpc.ts";

/**
 * The messaging caches the views read (TanStack Query), and how events and acks change
 * them: a thread's run of messages, a conversation's summary with its read state.
 */
export type Message = inferOutput<typeof trpc.messages.history>["messages"][number];
export type ConversationSummary = inferOutput<typeof trpc.conversations.list>[number];

/** One conversation's messages as far as loaded: a contiguous run of sequence numbers ending at the newest known. */
export type ThreadData = { messages: Message[]; loaded: boolean };

export const threadKey = (conversationId: string) => ["messaging", "thread", conversationId] as const;

export function messageFromWire(m: MessageView): Message {
  return {
    ...m,
    createdAt: new Date(m.createdAt),
    editedAt: m.editedAt ? new Date(m.editedAt) : null,
    deletedAt: m.deletedAt ? new Date(m.deletedAt) : null,
  };
}

/** The later state of one message: a deletion beats everything, then the latest edit. */
function fresher(a: Message, b: Message): Message {
  const rank = (m: Message) => (m.deletedAt ? Number.POSITIVE_INFINITY : (m.editedAt?.getTime() ?? 0));
  return rank(b) >= rank(a) ? b : a;
}

/**
 * Merges messages into a thread. Sequence numbers have no gaps (a deleted message stays
 * as a tombstone), so only the run that ends at the newest message is kept: anything
 * before a hole is fetched again as older history.
 */
export function mergeThread(data: ThreadData | undefined, incoming: readonly Message[], loaded?: boolean): ThreadData {
  const bySeq = new Map<number, Message>();
  for (const m of data?.messages ?? []) bySeq.set(m.seq, m);
  for (const m of incoming) {
    const known = bySeq.get(m.seq);
    bySeq.set(m.seq, known ? fresher(known, m) : m);
  }
  const sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  let start = sorted.length - 1;
  while (start > 0 && sorted[start - 1]!.seq === sorted[start]!.seq - 1) start--;
  return { messages: sorted.slice(Math.max(start, 0)), loaded: loaded ?? data?.loaded ?? false };
}

export function hasOlder(data: ThreadData | undefined): boolean {
  const first = data?.messages[0];
  return first !== undefined && first.seq > 1;
}

function byActivity(list: ConversationSummary[]): ConversationSummary[] {
  return [...list].sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0));
}

/** Changes one conversation's summary wherever it is cached: the list and the single query. Returns whether the list had it. */
export function patchSummary(conversationId: string, change: (c: ConversationSummary) => ConversationSummary): boolean {
  const listKey = trpc.conversations.list.queryKey();
  let found = false;
  queryClient.setQueryData(listKey, (list) => {
    if (!list) return list;
    const next = list.map((c) => {
      if (c.id !== conversationId) return c;
      found = true;
      return change(c);
    });
    return found ? byActivity(next) : list;
  });
  queryClient.setQueryData(trpc.conversations.get.queryKey({ conversationId }), (c) => (c ? change(c) : c));
  // A list fetch under way may have been answered before this change: fetch it again.
  if (queryClient.getQueryState(listKey)?.fetchStatus === "fetching") void queryClient.invalidateQueries({ queryKey: listKey });
  return found;
}

export function withRead(c: ConversationSummary, lastReadSeq: number): ConversationSummary {
  const read = Math.min(Math.max(c.lastReadSeq, lastReadSeq), c.lastSeq);
  return { ...c, lastReadSeq: read, unread: c.lastSeq - read };
}

/** A tiny observable value for useSyncExternalStore. */
export class Store<T> {
  private listeners = new Set<() => void>();
  private value: T;
  constructor(value: T) {
    this.value = value;
  }
  get = () => this.value;
  set(value: T) {
    this.value = value;
    for (const l of this.listeners) l();
  }
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
}

