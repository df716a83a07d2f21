import { defaultDomains } from "@laget/plan";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { useFormat, useI18n } from "../i18n/I18nProvider.tsx";
import { lifeAreaName } from "../i18n/labels.ts";
import type { MessageKey } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { statusKey, usePlanDirectory } from "./shared.ts";

type Filter = "all" | "due" | "overdue";
const filters: { value: Filter; label: MessageKey }[] = [
  { value: "all", label: "plan.mine.filterAll" },
  { value: "due", label: "plan.mine.filterDue" },
  { value: "overdue", label: "plan.mine.filterOverdue" },
];

/**
 * /tiltak, "Mine tiltak": the measures I am responsible for, across cases (from the
 * server's projection, only cases I may still read), each linking to its case's plan.
 */
export function MyMeasuresPage() {
  const { t } = useI18n();
  const format = useFormat();
  const [filter, setFilter] = useState<Filter>("all");
  const measures = useQuery(trpc.plans.myMeasures.queryOptions({ filter }));
  const domains = useQuery({ ...trpc.plans.domains.queryOptions(), staleTime: 5 * 60_000 });
  const directory = usePlanDirectory();
  const filterId = useId();
  const domainName = (id: string | null) => {
    if (!id) return "";
    const domain = (domains.data?.domains ?? defaultDomains).find((d) => d.id === id);
    return domain ? lifeAreaName(t, domain) : "";
  };

  return (
    <>
      <PageHeading>{t("plan.mine.title")}</PageHeading>
      <p>{t("plan.mine.intro")}</p>
      <div className="row-actions" role="group" aria-labelledby={filterId}>
        <span id={filterId} className="plan-filter__label">
          {t("plan.mine.filterLabel")}
        </span>
        {filters.map((f) => (
          <button
            key={f.value}
            type="button"
            className="button button--small button--toggle"
            aria-pressed={filter === f.value}
            onClick={() => setFilter(f.value)}
          >
            {t(f.label)}
          </button>
        ))}
      </div>
      {measures.isPending ? (
        <Loading />
      ) : measures.isError ? (
        <LoadFailed error={measures.error} onRetry={() => void measures.refetch()} />
      ) : measures.data.length === 0 ? (
        <p role="status">{filter === "all" ? t("plan.mine.emptyAll") : t("plan.mine.emptyFiltered")}</p>
      ) : (
        <>
          <p role="status" className="muted">
            {t("plan.mine.count", { count: measures.data.length })}
          </p>
          <ul className="card-list">
            {measures.data.map((m) => (
              <li key={`${m.caseId}:${m.measureId}`} className="card">
                <p className="card__title">
                  <Link to={`/saker/${m.caseId}/plan`}>{m.title}</Link>
                </p>
                {m.caseLabel && <p className="muted">{t("plan.mine.planFor", { names: m.caseLabel })}</p>}
                <p className="badges">
                  <span className={m.overdue ? "badge badge--warn" : "badge badge--off"}>{m.overdue ? t("plan.mine.overdue") : t(statusKey(m.status))}</span>
                  {m.domainId && <span className="badge badge--off">{domainName(m.domainId)}</span>}
                </p>
                <dl className="facts">
                  <div>
                    <dt>{t("plan.fields.deadline")}</dt>
                    <dd>{m.deadline ? format.day(m.deadline) : t("plan.print.notDecided")}</dd>
                  </div>
                  <div>
                    <dt>{t("plan.fields.evaluationDate")}</dt>
                    <dd>{m.evaluationDate ? format.day(m.evaluationDate) : t("plan.print.notDecided")}</dd>
                  </div>
                  {m.responsibleUnitId && (
                    <div>
                      <dt>{t("plan.fields.unit")}</dt>
                      <dd>{directory.unitName(m.responsibleUnitId) ?? ""}</dd>
                    </div>
                  )}
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
