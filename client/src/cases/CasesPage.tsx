import { caseStatuses, type CaseStatus } from "@laget/domain";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { Link } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { btiKey, btiLevels, caseUnits, subjectNames, useFormat } from "./shared.ts";
import { StackTable } from "../ui/StackTable.tsx";

/** Waits until typing pauses before searching. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function CasesPage({ actor }: { actor: Actor }) {
  const t = useT();
  const format = useFormat();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<CaseStatus | "">("");
  const [level, setLevel] = useState("");
  const [mine, setMine] = useState(false);
  const debouncedSearch = useDebounced(search.trim(), 300);
  const filtersId = useId();
  const listId = useId();
  const mineId = useId();

  const input = {
    ...(debouncedSearch ? { search: debouncedSearch } : {}),
    ...(status ? { status } : {}),
    ...(level !== "" ? { btiLevel: Number(level) } : {}),
    ...(mine ? { mine: true } : {}),
  };
  const filtered = Object.keys(input).length > 0;
  const cases = useQuery(trpc.cases.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const canCreate = caseUnits(actor.memberships).length > 0;

  return (
    <>
      <PageHeading>{t("cases.title")}</PageHeading>
      <p>{t("cases.intro")}</p>
      {canCreate && (
        <p>
          <Link to="/saker/ny" className="button">
            {t("cases.newCase")}
          </Link>
        </p>
      )}
      <section aria-labelledby={filtersId} className="panel">
        <h2 id={filtersId}>{t("cases.filtersHeading")}</h2>
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label={t("cases.search")}
            hint={t("cases.searchHint")}
            type="search"
            autoComplete="off"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <SelectField label={t("cases.status")} value={status} onChange={(e) => setStatus(e.target.value as CaseStatus | "")}>
            <option value="">{t("cases.allStatuses")}</option>
            {caseStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`caseStatus.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("cases.bti")} value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="">{t("cases.allLevels")}</option>
            {btiLevels.map((l) => (
              <option key={l} value={l}>
                {t(btiKey(l))}
              </option>
            ))}
          </SelectField>
          <div className="checkbox">
            <input id={mineId} type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
            <label htmlFor={mineId}>{t("cases.mine")}</label>
          </div>
        </form>
      </section>
      <section aria-labelledby={listId}>
        <h2 id={listId}>{t("cases.listHeading")}</h2>
        {cases.isPending ? (
          <Loading />
        ) : cases.isError ? (
          <LoadFailed error={cases.error} onRetry={() => void cases.refetch()} />
        ) : cases.data.length === 0 ? (
          <div className="empty" role="status">
            <p>{filtered ? t("cases.emptyFiltered") : t("cases.empty")}</p>
            <p>{t("cases.emptyExplain")}</p>
          </div>
        ) : (
          <>
            <p role="status" className="muted">
              {t("cases.count", { count: cases.data.length })}
            </p>
            <StackTable columns={[t("cases.colSubjects"), t("cases.colUnit"), t("cases.colCoordinator"), t("cases.colLevel"), t("cases.colStatus"), t("cases.colUpdated")]}>
              {cases.data.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/saker/${c.id}`}>{subjectNames(c.subjects) || t("cases.noSubjects")}</Link>
                  </th>
                  <td data-label={t("cases.colUnit")}>{c.owningUnitName}</td>
                  <td data-label={t("cases.colCoordinator")}>
                    {c.coordinatorName} {c.isCoordinator && <span className="muted">{t("cases.youCoordinate")}</span>}
                  </td>
                  <td data-label={t("cases.colLevel")}>{t("bti.level", { level: c.btiLevel })}</td>
                  <td data-label={t("cases.colStatus")}>
                    <span className={c.status === "open" ? "badge badge--ok" : c.status === "paused" ? "badge badge--warn" : "badge badge--off"}>
                      {t(`caseStatus.${c.status}`)}
                    </span>
                  </td>
                  <td data-label={t("cases.colUpdated")}>{format.dateTime(c.updatedAt)}</td>
                </tr>
              ))}
            </StackTable>
            <p className="muted">{t("cases.emptyExplain")}</p>
          </>
        )}
      </section>
    </>
  );
}
