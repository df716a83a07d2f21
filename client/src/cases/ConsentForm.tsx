import { evidenceForms, grantorRelations } from "@laget/domain";
import { categories, purposes, type Category, type Purpose } from "@laget/policy";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useMe } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { referralProvisions, referralUnitsOf } from "../referrals/consent.ts";
import { ConsentReferralSection } from "../referrals/ConsentReferralSection.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { useCase } from "./CasePage.tsx";
import { ProvisionMatrix, UnitPurposes } from "./ProvisionEditor.tsx";
import { addMonths, ageOf, dayToDate, isoDay, refreshCase, useFormat, type Consent } from "./shared.ts";

type Relation = (typeof grantorRelations)[number];
type EvidenceForm = (typeof evidenceForms)[number];

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

/** Records a new consent, or a new version of an active one, as a draft. */
export function ConsentForm({ revising, onDone, onCancel }: { revising: Consent | null; onDone: () => void; onCancel: () => void }) {
  // The municipality's maximum period; the server enforces it too.
  const maxMonths = useMe().data?.consentMaxMonths ?? 12;
  const t = useT();
  const { kase } = useCase();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const units = useQuery(trpc.units.list.queryOptions());
  const rows = (units.data ?? []).filter((u) => u.active && u.kind !== "volunteer" && u.id !== kase.owningUnitId);
  // Volunteer units are never rows of the matrix: they may be named only for a referral
  // (the section "Henvisning til frivillige"), which never opens the case.
  const volunteerUnits = (units.data ?? []).filter((u) => u.active && u.kind === "volunteer");
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
  // The volunteer units named for referral; a new version starts from the old one's (known once the units are loaded).
  const [referralUnits, setReferralUnits] = useState<string[] | null>(null);
  const chosenReferralUnits =
    referralUnits ?? referralUnitsOf(revising?.provisions ?? [], new Set((units.data ?? []).filter((u) => u.kind === "volunteer").map((u) => u.id)));
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
    const referrals = referralProvisions(volunteerUnits, chosenReferralUnits);
    if (provisions.length === 0 && referrals.length === 0) found.matrix = t("consent.matrixRequired");
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
      provisions: [...provisions.map((p) => ({ ...p, actions: [...p.actions] })), ...referrals],
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
          <FieldsetError name="matrix" />
          <ProvisionMatrix rows={rows} matrix={matrix} invalid={!!errors.matrix} onCell={setCell} />
        </fieldset>

        <fieldset className="fieldset">
          <legend>{t("consent.purposesLegend")}</legend>
          <p className="field__hint">{t("consent.purposesHint")}</p>
          {chosenRows.length === 0 && <p className="muted">{t("consent.purposesNone")}</p>}
          {chosenRows.map((u) => (
            <UnitPurposes
              key={u.id}
              unit={u}
              error={purposeErrors[u.id]}
              errorId={`${headingId}-purposes-${u.id}`}
              chosen={purposesOf(u.id)}
              onPurpose={(p, on) => setPurpose(u.id, p, on)}
            />
          ))}
          <CheckboxField label={t("consent.disclose")} checked={disclose} onChange={(e) => setDisclose(e.target.checked)} />
        </fieldset>

        <ConsentReferralSection
          units={volunteerUnits}
          chosen={chosenReferralUnits}
          onChange={(unitId, on) => setReferralUnits(toggle(chosenReferralUnits, unitId, on))}
        />

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
