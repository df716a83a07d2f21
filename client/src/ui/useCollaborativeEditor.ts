import type { HocuspocusProvider } from "@hocuspocus/provider";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect } from "react";
import type * as Y from "yjs";
import { colorFor } from "../plans/presence.ts";
import "./editor.css";

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
 * Rich text (TipTap) bound to one Y.XmlFragment of a live document, with the others'
 * cursors and selections: the plan's notes and each agenda item's minutes. Read-only
 * follows the server's answer at once (and is told to screen readers).
 */
export function useCollaborativeEditor(options: {
  session: { doc: Y.Doc; provider: HocuspocusProvider; peers: readonly { self: boolean; name: string; color: string }[] };
  field: string;
  readOnly: boolean;
  className: string;
  labelledBy: string;
  describedBy: string;
}) {
  const { session, field, readOnly, className, labelledBy, describedBy } = options;
  const { doc, provider } = session;
  const me = session.peers.find((p) => p.self);
  const editor = useEditor(
    {
      extensions: [
        // Yjs keeps the history: the editor's own undo would fight it.
        StarterKit.configure({ undoRedo: false, link: false }),
        Collaboration.configure({ document: doc, field }),
        CollaborationCaret.configure({
          provider,
          user: provider.awareness?.getLocalState()?.user ?? { name: me?.name ?? "", color: me?.color ?? colorFor("") },
          render: renderCaret,
        }),
      ],
      editable: !readOnly,
      // Its base styles come from editor.css: an injected <style> is refused by the CSP.
      injectCSS: false,
      editorProps: {
        attributes: { class: className, role: "textbox", "aria-multiline": "true", "aria-labelledby": labelledBy, "aria-describedby": describedBy },
      },
    },
    [doc, provider],
  );
  useEffect(() => {
    if (!editor) return;
    editor.setEditable(!readOnly);
    editor.view.dom.setAttribute("aria-readonly", String(readOnly));
  }, [editor, readOnly]);
  return editor;
}
