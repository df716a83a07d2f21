import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { TFunction } from "../i18n/types.ts";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { excerpt, Composer } from "./Composer.tsx";
import { MessageItem } from "./MessageItem.tsx";
import { loadOlder, useDirectory, useThread } from "./queries.ts";
import { hasOlder, type ConversationSummary, type Message } from "./thread-cache.ts";
import { useConnection, useRealtime, useTyping } from "./RealtimeProvider.tsx";

const NEAR_BOTTOM_PX = 48;

function typingText(t: TFunction, names: string[]): string {
  if (names.length === 1) return t("messaging.typingOne", { name: names[0]! });
  if (names.length === 2) return t("messaging.typingTwo", { a: names[0]!, b: names[1]! });
  return t("messaging.typingMany");
}

/**
 * One conversation's messages (oldest at the top, more loaded as you scroll up), who is
 * typing, and the composer. Reading the newest message (visible at the bottom, with the
 * page in front) marks the conversation read; new messages from others are announced
 * politely.
 */
export function ThreadView({ conversation, actor }: { conversation: ConversationSummary; actor: Actor }) {
  const t = useT();
  const rt = useRealtime();
  const conversationId = conversation.id;
  const thread = useThread(conversationId);
  const connection = useConnection();
  const directory = useDirectory();
  const typingIds = useTyping(conversationId);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const olderRef = useRef<HTMLButtonElement>(null);
  const bottomRef = useRef<HTMLDivElement>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const [reply, setReply] = useState<Message | null>(null);
  const [olderPending, setOlderPending] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  const [bottomVisible, setBottomVisible] = useState(false);
  const [pageVisible, setPageVisible] = useState(() => document.visibilityState === "visible");
  const [announcement, setAnnouncement] = useState("");
  const nearBottom = useRef(true);
  const keepFromBottom = useRef<number | null>(null);
  const readSent = useRef(0);
  const lastSeen = useRef<number | null>(null);

  const messages = thread.data?.messages ?? [];
  const firstSeq = messages[0]?.seq ?? 0;
  const last = messages[messages.length - 1];
  const newestSeq = last?.seq ?? 0;
  const more = hasOlder(thread.data);

  useEffect(() => {
    rt.join(conversationId).catch(() => {});
  }, [rt, conversationId, connection]);

  useEffect(() => {
    const onVisibility = () => setPageVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, []);

  const older = async () => {
    if (olderPending || !more) return;
    setOlderPending(true);
    setOlderError(null);
    const el = scrollerRef.current;
    keepFromBottom.current = el ? el.scrollHeight - el.scrollTop : null;
    try {
      await loadOlder(conversationId);
    } catch (err) {
      setOlderError(err);
    } finally {
      setOlderPending(false);
    }
  };
  const olderLatest = useRef(older);
  olderLatest.current = older;

  // Infinite scroll upward: the "earlier messages" button coming into view loads the page before.
  const hasMessages = messages.length > 0;
  useEffect(() => {
    const root = scrollerRef.current;
    const target = olderRef.current;
    if (!root || !target) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void olderLatest.current();
    }, { root });
    observer.observe(target);
    return () => observer.disconnect();
  }, [more, hasMessages]);

  useEffect(() => {
    const root = scrollerRef.current;
    const target = bottomRef.current;
    if (!root || !target) return;
    const observer = new IntersectionObserver((entries) => setBottomVisible(entries.some((e) => e.isIntersecting)), { root });
    observer.observe(target);
    return () => observer.disconnect();
  }, [thread.isSuccess]);

  // Older messages went in above: keep what was on screen where it was.
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (el && keepFromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - keepFromBottom.current;
      keepFromBottom.current = null;
    }
  }, [firstSeq]);

  // New messages at the bottom: follow them if the reader was at the bottom (or wrote it).
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el || !last) return;
    if (nearBottom.current || last.authorUserId === actor.id) el.scrollTop = el.scrollHeight;
  }, [newestSeq, last, actor.id]);

  // Announce messages from others that arrive while the thread is open.
  useEffect(() => {
    if (!thread.data?.loaded || !last) return;
    if (lastSeen.current !== null && last.seq > lastSeen.current && last.authorUserId !== actor.id && last.body) {
      setAnnouncement(t("messaging.newMessage", { name: last.authorName, text: excerpt(last.body, 140) }));
    }
    lastSeen.current = Math.max(lastSeen.current ?? 0, last.seq);
  }, [thread.data?.loaded, last, actor.id, t]);

  // Read when the newest message has been in view with the page in front.
  useEffect(() => {
    if (!bottomVisible || !pageVisible || newestSeq === 0) return;
    if (newestSeq <= conversation.lastReadSeq && conversation.mentionCount === 0) return;
    if (readSent.current >= newestSeq) return;
    readSent.current = newestSeq;
    rt.markRead(conversationId, newestSeq).catch(() => {
      readSent.current = 0;
    });
  }, [bottomVisible, pageVisible, newestSeq, conversation.lastReadSeq, conversation.mentionCount, conversationId, rt]);

  const onScroll = () => {
    const el = scrollerRef.current;
    if (el) nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  };

  const startReply = (m: Message) => {
    setReply(m);
    composerRef.current?.focus();
  };

  const names = new Map((directory.data ?? []).map((p) => [p.id, p.displayName]));
  const typingNames = typingIds.filter((u) => u !== actor.id).map((u) => names.get(u) ?? t("messaging.someone"));
  const bySeq = new Map(messages.map((m) => [m.seq, m]));

  return (
    <div className="thread">
      {connection === "disconnected" && <p className="alert alert--info">{t("messaging.disconnected")}</p>}
      {thread.isPending ? (
        <Loading />
      ) : thread.isError ? (
        <LoadFailed error={thread.error} onRetry={() => void thread.refetch()} />
      ) : (
        <div ref={scrollerRef} className="thread__scroller" tabIndex={0} role="region" aria-label={t("messaging.messagesLabel")} onScroll={onScroll}>
          {more ? (
            <p className="thread__older">
              <button ref={olderRef} type="button" className="button button--secondary button--small" onClick={() => void older()} aria-disabled={olderPending || undefined}>
                {olderPending ? t("messaging.loadingOlder") : t("messaging.older")}
              </button>
            </p>
          ) : (
            messages.length > 0 && <p className="muted thread__start">{t("messaging.start")}</p>
          )}
          <ErrorMessage error={olderError} />
          {messages.length === 0 ? (
            <p className="thread__empty">{t("messaging.emptyThread")}</p>
          ) : (
            <ol className="thread__messages">
              {messages.map((m) => (
                <MessageItem
                  key={m.id}
                  message={m}
                  actor={actor}
                  replyTo={m.replyToSeq ? (bySeq.get(m.replyToSeq) ?? null) : null}
                  onReply={() => startReply(m)}
                />
              ))}
            </ol>
          )}
          <div ref={bottomRef} className="thread__end" />
        </div>
      )}
      <p className="thread__typing">{typingNames.length > 0 ? typingText(t, typingNames) : ""}</p>
      <div role="status" className="visually-hidden">
        {announcement}
      </div>
      <Composer
        conversationId={conversationId}
        actor={actor}
        reply={reply}
        onCancelReply={() => setReply(null)}
        onSent={() => setReply(null)}
        inputRef={composerRef}
      />
    </div>
  );
}
