import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { Actor } from "../auth/session.ts";
import { useFormat } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { TFunction } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { excerpt, Composer } from "./Composer.tsx";
import { loadOlder, useDirectory, useThread, useUnits } from "./queries.ts";
import { hasOlder, messageFromWire, type ConversationSummary, type Message } from "./thread-cache.ts";
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

/** The text with the mentioned names emphasised. */
function withMentions(body: string, names: string[]): ReactNode {
  const wanted = names.filter(Boolean).map((n) => `@${n}`);
  if (wanted.length === 0) return body;
  const pattern = new RegExp(`(${wanted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "g");
  return body.split(pattern).map((part, i) => (wanted.includes(part) ? <strong key={i} className="mention">{part}</strong> : part));
}

function MessageItem({ message, actor, replyTo, onReply }: { message: Message; actor: Actor; replyTo: Message | null; onReply?: () => void }) {
  const t = useT();
  const format = useFormat();
  const rt = useRealtime();
  const directory = useDirectory();
  const units = useUnits();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [draft, setDraft] = useState(message.body ?? "");
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [showEdits, setShowEdits] = useState(false);
  const editsId = useId();
  const mine = message.authorUserId === actor.id;
  const deleted = message.deletedAt !== null || message.body === null;
  const myUnits = new Set(actor.memberships.map((m) => m.unitId));
  const mentionsMe = message.mentions.userIds.includes(actor.id) || message.mentions.unitIds.some((u) => myUnits.has(u));
  const mentionNames = [
    ...message.mentions.userIds.map((u) => directory.data?.find((p) => p.id === u)?.displayName ?? ""),
    ...message.mentions.unitIds.map((u) => units.data?.find((x) => x.id === u)?.name ?? ""),
  ];

  const run = async (event: "message:edit" | "message:delete", payload: Record<string, unknown>) => {
    setPending(true);
    setError(null);
    try {
      const res = await rt.request<{ message: Parameters<typeof messageFromWire>[0] }>(event, payload);
      rt.addMessage(messageFromWire(res.message));
      setEditing(false);
      setConfirming(false);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <li className={["message", mine ? "message--mine" : "", mentionsMe ? "message--mentions-me" : ""].filter(Boolean).join(" ")}>
      <p className="message__meta">
        <span className="message__author">{message.authorName}</span>{" "}
        <time className="muted" dateTime={message.createdAt.toISOString()}>
          {format.dateTime(message.createdAt)}
        </time>
        {message.editedAt && !deleted && (
          <span className="message__edited">
            {" "}
            (
            <button
              type="button"
              className="link-button"
              aria-expanded={showEdits}
              aria-controls={editsId}
              onClick={() => setShowEdits((s) => !s)}
            >
              {t("messaging.edited")}
              <span className="visually-hidden">{t("messaging.editedHint")}</span>
            </button>
            )
          </span>
        )}
        {mentionsMe && !deleted && <span className="badge badge--warn message__mentioned">{t("messaging.mentioned")}</span>}
      </p>
      {message.replyToSeq !== null && !deleted && (
        <p className="message__quote">
          {replyTo
            ? `${t("messaging.inReplyTo", { name: replyTo.authorName })}${replyTo.body ? `: «${excerpt(replyTo.body)}»` : ""}`
            : t("messaging.replyTo", { name: t("messaging.replyEarlier") })}
        </p>
      )}
      {deleted ? (
        <p className="message__deleted">{t("messaging.deleted")}</p>
      ) : editing ? (
        <form
          className="form message__edit"
          onSubmit={(e) => {
            e.preventDefault();
            if (!pending) void run("message:edit", { messageId: message.id, body: draft });
          }}
        >
          <EditField value={draft} onChange={setDraft} label={t("messaging.editLabel")} onCancel={() => setEditing(false)} />
          <div className="form__actions">
            <button type="submit" className="button button--small">
              {t("messaging.save")}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <p className="message__body">{withMentions(message.body ?? "", mentionNames)}</p>
      )}
      {showEdits && message.editedAt && !deleted && <EditHistory key={message.editedAt.getTime()} id={editsId} messageId={message.id} />}
      <ErrorMessage error={error} />
      {!deleted && !editing && (
        <div className="row-actions message__actions">
          {onReply && (
            <button type="button" className="button button--secondary button--small" onClick={onReply}>
              {t("messaging.reply")}
            </button>
          )}
          {mine && !confirming && (
            <>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  setDraft(message.body ?? "");
                  setEditing(true);
                }}
              >
                {t("messaging.edit")}
              </button>
              <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(true)}>
                {t("messaging.delete")}
              </button>
            </>
          )}
        </div>
      )}
      {confirming && !deleted && (
        <div className="message__confirm" role="group" aria-label={t("messaging.confirmDelete")}>
          <span>{t("messaging.confirmDelete")}</span>{" "}
          <button type="button" className="button button--danger button--small" onClick={() => !pending && void run("message:delete", { messageId: message.id })}>
            {t("messaging.confirmDeleteYes")}
          </button>{" "}
          <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(false)}>
            {t("common.cancel")}
          </button>
        </div>
      )}
    </li>
  );
}

/** A message's earlier versions, newest first: fetched when opened, again after each new edit (the key changes). */
function EditHistory({ id, messageId }: { id: string; messageId: string }) {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const edits = useQuery({ ...trpc.messages.edits.queryOptions({ messageId }), staleTime: 0 });
  return (
    <section id={id} className="message__edits" aria-labelledby={headingId}>
      <h3 id={headingId} className="message__edits-heading">
        {t("messaging.editsHeading")}
      </h3>
      {edits.isPending ? (
        <Loading />
      ) : edits.isError ? (
        <LoadFailed error={edits.error} onRetry={() => void edits.refetch()} />
      ) : edits.data.length === 0 ? (
        <p>{t("messaging.editsEmpty")}</p>
      ) : (
        <ol className="message__edits-list">
          {edits.data.map((e, i) => (
            <li key={i}>
              <p className="message__edits-body">{e.body}</p>
              <p className="muted message__edits-time">
                {t("messaging.editReplacedAt", { time: format.dateTime(e.replacedAt) })}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function EditField({ value, onChange, label, onCancel }: { value: string; onChange: (v: string) => void; label: string; onCancel: () => void }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        ref={ref}
        className="field__control"
        rows={3}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
      />
    </div>
  );
}
