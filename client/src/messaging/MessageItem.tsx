import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { Actor } from "../auth/session.ts";
import { useFormat } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { excerpt } from "./Composer.tsx";
import { useDirectory, useUnits } from "./queries.ts";
import { messageFromWire, type Message } from "./thread-cache.ts";
import { useRealtime } from "./RealtimeProvider.tsx";

/** One message of a thread: its text, reply, edit history, and its author's edit and delete. */
/** The text with the mentioned names emphasised. */
function withMentions(body: string, names: string[]): ReactNode {
  const wanted = names.filter(Boolean).map((n) => `@${n}`);
  if (wanted.length === 0) return body;
  const pattern = new RegExp(`(${wanted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "g");
  return body.split(pattern).map((part, i) => (wanted.includes(part) ? <strong key={i} className="mention">{part}</strong> : part));
}

export function MessageItem({ message, actor, replyTo, onReply }: { message: Message; actor: Actor; replyTo: Message | null; onReply?: () => void }) {
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
