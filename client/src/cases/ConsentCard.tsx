import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { TextField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { ConfirmStep } from "./ConfirmStep.tsx";
import { useCase } from "./CasePage.tsx";
import { ageOf, categoryList, purposeList, refreshCase, useFormat, type Consent } from "./shared.ts";

function statusBadge(status: Consent["status"]): string {
  if (status === "active") return "badge badge--ok";
  if (status === "draft" || status === "requested") return "badge badge--warn";
  return "badge badge--off";
}

/** One consent version: its terms, its history, and (for the coordinator) its next steps. */
export function ConsentCard({
  consent: c,
  unitName,
  canManage,
  onStatus,
  onRevise,
}: {
  consent: Consent;
  unitName: (id: string) => string;
  canManage: boolean;
  onStatus: (s: string) => void;
  onRevise: () => void;
}) {
  const t = useT();
  const format = useFormat();
  const formRef = useRef<HTMLFormElement>(null);
  const requestHintId = useId();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const handlers = { onMutate: () => setError(null), onError: setError };
  const activate = useMutation(trpc.consents.activate.mutationOptions(handlers));
  const request = useMutation(trpc.consents.request.mutationOptions(handlers));
  const refuse = useMutation(trpc.consents.refuse.mutationOptions(handlers));
  const invalidate = useMutation(trpc.consents.invalidate.mutationOptions(handlers));
  const remove = useMutation(trpc.consents.deleteDraft.mutationOptions(handlers));
  const withdraw = useMutation(trpc.consents.withdraw.mutationOptions(handlers));
  const busy = [activate, request, refuse, invalidate, remove, withdraw].some((m) => m.isPending);
  // One irreversible step at a time is asked about, in place.
  const [step, setStep] = useState<"refuse" | "invalidate" | "delete" | null>(null);
  const stepButtons = { refuse: useRef<HTMLButtonElement>(null), invalidate: useRef<HTMLButtonElement>(null), delete: useRef<HTMLButtonElement>(null) };
  const lastStep = useRef<typeof step>(null);
  useEffect(() => {
    // Back from a question (cancelled, or failed and closed): focus returns to the button that asked it.
    if (step === null && lastStep.current) stepButtons[lastStep.current].current?.focus();
    lastStep.current = step;
  }, [step]);

  const done = (text: string) => ({
    onSuccess: async () => {
      // Done, not cancelled: the status message speaks; the asking button may be gone.
      lastStep.current = null;
      setStep(null);
      onStatus(text);
      await refreshCase();
    },
  });
  const title = t("consent.cardTitle", { subject: c.subjectName, version: c.version });
  const open = c.status === "draft" || c.status === "requested";
  const ended = !open && c.status !== "active";
  // The server refuses to activate without the child's views from age 7; say so before the click.
  const { kase } = useCase();
  const subject = kase.subjects.find((s) => s.id === c.subjectId);
  const age = subject ? ageOf(subject) : null;
  const viewsMissing = !!subject && subject.role !== "parent" && age !== null && age >= 7 && !c.childViews;

  const submitWithdraw = (event: FormEvent) => {
    event.preventDefault();
    if (withdraw.isPending) return;
    if (!reason.trim()) {
      setReasonError(t("consent.reasonRequired"));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setReasonError(undefined);
    withdraw.mutate({ consentId: c.id, reason: reason.trim() }, done(t("consent.withdrawn")));
  };

  return (
    <li className="card">
      <h4 className="card__title">{title}</h4>
      <dl className="facts">
        <div>
          <dt>{t("consent.status")}</dt>
          <dd>
            <span className={statusBadge(c.status)}>{t(`consentStatus.${c.status}`)}</span>
            {c.endReason && (
              <span>
                {" "}
                {t("consent.endReason")}: {c.endReason}
              </span>
            )}
          </dd>
        </div>
        {c.grantors && (
          <div>
            <dt>{t("consent.grantors")}</dt>
            <dd>{c.grantors.map((g) => t("consent.grantor", { name: g.name, relation: t(`consent.relation_${g.relation}`) })).join("; ")}</dd>
          </div>
        )}
        <div>
          <dt>{t("consent.period")}</dt>
          <dd>{t("consent.periodValue", { start: format.date(c.periodStart), end: format.date(c.periodEnd) })}</dd>
        </div>
        <div>
          <dt>{t("consent.provisions")}</dt>
          <dd>
            <ul className="plain-list">
              {c.provisions.map((p) => (
                <li key={p.unitId}>
                  {t("consent.provisionValue", { unit: unitName(p.unitId), categories: categoryList(t, p.categories), purposes: purposeList(t, p.purposes) })}
                </li>
              ))}
            </ul>
          </dd>
        </div>
        {c.scope === "full" && (
          <div>
            <dt>{t("consent.childViews")}</dt>
            <dd>
              {c.childViews
                ? t("consent.childViewsValue", { date: format.date(c.childViews.heardOn), how: c.childViews.how, summary: c.childViews.summary })
                : t("consent.noChildViews")}
            </dd>
          </div>
        )}
        {c.evidence && (
          <div>
            <dt>{t("consent.evidence")}</dt>
            <dd>
              {t("consent.evidenceValue", { form: t(`consent.form_${c.evidence.form}`), language: c.evidence.language })}
              {c.evidence.interpreter && `, ${t("consent.withInterpreter")}`}
            </dd>
          </div>
        )}
        <div>
          <dt>{t("consent.infoText")}</dt>
          <dd>{c.informationTextVersion}</dd>
        </div>
      </dl>
      {c.scope === "own_provisions" && <p className="muted">{t("consent.ownProvisionOnly")}</p>}
      <div className="history">
        <p className="history__heading">{t("consent.historyHeading")}</p>
        <ul>
          {c.history.map((h, i) => (
            <li key={i}>
              {h.from
                ? t("consent.historyItem", { date: format.dateTime(h.at), from: t(`consentStatus.${h.from as Consent["status"]}`), to: t(`consentStatus.${h.to as Consent["status"]}`) })
                : t("consent.historyCreated", { date: format.dateTime(h.at), to: t(`consentStatus.${h.to as Consent["status"]}`) })}
              {h.by && ` ${t("consent.historyBy", { by: h.by })}`}
              {h.reason && `: ${h.reason}`}
            </li>
          ))}
        </ul>
      </div>
      <ErrorMessage error={error} />
      {canManage && c.status === "draft" && <p className="muted">{t("consent.stateDraft")}</p>}
      {c.status === "requested" && <p className="muted">{t("consent.stateRequested")}</p>}
      {ended && <p className="muted">{t("consent.stateEnded")}</p>}
      {canManage && open && viewsMissing && <p className="alert alert--info">{t("consent.cannotActivate", { name: c.subjectName, age: age ?? "" })}</p>}
      {canManage && open && step === null && (
        <div className="row-actions">
          {!viewsMissing && (
            <button type="button" className="button" disabled={busy} onClick={() => activate.mutate({ consentId: c.id }, done(t("consent.activated")))}>
              {t("consent.activate")}
            </button>
          )}
          {c.status === "draft" && (
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              aria-describedby={requestHintId}
              onClick={() => request.mutate({ consentId: c.id }, done(t("consent.requestDone")))}
            >
              {t("consent.request")}
            </button>
          )}
          {c.status === "requested" && (
            <button ref={stepButtons.refuse} type="button" className="button button--secondary" disabled={busy} onClick={() => setStep("refuse")}>
              {t("consent.refuse")}
            </button>
          )}
          {c.status === "draft" && !c.activatedAt && (
            <button ref={stepButtons.delete} type="button" className="button button--secondary" disabled={busy} onClick={() => setStep("delete")}>
              {t("consent.deleteDraft")}
            </button>
          )}
          <button ref={stepButtons.invalidate} type="button" className="button button--secondary" disabled={busy} onClick={() => setStep("invalidate")}>
            {t("consent.invalidate")}
          </button>
        </div>
      )}
      {canManage && c.status === "draft" && step === null && (
        <p id={requestHintId} className="field__hint">
          {t("consent.requestHint")}
        </p>
      )}
      {canManage && c.status === "active" && step === null && (
        <>
          <div className="row-actions">
            <button type="button" className="button button--secondary" onClick={onRevise}>
              {t("consent.revise")}
            </button>
            <button ref={stepButtons.invalidate} type="button" className="button button--secondary" disabled={busy} onClick={() => setStep("invalidate")}>
              {t("consent.invalidate")}
            </button>
          </div>
          <form ref={formRef} className="form form--inline" onSubmit={submitWithdraw} noValidate>
            <TextField
              label={t("consent.withdrawReason")}
              hint={t("consent.withdrawHint")}
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={reasonError}
            />
            <div className="form__actions">
              <button type="submit" className="button button--danger">
                {t("consent.withdrawConfirm")}
              </button>
            </div>
          </form>
        </>
      )}
      {canManage && step === "refuse" && (
        <ConfirmStep
          question={t("consent.refuseQuestion")}
          reasonLabel={t("consent.refuseReason")}
          reasonHint={t("consent.refuseReasonHint")}
          confirmLabel={t("consent.refuseConfirm")}
          pending={busy}
          onConfirm={(why) => refuse.mutate({ consentId: c.id, reason: why }, done(t("consent.refuseDone")))}
          onCancel={() => setStep(null)}
        />
      )}
      {canManage && step === "invalidate" && (
        <ConfirmStep
          question={c.status === "active" ? `${t("consent.invalidateQuestion")} ${t("consent.invalidateQuestionActive")}` : t("consent.invalidateQuestion")}
          reasonLabel={t("consent.invalidateReason")}
          confirmLabel={t("consent.invalidateConfirm")}
          pending={busy}
          onConfirm={(why) =>
            invalidate.mutate({ consentId: c.id, reason: why }, done(c.status === "active" ? t("consent.invalidateDoneActive") : t("consent.invalidateDone")))
          }
          onCancel={() => setStep(null)}
        />
      )}
      {canManage && step === "delete" && (
        <ConfirmStep
          question={t("consent.deleteQuestion")}
          confirmLabel={t("consent.deleteConfirm")}
          pending={busy}
          onConfirm={() => remove.mutate({ consentId: c.id }, done(t("consent.deleted")))}
          onCancel={() => setStep(null)}
        />
      )}
    </li>
  );
}

