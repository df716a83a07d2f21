import { addGoal, addMeasure, type Plan } from "@laget/plan";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useCase } from "../cases/CasePage.tsx";
import { useT } from "../i18n/I18nProvider.tsx";
import { lifeAreaName } from "../i18n/labels.ts";
import { useRealtime } from "../messaging/RealtimeProvider.tsx";
import { SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { Loading, StatusMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { GoalCard } from "./GoalCard.tsx";
import { MeasureCard } from "./MeasureCard.tsx";
import { PlanGate } from "./PlanGate.tsx";
import { ConnectionBadge, Presence } from "./PlanStatus.tsx";
import { RevisionsPanel } from "./RevisionsPanel.tsx";
import { tryWrite, usePlanAudience, usePlanDirectory } from "./shared.ts";
import { lazyPage } from "../ui/lazyPage.tsx";

// The notes editor (TipTap, ProseMirror) sits below the goals and measures: its code comes
// after the plan has been shown, so the plan is on screen sooner on a phone.
const NotesEditor = lazyPage(() => import("./NotesEditor.tsx"), "NotesEditor");
import { usePlanDocument, type PlanSession } from "./usePlanDocument.ts";

/**
 * /saker/:caseId/plan: the family's plan, live. Goals in the family's own words, then
 * measures per life domain, then shared notes (rich text with live cursors). Everything
 * is edited in place and merges with what the others do at the same time.
 */
export function PlanTab() {
  const t = useT();
  const { kase, actor } = useCase();
  const canRead = kase.readableCategories.includes("plan");
  return (
    <>
      <h2>{t("plan.heading")}</h2>
      <p>{t("plan.intro")}</p>
      {canRead ? <LivePlan caseId={kase.id} me={actor} caseClosed={!kase.abilities.editPlan && kase.status === "closed"} /> : <p className="alert alert--info">{t("plan.noBasis")}</p>}
    </>
  );
}

function LivePlan({ caseId, me, caseClosed }: { caseId: string; me: { id: string; displayName: string }; caseClosed: boolean }) {
  const session = usePlanDocument(caseId, me);
  const rt = useRealtime();
  const authorized = session?.authorized ?? false;
  // The copy this device now keeps is judged again whenever the user's plan access narrows, open or not.
  useEffect(() => {
    if (authorized) rt.watchPlanCopy(caseId);
  }, [rt, caseId, authorized]);
  if (!session) return <Loading />;
  return (
    <PlanGate session={session}>
      <PlanEditor session={session} caseId={caseId} caseClosed={caseClosed} />
    </PlanGate>
  );
}

function PlanEditor({ session, caseId, caseClosed }: { session: PlanSession; caseId: string; caseClosed: boolean }) {
  const t = useT();
  const [status, setStatus] = useState<string | null>(null);
  const [showRevisions, setShowRevisions] = useState(false);
  const readOnly = session.readOnly || caseClosed;
  const { plan } = session;
  const goalsId = useId();
  const measuresId = useId();

  return (
    <div className="plan">
      <div className="plan__bar">
        <ConnectionBadge session={session} />
        <Presence session={session} />
      </div>
      <div className="row-actions no-print">
        <Link className="button button--secondary button--small" to={`/saker/${caseId}/plan/utskrift`}>
          {t("plan.print.open")}
        </Link>
        <button type="button" className="button button--secondary button--small" aria-expanded={showRevisions} onClick={() => setShowRevisions((s) => !s)}>
          {t("plan.revisions.toggle")}
        </button>
      </div>
      {readOnly && (
        <p className="alert alert--info">
          {caseClosed || session.readOnlyReason === "case_closed" ? t("plan.readOnly.caseClosed") : t("plan.readOnly.noWrite")}
        </p>
      )}
      <StatusMessage>{status}</StatusMessage>
      {showRevisions && <RevisionsPanel caseId={caseId} readOnly={readOnly} onStatus={setStatus} />}

      <section aria-labelledby={goalsId} className="plan__section">
        <h3 id={goalsId}>{t("plan.goals.heading")}</h3>
        <p className="muted">{t("plan.goals.explain")}</p>
        {plan.goals.length === 0 ? (
          <p>{t("plan.goals.empty")}</p>
        ) : (
          <ol className="plan-cards">
            {plan.goals.map((g, i) => (
              <GoalCard key={g.id} doc={session.doc} plan={plan} goal={g} index={i + 1} readOnly={readOnly} onStatus={setStatus} />
            ))}
          </ol>
        )}
        {!readOnly && <AddGoalForm session={session} onStatus={setStatus} />}
      </section>

      <section aria-labelledby={measuresId} className="plan__section">
        <h3 id={measuresId}>{t("plan.measures.heading")}</h3>
        <p className="muted">{t("plan.measures.explain")}</p>
        {!readOnly && <AddMeasureForm session={session} onStatus={setStatus} />}
        <MeasuresByDomain session={session} plan={plan} readOnly={readOnly} onStatus={setStatus} />
      </section>

      <NotesEditor session={session} readOnly={readOnly} />
    </div>
  );
}

function MeasuresByDomain({ session, plan, readOnly, onStatus }: { session: PlanSession; plan: Plan; readOnly: boolean; onStatus: (s: string) => void }) {
  const t = useT();
  const directory = usePlanDirectory();
  const { kase } = useCase();
  const audience = usePlanAudience(kase.id);
  const groups = [
    ...plan.domains.map((d) => ({ id: d.id, name: lifeAreaName(t, d), measures: plan.measures.filter((m) => m.domainId === d.id) })),
    { id: "", name: t("plan.domains.none"), measures: plan.measures.filter((m) => m.domainId === null) },
  ].filter((g) => g.id !== "" || g.measures.length > 0);
  return (
    <>
      {groups.map((g) => (
        <section key={g.id || "none"} className="plan-domain" aria-label={g.name}>
          <h4>
            {g.name} <span className="muted plan-domain__count">{t("plan.measures.count", { count: g.measures.length })}</span>
          </h4>
          {g.measures.length === 0 ? (
            <p className="muted">{t("plan.measures.emptyDomain")}</p>
          ) : (
            <ul className="plan-cards">
              {g.measures.map((m) => (
                <MeasureCard key={m.id} doc={session.doc} plan={plan} measure={m} readOnly={readOnly} directory={directory} audience={audience} onStatus={onStatus} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

function AddGoalForm({ session, onStatus }: { session: PlanSession; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [text, setText] = useState("");
  const [domainId, setDomainId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = text.trim() ? tryWrite(t, () => addGoal(session.doc, { text: text.trim(), domainId: domainId || null })) : t("plan.goals.textRequired");
    setError(problem);
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setText("");
    onStatus(t("plan.goals.added"));
  };
  return (
    <div className="panel plan-add" role="group" aria-labelledby={headingId}>
      <h4 id={headingId}>{t("plan.goals.addHeading")}</h4>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <TextAreaField label={t("plan.goals.newText")} hint={t("plan.goals.newTextHint")} rows={2} required value={text} onChange={(e) => setText(e.target.value)} error={error} />
        <SelectField label={t("plan.fields.domain")} value={domainId} onChange={(e) => setDomainId(e.target.value)}>
          <option value="">{t("plan.domains.none")}</option>
          {session.plan.domains.map((d) => (
            <option key={d.id} value={d.id}>
              {lifeAreaName(t, d)}
            </option>
          ))}
        </SelectField>
        <div className="form__actions">
          <button type="submit" className="button">
            {t("plan.goals.add")}
          </button>
        </div>
      </form>
    </div>
  );
}

function AddMeasureForm({ session, onStatus }: { session: PlanSession; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [title, setTitle] = useState("");
  const [domainId, setDomainId] = useState(session.plan.domains[0]?.id ?? "");
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = title.trim() ? tryWrite(t, () => addMeasure(session.doc, { title: title.trim(), domainId: domainId || null })) : t("plan.measures.titleRequired");
    setError(problem);
    if (problem) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setTitle("");
    onStatus(t("plan.measures.added", { title: title.trim() }));
  };
  return (
    <div className="panel plan-add" role="group" aria-labelledby={headingId}>
      <h4 id={headingId}>{t("plan.measures.addHeading")}</h4>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <TextField label={t("plan.measures.newTitle")} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} error={error} />
        <SelectField label={t("plan.fields.domain")} value={domainId} onChange={(e) => setDomainId(e.target.value)}>
          {session.plan.domains.map((d) => (
            <option key={d.id} value={d.id}>
              {lifeAreaName(t, d)}
            </option>
          ))}
          <option value="">{t("plan.domains.none")}</option>
        </SelectField>
        <div className="form__actions">
          <button type="submit" className="button">
            {t("plan.measures.add")}
          </button>
        </div>
      </form>
    </div>
  );
}
