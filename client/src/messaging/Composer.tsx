import { MESSAGE_MAX_LENGTH } from "@laget/domain";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type Ref } from "react";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { SocketRequestError, trpc } from "../trpc.ts";
import { CharacterCount } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { clearDraft, loadDraft, saveDraft } from "./drafts.ts";
import { newMessageId } from "./queries.ts";
import { messageFromWire, type Message } from "./thread-cache.ts";
import { useRealtime } from "./RealtimeProvider.tsx";

type Candidate = { kind: "user" | "unit"; id: string; name: string; detail: string };
type MentionQuery = { text: string; start: number; end: number };

const MAX_SUGGESTIONS = 8;
const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

/** The "@…" being typed just before the caret, if any. */
function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([^@\n]{0,40})$/u.exec(before);
  if (!match) return null;
  return { text: match[1]!, start: caret - match[1]!.length - 1, end: caret };
}

function matches(name: string, query: string): boolean {
  const n = name.toLocaleLowerCase();
  const q = query.trim().toLocaleLowerCase();
  return q === "" || n.startsWith(q) || n.includes(` ${q}`);
}

export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The message field: Enter sends, Shift+Enter adds a line. Typing "@" opens suggestions
 * (people and units) as a listbox tied to the field with aria-activedescendant, so focus
 * stays in the text while the arrows move through the choices.
 */
export function Composer({
  conversationId,
  actor,
  reply,
  onCancelReply,
  onSent,
  inputRef,
}: {
  conversationId: string;
  actor: Actor;
  reply: Message | null;
  onCancelReply: () => void;
  onSent: () => void;
  inputRef: Ref<HTMLTextAreaElement>;
}) {
  const t = useT();
  const rt = useRealtime();
  const id = useId();
  const listId = `${id}-suggestions`;
  const hintId = `${id}-hint`;
  const countId = `${id}-count`;
  const areaRef = useRef<HTMLTextAreaElement | null>(null);
  // The unsent text is kept for the user (drafts.ts), also when the view goes away.
  const [body, setBodyState] = useState(() => loadDraft(actor.id, conversationId));
  const setBody = (text: string) => {
    setBodyState(text);
    saveDraft(actor.id, conversationId, text);
  };
  useEffect(() => setBodyState(loadDraft(actor.id, conversationId)), [actor.id, conversationId]);
  const [chosen, setChosen] = useState<Candidate[]>([]);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const pendingId = useRef<string | null>(null);
  const typingSentAt = useRef(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Only those who can read the conversation now are offered (the server decides who they
  // are): a mention of anyone else would reach nobody, and must not suggest it would.
  const readers = useQuery({ ...trpc.conversations.members.queryOptions({ conversationId }), staleTime: 30_000 });
  const candidates = useMemo<Candidate[]>(() => {
    const people = (readers.data ?? []).filter((p) => p.userId !== actor.id);
    const units = new Map(people.flatMap((p) => p.units.map((u) => [u.unitId, u.unitName] as const)));
    return [
      ...people.map((p) => ({ kind: "user" as const, id: p.userId, name: p.displayName, detail: p.units.map((u) => u.unitName).join(", ") })),
      ...[...units].map(([unitId, name]) => ({ kind: "unit" as const, id: unitId, name, detail: t("messaging.unitSuffix") })),
    ];
  }, [readers.data, actor.id, t]);
  const suggestions = query ? candidates.filter((c) => matches(c.name, query.text)).slice(0, MAX_SUGGESTIONS) : [];
  const open = suggestions.length > 0 && !dismissed;
  const activeIndex = Math.min(active, Math.max(suggestions.length - 1, 0));
  const optionId = (i: number) => `${id}-option-${i}`;

  const stopTyping = () => {
    clearTimeout(typingTimer.current);
    if (typingSentAt.current) rt.sendTyping(conversationId, false);
    typingSentAt.current = 0;
  };
  const signalTyping = () => {
    const now = Date.now();
    if (now - typingSentAt.current > TYPING_REPEAT_MS) {
      rt.sendTyping(conversationId, true);
      typingSentAt.current = now;
    }
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };
  // Leaving the conversation stops the indicator for the others.
  useEffect(() => stopTyping, [conversationId]);

  const updateQuery = (text: string, caret: number) => {
    const next = mentionQueryAt(text, caret);
    if (next?.text !== query?.text || next?.start !== query?.start) {
      setQuery(next);
      setActive(0);
      setDismissed(false);
    }
  };

  const choose = (c: Candidate) => {
    if (!query) return;
    const inserted = `@${c.name} `;
    const next = body.slice(0, query.start) + inserted + body.slice(query.end);
    setBody(next);
    setChosen((list) => (list.some((m) => m.id === c.id) ? list : [...list, c]));
    setQuery(null);
    const caret = query.start + inserted.length;
    requestAnimationFrame(() => {
      areaRef.current?.focus();
      areaRef.current?.setSelectionRange(caret, caret);
    });
  };

  const send = async () => {
    if (sending) return;
    if (body.trim().length === 0) return setError(new SocketRequestError("MESSAGE_EMPTY"));
    if (body.length > MESSAGE_MAX_LENGTH) return setError(new SocketRequestError("MESSAGE_TOO_LONG"));
    // The same id until it is delivered: trying again after a lost answer never sends twice.
    const retry = pendingId.current !== null;
    pendingId.current ??= newMessageId();
    const used = chosen.filter((c) => body.includes(`@${c.name}`));
    setSending(true);
    setError(null);
    stopTyping();
    try {
      const res = await rt.request<{ message: Parameters<typeof messageFromWire>[0] }>("message:send", {
        id: pendingId.current,
        conversationId,
        body,
        ...(reply ? { replyToSeq: reply.seq } : {}),
        mentions: { userIds: used.filter((c) => c.kind === "user").map((c) => c.id), unitIds: used.filter((c) => c.kind === "unit").map((c) => c.id) },
        retry,
      });
      rt.addMessage(messageFromWire(res.message));
      pendingId.current = null;
      setBodyState("");
      clearDraft(actor.id, conversationId);
      setChosen([]);
      setQuery(null);
      onSent();
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((activeIndex + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(suggestions[activeIndex]!);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        setDismissed(true);
        return;
      }
    }
    if (event.key === "Escape" && reply) {
      event.preventDefault();
      onCancelReply();
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  const setRefs = (el: HTMLTextAreaElement | null) => {
    areaRef.current = el;
    if (typeof inputRef === "function") inputRef(el);
    else if (inputRef) inputRef.current = el;
  };

  return (
    <form className="composer" onSubmit={submit} noValidate>
      <ErrorMessage error={error} />
      {reply && (
        <p className="composer__reply">
          <span>
            {t("messaging.replyTo", { name: reply.authorName })}
            {reply.body ? `: «${excerpt(reply.body)}»` : ""}
          </span>{" "}
          <button type="button" className="button button--secondary button--small" onClick={onCancelReply}>
            {t("messaging.cancelReply")}
          </button>
        </p>
      )}
      <div className="field composer__field">
        <label className="field__label" htmlFor={id}>
          {t("messaging.composerLabel")}
        </label>
        <p id={hintId} className="field__hint">
          {t("messaging.composerHint")}
        </p>
        <div className="composer__input">
          <textarea
            id={id}
            ref={setRefs}
            className="field__control"
            rows={3}
            value={body}
            aria-describedby={`${hintId} ${countId}`}
            aria-autocomplete="list"
            aria-controls={open ? listId : undefined}
            aria-activedescendant={open ? optionId(activeIndex) : undefined}
            onChange={(e) => {
              setBody(e.target.value);
              pendingId.current = null;
              updateQuery(e.target.value, e.target.selectionStart);
              if (e.target.value) signalTyping();
              else stopTyping();
            }}
            onSelect={(e) => updateQuery(e.currentTarget.value, e.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
            onBlur={() => {
              setDismissed(true);
              stopTyping();
            }}
            onFocus={() => setDismissed(false)}
          />
          {open && (
            <ul id={listId} role="listbox" aria-label={t("messaging.suggestions")} className="mention-list">
              {suggestions.map((c, i) => (
                <li
                  key={`${c.kind}:${c.id}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === activeIndex}
                  className={i === activeIndex ? "mention-list__option is-active" : "mention-list__option"}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(c)}
                >
                  <span className="mention-list__name">{c.name}</span> <span className="mention-list__detail">{c.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <CharacterCount id={countId} used={body.length} limit={MESSAGE_MAX_LENGTH} />
        <div role="status" className="visually-hidden">
          {open ? t("messaging.suggestionsCount", { count: suggestions.length }) : ""}
        </div>
      </div>
      <div className="form__actions">
        <button type="submit" className="button" aria-disabled={sending || undefined}>
          {t("messaging.send")}
        </button>
      </div>
    </form>
  );
}
