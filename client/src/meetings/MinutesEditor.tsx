import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useId } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { colorFor, initials } from "../plans/presence.ts";
import { useMinutesDocument, type MinutesSession } from "./useMinutesDocument.ts";

/** The Y.XmlFragment the minutes live in (the contract's "minutes"). */
export const MINUTES_FIELD = "minutes";

/** Another person's caret: a coloured bar with their name (hidden from screen readers, which have the presence list). */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement("span");
  caret.className = "collaboration-carets__caret";
  caret.setAttribute("aria-hidden", "true");
  const color = typeof user.color === "string" ? user.color : "#0b4f7c";
  caret.style.borderColor = color;
  const label = document.createElement("span");
  label.className = "collaboration-carets__label";
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === "string" ? user.name : "";
  caret.append(label);
  return caret;
}

/** One agenda item's minutes, live, with who is writing now. `canWrite` is the server's answer for this reader. */
export function Minutes({ documentName, title, me, canWrite, locked }: { documentName: string; title: string; me: { id: string; displayName: string }; canWrite: boolean; locked: boolean }) {
  const t = useT();
  const session = useMinutesDocument(documentName, me);
  if (!session) return null;
  if (session.ended) return <p className="alert alert--info">{session.ended === "revoked" ? t("meetings.minutes.revoked") : t("meetings.minutes.refused")}</p>;
  if (!session.authorized) return <p className="muted">{t("meetings.minutes.connecting")}</p>;
  return <MinutesBody session={session} title={title} readOnly={!canWrite || locked || session.readOnly} locked={locked} />;
}

function MinutesBody({ session, title, readOnly, locked }: { session: MinutesSession; title: string; readOnly: boolean; locked: boolean }) {
  const t = useT();
  const labelId = useId();
  const hintId = useId();
  const presenceId = useId();
  const { doc, provider } = session;
  const me = session.peers.find((p) => p.self);
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false, link: false }),
        Collaboration.configure({ document: doc, field: MINUTES_FIELD }),
        CollaborationCaret.configure({
          provider,
          user: provider.awareness?.getLocalState()?.user ?? { name: me?.name ?? "", color: me?.color ?? colorFor("") },
          render: renderCaret,
        }),
      ],
      editable: !readOnly,
      editorProps: {
        attributes: { class: "minutes__editor", role: "textbox", "aria-multiline": "true", "aria-labelledby": labelId, "aria-describedby": hintId },
      },
    },
    [doc, provider],
  );
  useEffect(() => {
    if (!editor) return;
    editor.setEditable(!readOnly);
    editor.view.dom.setAttribute("aria-readonly", String(readOnly));
  }, [editor, readOnly]);
  return (
    <div className="minutes">
      <div className="minutes__bar">
        <span id={labelId} className="minutes__label">
          {t("meetings.minutes.editorLabel", { title })}
        </span>
        {session.peers.length > 0 && (
          <div className="presence">
            <span id={presenceId} className="presence__label">
              {t("meetings.minutes.presence")}
            </span>
            <ul className="presence__list" aria-labelledby={presenceId}>
              {session.peers.map((p) => (
                <li key={p.userId} className="presence__person">
                  <span className="presence__avatar" style={{ backgroundColor: p.color }} aria-hidden="true">
                    {initials(p.name)}
                  </span>
                  <span>{p.self ? t("meetings.minutes.you", { name: p.name }) : p.name}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <span className={session.status === "connected" ? "badge badge--ok" : "badge badge--warn"}>
          {session.status === "connected" ? t("meetings.minutes.connected") : session.status === "connecting" ? t("meetings.minutes.connecting") : t("meetings.minutes.disconnected")}
        </span>
      </div>
      <p id={hintId} className="muted">
        {locked ? t("meetings.minutes.locked") : readOnly ? t("meetings.minutes.hintReadOnly") : t("meetings.minutes.hint")}
      </p>
      <EditorContent editor={editor} />
    </div>
  );
}
