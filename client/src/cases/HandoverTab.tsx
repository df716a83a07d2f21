import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { SelectField, TextAreaField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { useCase } from "./CasePage.tsx";
import { refreshCase, useFormat, type CaseDetail } from "./shared.ts";

/** A proposed handover: the recipient answers it, the proposer (the coordinator) can withdraw it. */
export function PendingHandover({ kase, onStatus }: { kase: CaseDetail; onStatus: (s: string) => void }) {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const [error, setError] = useState<unknown>(null);
  const handlers = { onMutate: () => setError(null), onError: setError };
  const accept = useMutation(trpc.cases.acceptHandover.mutationOptions(handlers));
  const decline = useMutation(trpc.cases.declineHandover.mutationOptions(handlers));
  const withdraw = useMutation(trpc.cases.withdrawHandover.mutationOptions(handlers));
  const h = kase.pendingHandover;
  if (!h) return null;
  const done = (text: string) => ({
    onSuccess: async () => {
      onStatus(text);
      await refreshCase();
    },
  });

  return (
    <section aria-labelledby={headingId} className="panel panel--attention">
      <h2 id={headingId}>{t("handover.pendingHeading")}</h2>
      <p>{h.forMe ? t("handover.pendingForMe") : t("handover.pending", { from: kase.coordinatorName, to: h.toName, date: format.date(h.proposedAt) })}</p>
      {h.note && (
        <p>
          <strong>{t("handover.note")}:</strong> {h.note}
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="row-actions">
        {kase.abilities.answerHandover && (
          <>
            <button type="button" className="button" onClick={() => accept.mutate({ handoverId: h.id }, done(t("handover.accepted")))}>
              {t("handover.accept")}
            </button>
            <button type="button" className="button button--secondary" onClick={() => decline.mutate({ handoverId: h.id }, done(t("handover.declined")))}>
              {t("handover.decline")}
            </button>
          </>
        )}
        {kase.abilities.withdrawHandover && (
          <button type="button" className="button button--secondary" onClick={() => withdraw.mutate({ handoverId: h.id }, done(t("handover.withdrawn")))}>
            {t("handover.withdraw")}
          </button>
        )}
      </div>
    </section>
  );
}

export function HandoverTab() {
  const t = useT();
  const format = useFormat();
  const { kase, actor } = useCase();
  const [status, setStatus] = useState<string | null>(null);
  const history = useQuery(trpc.cases.handoverHistory.queryOptions({ caseId: kase.id }));
  const historyId = useId();

  return (
    <>
      <h2>{t("handover.heading")}</h2>
      <p>{t("handover.intro")}</p>
      <StatusMessage>{status}</StatusMessage>
      <PendingHandover kase={kase} onStatus={setStatus} />
      {kase.abilities.handover && <ProposeForm actorId={actor.id} onStatus={setStatus} />}
      {!kase.isCoordinator && <p className="muted">{t("handover.onlyCoordinator")}</p>}
      <section aria-labelledby={historyId}>
        <h3 id={historyId}>{t("handover.historyHeading")}</h3>
        {history.isPending ? (
          <Loading />
        ) : history.isError ? (
          <LoadFailed error={history.error} onRetry={() => void history.refetch()} />
        ) : history.data.length === 0 ? (
          <p>{t("handover.historyEmpty")}</p>
        ) : (
          <ul>
            {history.data.map((h) => (
              <li key={h.id}>
                {t("handover.historyItem", {
                  date: format.date(h.decidedAt ?? h.proposedAt),
                  from: h.fromName,
                  to: h.toName,
                  status: t(`handover.status_${h.status as "proposed" | "accepted" | "declined" | "withdrawn"}`),
                })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ProposeForm({ actorId, onStatus }: { actorId: string; onStatus: (s: string) => void }) {
  const t = useT();
  const { kase } = useCase();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const [toUserId, setToUserId] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | undefined>();
  const directory = useQuery(trpc.users.directory.queryOptions());
  // Case workers in a unit that takes part; proposing names them on the case so they can open it.
  const caseRoles = ["coordinator", "caseworker", "leader"];
  const people = (directory.data ?? []).filter(
    (p) => p.id !== actorId && kase.participants.some((pp) => p.units.some((u) => u.unitId === pp.unitId && caseRoles.includes(u.role))),
  );
  // Who can see the case now (decided per user on the server): anyone else is marked.
  const audience = useQuery({ ...trpc.cases.audience.queryOptions({ caseId: kase.id, category: "identity" }), staleTime: 30_000 });
  const seesCase = (userId: string) => !audience.data || audience.data.some((a) => a.userId === userId);
  const chosenBlind = !!toUserId && !seesCase(toUserId);
  const propose = useMutation(
    trpc.cases.proposeHandover.mutationOptions({
      onSuccess: async () => {
        onStatus(t("handover.proposed"));
        setToUserId("");
        setNote("");
        await refreshCase();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (propose.isPending) return;
    if (!toUserId) {
      setError(t("handover.personRequired"));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setError(undefined);
    propose.mutate({ caseId: kase.id, toUserId, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <section aria-labelledby={headingId} className="panel">
      <h3 id={headingId}>{t("handover.proposeHeading")}</h3>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={propose.error} />
        <SelectField label={t("handover.person")} hint={t("handover.personHint")} required value={toUserId} onChange={(e) => setToUserId(e.target.value)} error={error}>
          <option value="">{t("handover.choosePerson")}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName} ({p.units.map((u) => u.unitName).join(", ")}){seesCase(p.id) ? "" : ` – ${t("handover.cannotSeeShort")}`}
            </option>
          ))}
        </SelectField>
        {chosenBlind && <p className="alert alert--info">{t("handover.cannotSee")}</p>}
        <TextAreaField label={t("handover.noteLabel")} value={note} onChange={(e) => setNote(e.target.value)} />
        <div className="form__actions">
          <button type="submit" className="button">
            {t("handover.propose")}
          </button>
        </div>
      </form>
    </section>
  );
}
