import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { SelectField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { btiKey, btiLevels, caseUnits, refreshCase, useFormat } from "./shared.ts";
import {
  blankSubject,
  hasSubjectErrors,
  serverSubjectErrors,
  SubjectFields,
  subjectInput,
  validateSubject,
  type SubjectDraft,
  type SubjectErrors,
} from "./SubjectFields.tsx";

export function NewCasePage({ actor }: { actor: Actor }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const units = caseUnits(actor.memberships);
  const [unitId, setUnitId] = useState(units.length === 1 ? units[0]!.id : "");
  const [level, setLevel] = useState("1");
  const [subjects, setSubjects] = useState<SubjectDraft[]>(() => [blankSubject()]);
  const [errors, setErrors] = useState<{ unit?: string; subjects: SubjectErrors[] }>({ subjects: [] });

  const create = useMutation(
    trpc.cases.create.mutationOptions({
      onSuccess: async ({ caseId }) => {
        await refreshCase();
        void navigate(`/saker/${caseId}`);
      },
    }),
  );

  const update = (key: number, patch: Partial<SubjectDraft>) => setSubjects((list) => list.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const found = { unit: unitId ? undefined : t("newCase.unitRequired"), subjects: [] as SubjectErrors[] };
    let bad = !!found.unit;
    subjects.forEach((s, i) => {
      const e = validateSubject(t, s, format.date);
      if (hasSubjectErrors(e)) bad = true;
      found.subjects[i] = e;
    });
    setErrors(found);
    if (bad) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    create.mutate({
      owningUnitId: unitId,
      btiLevel: Number(level),
      subjects: subjects.map(subjectInput),
    });
  };

  if (units.length === 0) {
    return (
      <>
        <PageHeading>{t("newCase.title")}</PageHeading>
        <p>{t("newCase.noUnits")}</p>
      </>
    );
  }

  return (
    <>
      <PageHeading>{t("newCase.title")}</PageHeading>
      <p>{t("newCase.intro")}</p>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={create.error} />
        <SelectField
          label={t("newCase.unit")}
          hint={t("newCase.unitHint")}
          required
          value={unitId}
          onChange={(e) => setUnitId(e.target.value)}
          error={errors.unit}
        >
          <option value="">{t("newCase.chooseUnit")}</option>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("newCase.level")} value={level} onChange={(e) => setLevel(e.target.value)}>
          {btiLevels.map((l) => (
            <option key={l} value={l}>
              {t(btiKey(l))}
            </option>
          ))}
        </SelectField>
        <h2>{t("newCase.subjectsHeading")}</h2>
        <p className="muted">{t("newCase.subjectsHint")}</p>
        {subjects.map((s, i) => (
          <fieldset key={s.key} className="fieldset">
            <legend>{t("newCase.subjectLegend", { n: i + 1 })}</legend>
            <SubjectFields
              subject={s}
              errors={{ ...serverSubjectErrors(t, apiErrorOf(create.error).fieldErrors, `subjects.${i}`), ...errors.subjects[i] }}
              onChange={(patch) => update(s.key, patch)}
            />
            {subjects.length > 1 && (
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => setSubjects((list) => list.filter((x) => x.key !== s.key))}
              >
                {t("newCase.removeSubject", { n: i + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        <div>
          <button type="button" className="button button--secondary" onClick={() => setSubjects((list) => [...list, blankSubject("parent")])}>
            {t("newCase.addSubject")}
          </button>
        </div>
        <div className="form__actions">
          <button type="submit" className="button">
            {t("newCase.create")}
          </button>
        </div>
      </form>
    </>
  );
}
