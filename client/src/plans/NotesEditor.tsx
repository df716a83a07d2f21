import { EditorContent } from "@tiptap/react";
import { NOTES_FIELD } from "@laget/plan";
import { useId } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { useCollaborativeEditor } from "../ui/useCollaborativeEditor.ts";
import type { PlanSession } from "./usePlanDocument.ts";

/**
 * The plan's shared notes: rich text (TipTap) bound to the document's `notes`
 * fragment, with the others' cursors and selections live.
 */
export function NotesEditor({ session, readOnly }: { session: PlanSession; readOnly: boolean }) {
  const t = useT();
  const headingId = useId();
  const hintId = useId();
  const editor = useCollaborativeEditor({ session, field: NOTES_FIELD, readOnly, className: "plan-notes__editor", labelledBy: headingId, describedBy: hintId });

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
