import type { ReactNode } from "react";
import { Link } from "react-router";
import { useT } from "../i18n/I18nProvider.tsx";
import { Loading } from "../ui/messages.tsx";
import { ConnectionBadge } from "./PlanStatus.tsx";
import type { PlanSession } from "./usePlanDocument.ts";

/**
 * What to show before (or instead of) the plan: why access ended or was refused, or
 * that the plan is still loading. Nothing shows before the server has let this session
 * in; then the plan shows as soon as there is content, from the server or from this
 * device's copy (which stays usable if the connection drops afterwards).
 */
export function PlanGate({ session, children }: { session: PlanSession; children: ReactNode }) {
  const t = useT();
  if (session.ended) {
    const { kind, reason } = session.ended;
    const text =
      kind === "revoked"
        ? t("plan.ended.revoked")
        : reason === "unauthenticated"
          ? t("plan.ended.unauthenticated")
          : reason === "not-found"
            ? t("plan.ended.notFound")
            : t("plan.ended.noBasis");
    return (
      <div role="alert" className="alert alert--error">
        <p>{text}</p>
        <p>
          <Link to="/saker">{t("cases.back")}</Link>
        </p>
      </div>
    );
  }
  const hasContent = session.plan.domains.length > 0 || session.plan.goals.length > 0 || session.plan.measures.length > 0;
  if (!session.authorized || (!session.synced && !hasContent)) {
    const waiting = session.status === "disconnected" && session.localLoaded;
    return (
      <>
        <ConnectionBadge session={session} />
        {waiting ? <p>{t(session.authorized ? "plan.notOnDevice" : "plan.needsConnection")}</p> : <Loading />}
      </>
    );
  }
  return <>{children}</>;
}
