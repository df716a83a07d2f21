import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { useCase } from "./CasePage.tsx";
import { ConsentCard } from "./ConsentCard.tsx";
import { ConsentForm } from "./ConsentForm.tsx";
import type { Consent } from "./shared.ts";


export function ConsentTab() {
  const t = useT();
  const { kase } = useCase();
  const consents = useQuery(trpc.consents.list.queryOptions({ caseId: kase.id }));
  const units = useQuery(trpc.units.list.queryOptions());
  const unitName = (id: string) => units.data?.find((u) => u.id === id)?.name ?? id;
  const [status, setStatus] = useState<string | null>(null);
  const [revising, setRevising] = useState<Consent | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const listId = useId();
  const canManage = kase.abilities.manageConsent;

  const done = (text: string) => {
    setStatus(text);
    setFormOpen(false);
    setRevising(null);
  };

  return (
    <>
      <h2>{t("consent.heading")}</h2>
      <p>{t("consent.intro")}</p>
      <StatusMessage>{status}</StatusMessage>
      {!kase.isCoordinator ? (
        <p className="muted">{t("consent.notCoordinator", { coordinator: kase.coordinatorName })}</p>
      ) : (
        kase.status === "closed" && <p className="muted">{t("consent.caseClosed")}</p>
      )}
      {canManage && !formOpen && !revising && (
        <p>
          <button type="button" className="button" onClick={() => setFormOpen(true)}>
            {t("consent.formHeading")}
          </button>
        </p>
      )}
      {canManage && (formOpen || revising) && (
        <ConsentForm
          key={revising?.id ?? "new"}
          revising={revising}
          onDone={() => done(t("consent.saved"))}
          onCancel={() => {
            setFormOpen(false);
            setRevising(null);
          }}
        />
      )}
      <section aria-labelledby={listId}>
        <h3 id={listId}>{t("consent.versionsHeading")}</h3>
        {consents.isPending ? (
          <Loading />
        ) : consents.isError ? (
          <LoadFailed error={consents.error} onRetry={() => void consents.refetch()} />
        ) : consents.data.length === 0 ? (
          <p>{t("consent.none")}</p>
        ) : (
          <ul className="card-list">
            {consents.data.map((c) => (
              <ConsentCard
                key={c.id}
                consent={c}
                unitName={unitName}
                canManage={canManage}
                onStatus={setStatus}
                onRevise={() => {
                  setStatus(null);
                  setRevising(c);
                }}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

