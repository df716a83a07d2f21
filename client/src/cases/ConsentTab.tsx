import { evidenceForms, grantorRelations } from "@laget/domain";
import { categories, purposes, type Category, type Purpose } from "@laget/policy";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { useMe } from "../auth/session.ts";
import { useCase } from "./CasePage.tsx";
import { addMonths, ageOf, categoryList, dayToDate, isoDay, purposeList, refreshCase, useFormat, type Consent } from "./shared.ts";

type Relation = (typeof grantorRelations)[number];
type EvidenceForm = (typeof evidenceForms)[number];

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

function statusBadge(status: Consent["status"]): string {
  if (status === "active") return "badge badge--ok";
  if (status === "draft" || status === "requested") return "badge badge--warn";
  return "badge badge--off";
}

function ConsentCard({
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

/**
 * Asks before an irreversible step, in place: the question, the reason when the server
 * takes one, and the real action. Focus moves to the first control; Avbryt hands the
 * choice back (the card's buttons return).
 */
function ConfirmStep({
  question,
  reasonLabel,
  reasonHint,
  confirmLabel,
  pending,
  onConfirm,
  onCancel,
}: {
  question: string;
  reasonLabel?: string;
  reasonHint?: string;
  confirmLabel: string;
  pending: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const questionId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    (reasonLabel ? firstRef.current : confirmRef.current)?.focus();
  }, [reasonLabel]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (reasonLabel && !reason.trim()) {
      setError(t("consent.reasonRequired"));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setError(undefined);
    onConfirm(reason.trim());
  };

  return (
    <form ref={formRef} className="form form--inline confirm" onSubmit={submit} noValidate aria-labelledby={questionId}>
      <p id={questionId} className="confirm__question">
        {question}
      </p>
      {reasonLabel && (
        <TextField label={reasonLabel} hint={reasonHint} required value={reason} inputRef={firstRef} onChange={(e) => setReason(e.target.value)} error={error} />
      )}
      <div className="form__actions">
        <button ref={confirmRef} type="submit" className="button button--danger" disabled={pending}>
          {confirmLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

type Grantor = { key: number; name: string; relation: Relation };
let grantorKey = 1;
/** What a service gets when it is first ticked in the matrix: the purpose a case is opened for. */
const defaultPurposes: readonly Purpose[] = ["coordination"];

type Errors = {
  subject?: string;
  grantors?: string;
  childViews?: string;
  language?: string;
  infoText?: string;
  periodStart?: string;
  periodEnd?: string;
  matrix?: string;
};

function ConsentForm({ revising, onDone, onCancel }: { revising: Consent | null; onDone: () => void; onCancel: () => void }) {
  // The municipality's maximum period; the server enforces it too.
  const maxMonths = useMe().data?.consentMaxMonths ?? 12;
  const t = useT();
  const { kase } = useCase();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const units = useQuery(trpc.units.list.queryOptions());
  const rows = (units.data ?? []).filter((u) => u.active && u.kind !== "volunteer" && u.id !== kase.owningUnitId);
  // Volunteer units are never offered here: they may be named only for a referral, which
  // the referral itself records. A new version keeps such provisions as they were.
  const volunteerIds = new Set((units.data ?? []).filter((u) => u.kind === "volunteer").map((u) => u.id));
  const keptReferrals = (revising?.provisions ?? []).filter((p) => volunteerIds.has(p.unitId));
  const defaultSubject = kase.subjects.find((s) => s.role !== "parent") ?? kase.subjects[0];
  const today = isoDay(new Date());
  // A period already over gives nothing: the first end the server takes is tomorrow's start.
  const earliestEnd = isoDay(new Date(Date.now() + 24 * 3600 * 1000));
  const format = useFormat();
  const periodOver = t("consent.periodOver", { date: format.date(dayToDate(earliestEnd)) });

  const [subjectId, setSubjectId] = useState(revising?.subjectId ?? defaultSubject?.id ?? "");
  const [grantors, setGrantors] = useState<Grantor[]>(
    revising?.grantors ? revising.grantors.map((g) => ({ key: grantorKey++, ...g })) : [{ key: grantorKey++, name: "", relation: "parent" }],
  );
  const [heardOn, setHeardOn] = useState(revising?.childViews?.heardOn ?? "");
  const [how, setHow] = useState(revising?.childViews?.how ?? "");
  const [summary, setSummary] = useState(revising?.childViews?.summary ?? "");
  const [form, setForm] = useState<EvidenceForm>(revising?.evidence?.form ?? "written");
  const [language, setLanguage] = useState(revising?.evidence?.language ?? "norsk");
  const [interpreter, setInterpreter] = useState(revising?.evidence?.interpreter ?? false);
  const [infoText, setInfoText] = useState(revising?.informationTextVersion ?? "");
  const [periodStart, setPeriodStart] = useState(today);
  const [periodEnd, setPeriodEnd] = useState(addMonths(today, maxMonths));
  const [matrix, setMatrix] = useState<Record<string, Category[]>>(() =>
    Object.fromEntries((revising?.provisions ?? []).map((p) => [p.unitId, [...p.categories]])),
  );
  // Purposes per recipient unit; a new version starts from the old one's.
  const [unitPurposes, setUnitPurposes] = useState<Record<string, Purpose[]>>(() =>
    Object.fromEntries((revising?.provisions ?? []).map((p) => [p.unitId, [...p.purposes]])),
  );
  const [disclose, setDisclose] = useState(revising?.provisions.some((p) => p.actions.includes("disclose")) ?? false);
  const [denied, setDenied] = useState<Category[]>(revising?.provisions[0]?.denies[0]?.categories?.slice() ?? []);
  const [errors, setErrors] = useState<Errors>({});
  const [purposeErrors, setPurposeErrors] = useState<Record<string, string>>({});

  const subject = kase.subjects.find((s) => s.id === subjectId);
  const age = subject ? ageOf(subject) : null;
  const viewsRequired = !!subject && subject.role !== "parent" && age !== null && age >= 7;

  const onSuccess = async () => {
    await refreshCase();
    onDone();
  };
  const create = useMutation(trpc.consents.create.mutationOptions({ onSuccess }));
  const revise = useMutation(trpc.consents.revise.mutationOptions({ onSuccess }));
  const saving = create.isPending || revise.isPending;

  const toggle = <T,>(list: readonly T[], value: T, on: boolean): T[] => (on ? [...list, value] : list.filter((v) => v !== value));
  const setCell = (unitId: string, category: Category, on: boolean) =>
    setMatrix((m) => ({ ...m, [unitId]: toggle(m[unitId] ?? [], category, on) }));
  const purposesOf = (unitId: string): readonly Purpose[] => unitPurposes[unitId] ?? defaultPurposes;
  const setPurpose = (unitId: string, purpose: Purpose, on: boolean) => {
    setUnitPurposes((m) => ({ ...m, [unitId]: toggle(m[unitId] ?? defaultPurposes, purpose, on) }));
    // A purpose ticked answers that unit's error; the rest wait for the next save.
    if (on) setPurposeErrors(({ [unitId]: _answered, ...rest }) => rest);
  };
  // The units with at least one category ticked: each gets its own purposes.
  const chosenRows = rows.filter((u) => (matrix[u.id] ?? []).length > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const found: Errors = {};
    if (!subjectId) found.subject = t("consent.subjectRequired");
    if (grantors.some((g) => !g.name.trim())) found.grantors = t("consent.grantorRequired");
    const anyViews = heardOn || how.trim() || summary.trim();
    const allViews = heardOn && how.trim() && summary.trim();
    if (viewsRequired && !allViews) found.childViews = t("consent.childViewsRequired", { name: subject.name, age: age ?? "" });
    else if (anyViews && !allViews) found.childViews = t("consent.childViewsIncomplete");
    if (!language.trim()) found.language = t("consent.languageRequired");
    if (!infoText.trim()) found.infoText = t("consent.infoTextRequired");
    if (!periodStart) found.periodStart = t("consent.periodRequired");
    if (!periodEnd) found.periodEnd = t("consent.periodRequired");
    else if (periodStart && periodEnd <= periodStart) found.periodEnd = t("consent.periodOrder");
    else if (periodEnd < earliestEnd) found.periodEnd = periodOver;
    const provisions = chosenRows.map((u) => ({
      unitId: u.id,
      actions: disclose ? (["access", "disclose"] as const) : (["access"] as const),
      purposes: purposes.filter((p) => purposesOf(u.id).includes(p)),
      categories: categories.filter((c) => matrix[u.id]!.includes(c)),
      denies: denied.length ? [{ categories: denied }] : [],
    }));
    if (provisions.length === 0) found.matrix = t("consent.matrixRequired");
    const foundPurposes: Record<string, string> = Object.fromEntries(
      chosenRows.filter((u) => purposesOf(u.id).length === 0).map((u) => [u.id, t("consent.purposesRequired", { unit: u.name })]),
    );
    setErrors(found);
    setPurposeErrors(foundPurposes);
    if (Object.values(found).some(Boolean) || Object.keys(foundPurposes).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    const terms = {
      subjectId,
      grantors: grantors.map((g) => ({ name: g.name.trim(), relation: g.relation })),
      childViews: allViews ? { heardOn, how: how.trim(), summary: summary.trim() } : null,
      evidence: { form, language: language.trim(), interpreter },
      informationTextVersion: infoText.trim(),
      provisions: [...provisions.map((p) => ({ ...p, actions: [...p.actions] })), ...keptReferrals],
      periodStart: dayToDate(periodStart),
      periodEnd: dayToDate(periodEnd),
    };
    if (revising) revise.mutate({ consentId: revising.id, ...terms });
    else create.mutate({ caseId: kase.id, ...terms });
  };

  const errorId = (key: keyof Errors) => (errors[key] ? `${headingId}-${key}` : undefined);
  const FieldsetError = ({ name }: { name: keyof Errors }) =>
    errors[name] ? (
      <p id={errorId(name)} className="field__error">
        {errors[name]}
      </p>
    ) : null;

  return (
    <section aria-labelledby={headingId} className="panel">
      <h3 id={headingId}>{revising ? t("consent.reviseHeading", { version: revising.version }) : t("consent.formHeading")}</h3>
      {revising && <p>{t("consent.reviseIntro")}</p>}
      <form ref={formRef} className="form form--wide" onSubmit={submit} noValidate>
        <ErrorMessage error={create.error ?? revise.error} />
        <SelectField label={t("consent.subject")} required value={subjectId} onChange={(e) => setSubjectId(e.target.value)} error={errors.subject}>
          <option value="">{t("consent.chooseSubject")}</option>
          {kase.subjects.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({t(`subjectRole.${s.role}`)})
            </option>
          ))}
        </SelectField>

        <fieldset className="fieldset" aria-describedby={errorId("grantors")}>
          <legend>{t("consent.grantorsLegend")}</legend>
          <p className="field__hint">{t("consent.grantorsHint")}</p>
          <FieldsetError name="grantors" />
          {grantors.map((g, i) => (
            <div key={g.key} className="field-row">
              <TextField
                label={t("consent.grantorName", { n: i + 1 })}
                autoComplete="off"
                required
                value={g.name}
                aria-invalid={errors.grantors && !g.name.trim() ? true : undefined}
                onChange={(e) => setGrantors((list) => list.map((x) => (x.key === g.key ? { ...x, name: e.target.value } : x)))}
              />
              <SelectField
                label={t("consent.grantorRelation", { n: i + 1 })}
                value={g.relation}
                onChange={(e) => setGrantors((list) => list.map((x) => (x.key === g.key ? { ...x, relation: e.target.value as Relation } : x)))}
              >
                {grantorRelations.map((r) => (
                  <option key={r} value={r}>
                    {t(`consent.relation_${r}`)}
                  </option>
                ))}
              </SelectField>
              {grantors.length > 1 && (
                <button type="button" className="button button--secondary button--small" onClick={() => setGrantors((list) => list.filter((x) => x.key !== g.key))}>
                  {t("consent.removeGrantor", { n: i + 1 })}
                </button>
              )}
            </div>
          ))}
          {grantors.length < 4 && (
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setGrantors((list) => [...list, { key: grantorKey++, name: "", relation: "parent" }])}
            >
              {t("consent.addGrantor")}
            </button>
          )}
        </fieldset>

        <fieldset className="fieldset">
          <legend>{t("consent.childViewsLegend")}</legend>
          <p className="field__hint">{t("consent.childViewsHint")}</p>
          {viewsRequired && !errors.childViews && (
            <p className="alert alert--info">{t("consent.childViewsRequired", { name: subject.name, age: age ?? "" })}</p>
          )}
          <FieldsetError name="childViews" />
          <TextField
            label={t("consent.heardOn")}
            type="date"
            value={heardOn}
            required={viewsRequired}
            max={today}
            aria-invalid={errors.childViews && !heardOn ? true : undefined}
            onChange={(e) => setHeardOn(e.target.value)}
          />
          <TextField
            label={t("consent.how")}
            hint={t("consent.howHint")}
            value={how}
            required={viewsRequired}
            aria-invalid={errors.childViews && !how.trim() ? true : undefined}
            onChange={(e) => setHow(e.target.value)}
          />
          <TextAreaField
            label={t("consent.summary")}
            value={summary}
            required={viewsRequired}
            aria-invalid={errors.childViews && !summary.trim() ? true : undefined}
            onChange={(e) => setSummary(e.target.value)}
          />
        </fieldset>

        <fieldset className="fieldset">
          <legend>{t("consent.evidenceLegend")}</legend>
          <SelectField label={t("consent.evidenceForm")} value={form} onChange={(e) => setForm(e.target.value as EvidenceForm)}>
            {evidenceForms.map((f) => (
              <option key={f} value={f}>
                {t(`consent.form_${f}`)}
              </option>
            ))}
          </SelectField>
          <TextField label={t("consent.language")} required value={language} onChange={(e) => setLanguage(e.target.value)} error={errors.language} />
          <CheckboxField label={t("consent.interpreter")} checked={interpreter} onChange={(e) => setInterpreter(e.target.checked)} />
        </fieldset>

        <TextField
          label={t("consent.infoTextVersion")}
          hint={t("consent.infoTextHint")}
          required
          value={infoText}
          onChange={(e) => setInfoText(e.target.value)}
          error={errors.infoText}
        />

        <fieldset className="fieldset">
          <legend>{t("consent.period")}</legend>
          <p className="field__hint">{t("consent.periodHint")}</p>
          <div className="field-row">
            <TextField
              label={t("consent.periodStart")}
              type="date"
              required
              value={periodStart}
              onChange={(e) => {
                setPeriodStart(e.target.value);
                if (e.target.value) setPeriodEnd(addMonths(e.target.value, maxMonths));
              }}
              error={errors.periodStart}
            />
            <TextField
              label={t("consent.periodEnd")}
              type="date"
              required
              min={periodStart}
              max={periodStart ? addMonths(periodStart, maxMonths) : undefined}
              value={periodEnd}
              onChange={(e) => setPeriodEnd(e.target.value)}
              error={errors.periodEnd ?? (apiErrorOf(create.error ?? revise.error).fieldErrors?.periodEnd ? periodOver : undefined)}
            />
          </div>
        </fieldset>

        <fieldset className="fieldset" aria-describedby={errorId("matrix")}>
          <legend>{t("consent.matrixLegend")}</legend>
          <p className="field__hint">{t("consent.matrixHint", { owner: kase.owningUnitName })}</p>
          {keptReferrals.map((p) => (
            <p key={p.unitId} className="muted">
              {t("consent.referralKept", { unit: units.data?.find((u) => u.id === p.unitId)?.name ?? "" })}
            </p>
          ))}
          <FieldsetError name="matrix" />
          <div className="table-scroll" role="group" aria-label={t("consent.matrixLegend")}>
            <table className="table matrix">
              <thead>
                <tr>
                  <th scope="col">{t("consent.matrixUnit")}</th>
                  {categories.map((c) => (
                    <th key={c} scope="col">
                      {t(`category.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.name}</th>
                    {categories.map((c) => (
                      <td key={c}>
                        <input
                          type="checkbox"
                          aria-label={t("consent.cell", { unit: u.name, category: t(`category.${c}`) })}
                          aria-invalid={errors.matrix ? true : undefined}
                          checked={(matrix[u.id] ?? []).includes(c)}
                          onChange={(e) => setCell(u.id, c, e.target.checked)}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend>{t("consent.purposesLegend")}</legend>
          <p className="field__hint">{t("consent.purposesHint")}</p>
          {chosenRows.length === 0 && <p className="muted">{t("consent.purposesNone")}</p>}
          {chosenRows.map((u) => {
            const error = purposeErrors[u.id];
            const unitErrorId = `${headingId}-purposes-${u.id}`;
            return (
              <fieldset key={u.id} className="fieldset fieldset--nested" aria-describedby={error ? unitErrorId : undefined}>
                <legend>{t("consent.unitPurposesLegend", { unit: u.name })}</legend>
                {error && (
                  <p id={unitErrorId} className="field__error">
                    {error}
                  </p>
                )}
                <div className="checkbox-grid">
                  {purposes.map((p) => (
                    <CheckboxField
                      key={p}
                      label={t(`purpose.${p}`)}
                      aria-label={t("consent.purposeCell", { purpose: t(`purpose.${p}`), unit: u.name })}
                      checked={purposesOf(u.id).includes(p)}
                      aria-invalid={error ? true : undefined}
                      onChange={(e) => setPurpose(u.id, p, e.target.checked)}
                    />
                  ))}
                </div>
              </fieldset>
            );
          })}
          <CheckboxField label={t("consent.disclose")} checked={disclose} onChange={(e) => setDisclose(e.target.checked)} />
        </fieldset>

        <details className="fieldset">
          <summary>{t("consent.denyLegend")}</summary>
          <p className="field__hint">{t("consent.denyHint")}</p>
          <div className="checkbox-grid">
            {categories.map((c) => (
              <CheckboxField
                key={c}
                label={t("consent.deny", { category: t(`category.${c}`) })}
                checked={denied.includes(c)}
                onChange={(e) => setDenied((list) => toggle(list, c, e.target.checked))}
              />
            ))}
          </div>
        </details>

        <div className="form__actions">
          <button type="submit" className="button">
            {t("consent.save")}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </section>
  );
}
