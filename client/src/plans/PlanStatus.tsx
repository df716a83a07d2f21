import { useId } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { initials } from "./presence.ts";
import type { PlanSession } from "./usePlanDocument.ts";

/** The connection, in words: connected, sending, connecting, or offline with edits kept on this device. */
export function ConnectionBadge({ session }: { session: PlanSession }) {
  const t = useT();
  const text =
    session.status === "connected"
      ? session.unsynced
        ? t("plan.connection.sending")
        : t("plan.connection.connected")
      : session.status === "connecting"
        ? t("plan.connection.connecting")
        : t("plan.connection.disconnected");
  const cls = session.status === "connected" ? "badge badge--ok" : session.status === "connecting" ? "badge badge--off" : "badge badge--warn";
  return (
    <p role="status" className="plan__connection">
      <span className={cls}>{text}</span>
    </p>
  );
}

/** Who has the plan open now (awareness): initials in their colour, and the name. */
export function Presence({ session }: { session: PlanSession }) {
  const t = useT();
  const headingId = useId();
  if (session.peers.length === 0) return null;
  return (
    <div className="presence">
      <span id={headingId} className="presence__label">
        {t("plan.presence.label")}
      </span>
      <ul className="presence__list" aria-labelledby={headingId}>
        {session.peers.map((p) => (
          <li key={p.userId} className="presence__person">
            <span className="presence__avatar" style={{ backgroundColor: p.color }} aria-hidden="true">
              {initials(p.name)}
            </span>
            <span className="presence__name">{p.self ? t("plan.presence.you", { name: p.name }) : p.name}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
