import { subjectRoles, type SubjectRole } from "@laget/domain";
import { useT } from "../i18n/I18nProvider.tsx";
import type { TFunction } from "../i18n/types.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { isoDay } from "./shared.ts";

/**
 * One person in a case (child, youth or parent): the fields and their checks, shared by
 * the new-case form and "add a person" on the case overview so both judge alike.
 */
export type SubjectDraft = { key: number; role: SubjectRole; name: string; birthDate: string; birthYear: string };
export type SubjectErrors = { name?: string; birth?: string; birthYear?: string };

let nextKey = 1;
export const blankSubject = (role: SubjectRole = "child"): SubjectDraft => ({ key: nextKey++, role, name: "", birthDate: "", birthYear: "" });

/** Checks one person like the server does (no birth after today); a date in the message is the last one allowed. */
export function validateSubject(t: TFunction, s: SubjectDraft, formatDate: (d: Date) => string = (d) => isoDay(d)): SubjectErrors {
  const e: SubjectErrors = {};
  const today = new Date();
  if (!s.name.trim()) e.name = t("newCase.nameRequired");
  if (s.birthDate && s.birthYear) e.birth = t("newCase.birthBoth");
  else if (s.birthYear && !/^\d{4}$/.test(s.birthYear.trim())) e.birthYear = t("newCase.birthYearInvalid");
  else if (s.birthYear && Number(s.birthYear) > today.getFullYear()) e.birthYear = t("newCase.birthYearFuture", { year: today.getFullYear() });
  else if (s.birthDate && s.birthDate > isoDay(today)) e.birth = t("newCase.birthDateFuture", { date: formatDate(today) });
  return e;
}

/** The server's word on one person's fields (`subjects.0.birthYear` and the like), shown at the same fields. */
export function serverSubjectErrors(t: TFunction, fieldErrors: Record<string, string[]> | null, prefix: string): SubjectErrors {
  const e: SubjectErrors = {};
  if (fieldErrors?.[`${prefix}.birthYear`]) e.birthYear = t("newCase.birthYearFuture", { year: new Date().getFullYear() });
  if (fieldErrors?.[`${prefix}.birthDate`]) e.birth = t("errors.fieldInvalid");
  if (fieldErrors?.[`${prefix}.name`]) e.name = t("errors.fieldInvalid");
  return e;
}

export const hasSubjectErrors = (e: SubjectErrors) => !!(e.name || e.birth || e.birthYear);

/** What the server takes (domain subjectInput). */
export function subjectInput(s: SubjectDraft) {
  return {
    role: s.role,
    name: s.name.trim(),
    birthDate: s.birthDate || null,
    birthYear: s.birthYear ? Number(s.birthYear.trim()) : null,
  };
}

export function SubjectFields({
  subject: s,
  errors,
  onChange,
}: {
  subject: SubjectDraft;
  errors: SubjectErrors | undefined;
  onChange: (patch: Partial<SubjectDraft>) => void;
}) {
  const t = useT();
  return (
    <>
      <SelectField label={t("newCase.role")} value={s.role} onChange={(e) => onChange({ role: e.target.value as SubjectRole })}>
        {subjectRoles.map((r) => (
          <option key={r} value={r}>
            {t(`subjectRole.${r}`)}
          </option>
        ))}
      </SelectField>
      <TextField label={t("newCase.name")} autoComplete="off" required value={s.name} onChange={(e) => onChange({ name: e.target.value })} error={errors?.name} />
      <p className="muted">{t("newCase.birthHint")}</p>
      <div className="field-row">
        <TextField
          label={t("newCase.birthDate")}
          type="date"
          value={s.birthDate}
          onChange={(e) => onChange({ birthDate: e.target.value })}
          error={errors?.birth}
        />
        <TextField
          label={t("newCase.birthYear")}
          inputMode="numeric"
          maxLength={4}
          value={s.birthYear}
          onChange={(e) => onChange({ birthYear: e.target.value })}
          error={errors?.birthYear}
        />
      </div>
    </>
  );
}
