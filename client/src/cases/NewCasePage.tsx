import { subjectRoles, type SubjectRole } from "@laget/domain";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { btiKey, btiLevels, caseUnits, refreshCase } from "./shared.ts";

type SubjectDraft = { key: number; role: SubjectRole; name: string; birthDate: string; birthYear: string };
type SubjectErrors = { name?: string; birth?: string };

let nextKey = 1;
const blankSubject = (role: SubjectRole = "child"): SubjectDraft => ({ key: nextKey++, role, name: "", birthDate: "", birthYear: "" });

export function NewCasePage({ actor }: { actor: Actor }) {
  const t = useT();
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
      const e: SubjectErrors = {};
      if (!s.name.trim()) e.name = t("newCase.nameRequired");
      if (s.birthDate && s.birthYear) e.birth = t("newCase.birthBoth");
      else if (s.birthYear && !/^\d{4}$/.test(s.birthYear.trim())) e.birth = t("newCase.birthYearInvalid");
      if (e.name || e.birth) bad = true;
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
      subjects: subjects.map((s) => ({
        role: s.role,
        name: s.name.trim(),
        birthDate: s.birthDate || null,
        birthYear: s.birthYear ? Number(s.birthYear) : null,
      })),
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
            <SelectField label={t("newCase.role")} value={s.role} onChange={(e) => update(s.key, { role: e.target.value as SubjectRole })}>
              {subjectRoles.map((r) => (
                <option key={r} value={r}>
                  {t(`subjectRole.${r}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              label={t("newCase.name")}
              autoComplete="off"
              required
              value={s.name}
              onChange={(e) => update(s.key, { name: e.target.value })}
              error={errors.subjects[i]?.name}
            />
            <p className="muted">{t("newCase.birthHint")}</p>
            <div className="field-row">
              <TextField
                label={t("newCase.birthDate")}
                type="date"
                value={s.birthDate}
                onChange={(e) => update(s.key, { birthDate: e.target.value })}
                error={errors.subjects[i]?.birth}
              />
              <TextField
                label={t("newCase.birthYear")}
                inputMode="numeric"
                maxLength={4}
                value={s.birthYear}
                onChange={(e) => update(s.key, { birthYear: e.target.value })}
              />
            </div>
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
