import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { NOTES_FIELD } from "@laget/plan";
import { useEffect, useId } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { colorFor } from "./presence.ts";
import type { PlanSession } from "./usePlanDocument.ts";

/** Another person's caret: a coloured bar with their name above it (hidden from screen readers, which have the presence list). */
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

/**
 * The plan's shared notes: rich text (TipTap) bound to the document's `notes`
 * fragment, with the others' cursors and selections live.
 */
export function NotesEditor({ session, readOnly }: { session: PlanSession; readOnly: boolean }) {
  const t = useT();
  const headingId = useId();
  const hintId = useId();
  const me = session.peers.find((p) => p.self);
  const { doc, provider } = session;

  const editor = useEditor(
    {
      extensions: [
        // Yjs keeps the history: the editor's own undo would fight it.
        StarterKit.configure({ undoRedo: false, link: false }),
        Collaboration.configure({ document: doc, field: NOTES_FIELD }),
        CollaborationCaret.configure({
          provider,
          user: provider.awareness?.getLocalState()?.user ?? { name: me?.name ?? "", color: me?.color ?? colorFor("") },
          render: renderCaret,
        }),
      ],
      editable: !readOnly,
      editorProps: {
        attributes: {
          class: "plan-notes__editor",
          role: "textbox",
          "aria-multiline": "true",
          "aria-labelledby": headingId,
          "aria-describedby": hintId,
        },
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
    <section aria-labelledby={headingId} className="plan__section plan-notes">
      <h3 id={headingId}>{t("plan.notes.heading")}</h3>
      <p id={hintId} className="muted">
        {readOnly ? t("plan.notes.hintReadOnly") : t("plan.notes.hint")}
      </p>
      <EditorContent editor={editor} />
    </section>
  );
}
