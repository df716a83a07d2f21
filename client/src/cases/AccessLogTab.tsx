import { auditActionKind, foldReads, type AuditActionKind } from "@laget/domain";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { nb } from "../i18n/nb.ts";
import type { MessageKey, TFunction } from "../i18n/types.ts";
import { trpcClient, trpc } from "../trpc.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { useCase } from "./CasePage.tsx";
import { osloDay, subjectNames, useFormat } from "./shared.ts";
import { StackTable } from "../ui/StackTable.tsx";

type Entry = { action: string; basis: { kind: string; consentVersion?: number } | null; purpose: string | null };
type LogEntry = { at: Date; actorName: string | null; unitName: string | null; action: string };

type Filter = { person: string; unit: string; kind: "" | AuditActionKind; from: string; to: string };
const noFilter: Filter = { person: "", unit: "", kind: "", from: "", to: "" };

/** Whether an entry passes the filter; the period is whole days in Norwegian time, both ends included. */
function matches(f: Filter, e: LogEntry): boolean {
  const day = osloDay(e.at);
  return (
    (!f.person || e.actorName === f.person) &&
    (!f.unit || e.unitName === f.unit) &&
    (!f.kind || auditActionKind(e.action) === f.kind) &&
    (!f.from || day >= f.from) &&
    (!f.to || day <= f.to)
  );
}

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b, "nb"));

function Filters({ entries, filter, onChange }: { entries: readonly LogEntry[]; filter: Filter; onChange: (f: Filter) => void }) {
  const t = useT();
  const set = (patch: Partial<Filter>) => onChange({ ...filter, ...patch });
  const kinds: AuditActionKind[] = ["read", "change", "denied"];
  return (
    <fieldset className="filters no-print">
      <legend>{t("accessLog.filtersHeading")}</legend>
      <SelectField label={t("accessLog.filterPerson")} value={filter.person} onChange={(e) => set({ person: e.target.value })}>
        <option value="">{t("accessLog.filterAll")}</option>
        {distinct(entries.map((e) => e.actorName)).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("accessLog.filterUnit")} value={filter.unit} onChange={(e) => set({ unit: e.target.value })}>
        <option value="">{t("accessLog.filterAll")}</option>
        {distinct(entries.map((e) => e.unitName)).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("accessLog.filterKind")} value={filter.kind} onChange={(e) => set({ kind: e.target.value as Filter["kind"] })}>
        <option value="">{t("accessLog.filterAll")}</option>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(`accessLog.kind_${k}`)}
          </option>
        ))}
      </SelectField>
      <TextField type="date" label={t("accessLog.filterFrom")} value={filter.from} onChange={(e) => set({ from: e.target.value })} />
      <TextField type="date" label={t("accessLog.filterTo")} value={filter.to} onChange={(e) => set({ to: e.target.value })} />
    </fieldset>
  );
}

/** An audited action in the reader's language ("Leste notat"); a code the catalog lacks is shown as it is. */
export function actionText(t: TFunction, action: string): string {
  // Catalog keys cannot hold dots: "case.read" is auditAction.case_read.
  const known = (a: string) => {
    const key = a.replace(/\./g, "_");
    return key in nb.auditAction ? t(`auditAction.${key}` as MessageKey) : a;
  };
  return action.startsWith("denied:") ? t("auditAction.denied", { action: known(action.slice(7)) }) : known(action);
}

/** When a folded row happened: one time if its first and last read fall in the same minute as shown. */
function timeSpan(format: ReturnType<typeof useFormat>, firstAt: Date | string, at: Date | string): string {
  const first = format.dateTime(firstAt);
  const last = osloDay(firstAt) === osloDay(at) ? format.time(at) : format.dateTime(at);
  return first === format.dateTime(at) ? first : `${first}–${last}`;
}

function basisText(t: TFunction, basis: Entry["basis"], action: string): string {
  // Only a refused step has "no basis"; a step that needs none (an answer to a handover) shows none.
  if (!basis) return action.startsWith("denied:") ? t("accessLog.basisNone") : t("accessLog.basisNotNeeded");
  if (basis.kind === "consent") return t("accessLog.basisConsent", { version: basis.consentVersion ?? "" });
  if (basis.kind === "disclosure") return t("accessLog.basisDisclosure");
  return t("accessLog.basisOwnUnit");
}

function purposeText(t: TFunction, purpose: string | null): string {
  return purpose && purpose in nb.purpose ? t(`purpose.${purpose}` as MessageKey) : (purpose ?? "");
}

/** The case's access log, for its coordinator: on screen, as CSV and printed. */
export function AccessLogTab() {
  const t = useT();
  const format = useFormat();
  const { kase } = useCase();
  const log = useQuery({ ...trpc.audit.caseLog.queryOptions({ caseId: kase.id }), enabled: kase.abilities.readAccessLog });
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [filter, setFilter] = useState<Filter>(noFilter);
  const entries = useMemo(() => log.data ?? [], [log.data]);
  // Filter first, then fold: a run of identical reads is folded as the filtered log shows it.
  const rows = useMemo(() => foldReads(entries.filter((e) => matches(filter, e))), [entries, filter]);
  const shownEvents = rows.reduce((n, r) => n + r.count, 0);

  if (!kase.abilities.readAccessLog) return <p>{t("accessLog.onlyCoordinator")}</p>;

  const download = async () => {
    setDownloadError(null);
    try {
      const csv = await trpcClient.audit.caseLogCsv.query({ caseId: kase.id });
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `tilgangslogg-${kase.id}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      setDownloadError(error);
    }
  };

  return (
    <section className="access-log">
      <h2>{t("accessLog.heading")}</h2>
      <p className="print-only">{t("accessLog.printTitle", { names: subjectNames(kase.subjects) })}</p>
      <p className="print-only">{t("accessLog.printedAt", { date: format.dateTime(new Date()) })}</p>
      <p>{t("accessLog.intro")}</p>
      <div className="row-actions no-print">
        <button type="button" className="button button--secondary" onClick={() => void download()}>
          {t("accessLog.download")}
        </button>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {t("accessLog.print")}
        </button>
      </div>
      <ErrorMessage error={downloadError} />
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <LoadFailed error={log.error} onRetry={() => void log.refetch()} />
      ) : log.data.length === 0 ? (
        <p>{t("accessLog.empty")}</p>
      ) : (
        <>
          <Filters entries={log.data} filter={filter} onChange={setFilter} />
          <p className="muted" role="status">
            {t("accessLog.shown", { rows: rows.length, count: shownEvents })} {t("accessLog.timeZoneNote")}
          </p>
          <StackTable columns={[t("accessLog.colTime"), t("accessLog.colPerson"), t("accessLog.colUnit"), t("accessLog.colAction"), t("accessLog.colCount"), t("accessLog.colBasis"), t("accessLog.colPurpose")]}>
            {rows.map((e) => (
              <tr key={e.id}>
                <td data-label={t("accessLog.colTime")}>
                  {timeSpan(format, e.firstAt, e.at)}
                </td>
                <td data-label={t("accessLog.colPerson")}>{e.actorName ?? t("accessLog.unknown")}</td>
                <td data-label={t("accessLog.colUnit")}>{e.unitName ?? ""}</td>
                <td data-label={t("accessLog.colAction")}>{actionText(t, e.action)}</td>
                <td data-label={t("accessLog.colCount")}>{e.count}</td>
                <td data-label={t("accessLog.colBasis")}>{basisText(t, e.basis, e.action)}</td>
                <td data-label={t("accessLog.colPurpose")}>{purposeText(t, e.purpose)}</td>
              </tr>
            ))}
          </StackTable>
        </>
      )}
    </section>
  );
}
