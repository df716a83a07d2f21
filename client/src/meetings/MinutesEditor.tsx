import { EditorContent } from "@tiptap/react";
import { useId } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { initials } from "../plans/presence.ts";
import { useCollaborativeEditor } from "../ui/useCollaborativeEditor.ts";
import { useMinutesDocument, type MinutesSession } from "./useMinutesDocument.ts";

/** The Y.XmlFragment the minutes live in (the contract's "minutes"). */
export const MINUTES_FIELD = "minutes";

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
  const editor = useCollaborativeEditor({ session, field: MINUTES_FIELD, readOnly, className: "minutes__editor", labelledBy: labelId, describedBy: hintId });
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
