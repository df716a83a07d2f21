import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { nb } from "../i18n/nb.ts";
import type { MessageKey, TFunction } from "../i18n/types.ts";
import { trpcClient, trpc } from "../trpc.ts";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { useCase } from "./CasePage.tsx";
import { subjectNames, useFormat } from "./shared.ts";

type Entry = { action: string; basis: { kind: string; consentVersion?: number } | null; purpose: string | null };

function actionText(t: TFunction, action: string): string {
  // Catalog keys cannot hold dots: "case.read" is auditAction.case_read.
  const known = (a: string) => {
    const key = a.replace(/\./g, "_");
    return key in nb.auditAction ? t(`auditAction.${key}` as MessageKey) : a;
  };
  return action.startsWith("denied:") ? t("auditAction.denied", { action: known(action.slice(7)) }) : known(action);
}

function basisText(t: TFunction, basis: Entry["basis"]): string {
  if (!basis) return t("accessLog.basisNone");
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
  const log = useQuery({ ...trpc.audit.caseLog.queryOptions({ caseId: kase.id }), enabled: kase.isCoordinator });
  const [downloadError, setDownloadError] = useState<unknown>(null);

  if (!kase.isCoordinator) return <p>{t("accessLog.onlyCoordinator")}</p>;

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
          <p className="muted">{t("accessLog.count", { count: log.data.length })}</p>
          <div className="table-scroll">
            <table className="table table--stack">
              <thead>
                <tr>
                  <th scope="col">{t("accessLog.colTime")}</th>
                  <th scope="col">{t("accessLog.colPerson")}</th>
                  <th scope="col">{t("accessLog.colUnit")}</th>
                  <th scope="col">{t("accessLog.colAction")}</th>
                  <th scope="col">{t("accessLog.colBasis")}</th>
                  <th scope="col">{t("accessLog.colPurpose")}</th>
                </tr>
              </thead>
              <tbody>
                {log.data.map((e) => (
                  <tr key={e.id}>
                    <td data-label={t("accessLog.colTime")}>{format.dateTime(e.at)}</td>
                    <td data-label={t("accessLog.colPerson")}>{e.actorName ?? t("accessLog.unknown")}</td>
                    <td data-label={t("accessLog.colUnit")}>{e.unitName ?? ""}</td>
                    <td data-label={t("accessLog.colAction")}>{actionText(t, e.action)}</td>
                    <td data-label={t("accessLog.colBasis")}>{basisText(t, e.basis)}</td>
                    <td data-label={t("accessLog.colPurpose")}>{purposeText(t, e.purpose)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
