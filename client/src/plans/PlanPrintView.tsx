import { notesText, type Measure, type Plan } from "@laget/plan";
import { useEffect, useId } from "react";
import { Link } from "react-router";
import { useCase } from "../cases/CasePage.tsx";
import { subjectNames, useFormat } from "../cases/shared.ts";
import { useI18n } from "../i18n/I18nProvider.tsx";
import { lifeAreaName } from "../i18n/labels.ts";
import { Loading } from "../ui/messages.tsx";
import { PlanGate } from "./PlanGate.tsx";
import { statusKey, usePlanDirectory } from "./shared.ts";
import { usePlanDocument, type PlanSession } from "./usePlanDocument.ts";

/**
 * /saker/:caseId/plan/utskrift: the plan as the family gets it on paper. Plain words,
 * names instead of ids, no internal codes, nothing but the plan.
 */
export function PlanPrintView() {
  const { t } = useI18n();
  const { kase } = useCase();
  return (
    <div className="plan-print">
      <p className="row-actions no-print">
        <Link to={`/saker/${kase.id}/plan`}>{t("plan.print.back")}</Link>
      </p>
      {kase.readableCategories.includes("plan") ? <PrintSession /> : <p className="alert alert--info">{t("plan.noBasis")}</p>}
    </div>
  );
}

function PrintSession() {
  const { kase, actor } = useCase();
  const session = usePlanDocument(kase.id, actor);
  return (
    <>
      {!session ? (
        <Loading />
      ) : (
        <PlanGate session={session}>
          <PrintablePlan session={session} names={subjectNames(kase.subjects)} />
        </PlanGate>
      )}
    </>
  );
}

function PrintablePlan({ session, names }: { session: PlanSession; names: string }) {
  const { t } = useI18n();
  const format = useFormat();
  const headingId = useId();
  const directory = usePlanDirectory();
  const plan: Plan = session.plan;
  const notes = notesText(session.doc).trim();

  useEffect(() => {
    document.title = t("app.pageTitle", { page: t("plan.print.title", { names }) });
  }, [names, t]);

  const domains = [
    ...plan.domains.map((d) => ({ id: d.id, name: lifeAreaName(t, d) })),
    { id: null as string | null, name: t("plan.print.otherDomain") },
  ]
    .map((d) => ({ ...d, goals: plan.goals.filter((g) => g.domainId === d.id), measures: plan.measures.filter((m) => m.domainId === d.id) }))
    .filter((d) => d.goals.length > 0 || d.measures.length > 0);

  const who = (m: Measure) => {
    const unit = directory.unitName(m.responsibleUnitId);
    const person = directory.personName(m.responsiblePersonId);
    if (unit && person) return t("plan.print.whoBoth", { person, unit });
    return person ?? unit ?? t("plan.print.notDecided");
  };
  const day = (d: string | null) => (d ? format.day(d) : t("plan.print.notDecided"));

  return (
    <article aria-labelledby={headingId} className="plan-print__sheet">
      <h2 id={headingId}>{t("plan.print.title", { names })}</h2>
      <p className="muted">{t("plan.print.printedAt", { date: format.dateTime(new Date()) })}</p>
      <p className="no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          {t("plan.print.print")}
        </button>
      </p>
      <p>{t("plan.print.intro")}</p>
      {domains.length === 0 && <p>{t("plan.print.empty")}</p>}
      {domains.map((d) => (
        <section key={d.id ?? "none"} className="plan-print__domain">
          <h3>{d.name}</h3>
          {d.goals.length > 0 && (
            <>
              <h4>{t("plan.print.goals")}</h4>
              <ul>
                {d.goals.map((g) => (
                  <li key={g.id} className="plan-print__goal">
                    {g.text}
                  </li>
                ))}
              </ul>
            </>
          )}
          {d.measures.length > 0 && (
            <>
              <h4>{t("plan.print.measures")}</h4>
              {d.measures.map((m) => (
                <div key={m.id} className="plan-print__measure">
                  <p className="plan-print__measure-title">{m.title}</p>
                  {m.description && <p>{m.description}</p>}
                  <dl className="facts">
                    <div>
                      <dt>{t("plan.print.who")}</dt>
                      <dd>{who(m)}</dd>
                    </div>
                    {m.start && (
                      <div>
                        <dt>{t("plan.print.start")}</dt>
                        <dd>{day(m.start)}</dd>
                      </div>
                    )}
                    <div>
                      <dt>{t("plan.print.deadline")}</dt>
                      <dd>{day(m.deadline)}</dd>
                    </div>
                    <div>
                      <dt>{t("plan.print.evaluation")}</dt>
                      <dd>{day(m.evaluationDate)}</dd>
                    </div>
                    <div>
                      <dt>{t("plan.print.status")}</dt>
                      <dd>{t(statusKey(m.status))}</dd>
                    </div>
                    {m.evaluationNote && (
                      <div>
                        <dt>{t("plan.print.howItWent")}</dt>
                        <dd>{m.evaluationNote}</dd>
                      </div>
                    )}
                  </dl>
                </div>
              ))}
            </>
          )}
        </section>
      ))}
      {notes && (
        <section className="plan-print__domain">
          <h3>{t("plan.print.notes")}</h3>
          {notes.split("\n").map((line, i) => (line.trim() ? <p key={i}>{line}</p> : null))}
        </section>
      )}
    </article>
  );
}
