import { measureStatuses, removeMeasure, updateMeasure, type Measure, type MeasurePatch, type MeasureStatus, type Plan } from "@laget/plan";
import { useState } from "react";
import { Link } from "react-router";
import type * as Y from "yjs";
import { useT } from "../i18n/I18nProvider.tsx";
import { lifeAreaName } from "../i18n/labels.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { LiveTextField } from "./LiveFields.tsx";
import { dayOrNull, missingParts, statusKey, tryWrite, type PlanAudience, type usePlanDirectory } from "./shared.ts";

type Directory = ReturnType<typeof usePlanDirectory>;

/**
 * One measure (tiltak): who does what, by when, and how it went. Every field is
 * written to the shared document as it changes, one field at a time, so two people
 * editing different fields of the same measure both keep their change.
 */
export function MeasureCard({
  doc,
  plan,
  measure: m,
  readOnly,
  directory,
  audience,
  onStatus,
}: {
  doc: Y.Doc;
  plan: Plan;
  measure: Measure;
  readOnly: boolean;
  directory: Directory;
  /** Who can see the plan now; null while unknown (then nobody is held back). */
  audience: PlanAudience;
  onStatus: (s: string) => void;
}) {
  const t = useT();
  const [errors, setErrors] = useState<Partial<Record<keyof MeasurePatch, string | null>>>({});
  const set = (field: keyof MeasurePatch, patch: MeasurePatch) => setErrors((e) => ({ ...e, [field]: tryWrite(t, () => updateMeasure(doc, m.id, patch)) }));
  const setDay = (field: "start" | "deadline" | "evaluationDate", input: HTMLInputElement) => {
    // Half-typed dates read as "" with badInput: not a wish to clear the date.
    if (input.validity.badInput) return;
    const day = dayOrNull(input.value);
    if (day === undefined) setErrors((e) => ({ ...e, [field]: t("plan.errors.date") }));
    else set(field, { [field]: day });
  };
  const legend = t("plan.measures.legend", { title: m.title });
  const missing = missingParts(m);

  // Responsibility is offered only to those who can see the plan; one already chosen who
  // cannot (any more) stays shown, with a warning.
  const seesPlan = (userId: string) => !audience || audience.some((a) => a.userId === userId);
  const unitSeesPlan = (unitId: string) => !audience || audience.some((a) => a.unitId === unitId);
  const activeUnits = directory.units.filter((u) => (u.active && unitSeesPlan(u.id)) || u.id === m.responsibleUnitId);
  const people = directory.people.filter(
    (p) => (seesPlan(p.id) && (!m.responsibleUnitId || p.units.some((u) => u.unitId === m.responsibleUnitId))) || p.id === m.responsiblePersonId,
  );
  const personBlind = !!m.responsiblePersonId && !seesPlan(m.responsiblePersonId);
  const unitBlind = !!m.responsibleUnitId && !unitSeesPlan(m.responsibleUnitId);
  const unknownPerson = m.responsiblePersonId && !people.some((p) => p.id === m.responsiblePersonId);

  return (
    <li className="card plan-card">
      <fieldset className="plan-card__fieldset">
        <legend className="card__title">{legend}</legend>
        <p className="badges">
          <span className={m.status === "completed" ? "badge badge--ok" : m.status === "ended" ? "badge badge--off" : "badge badge--warn"}>{t(statusKey(m.status))}</span>
        </p>
        {m.source && (
          <p className="plan-card__source">
            <span className="badge badge--ok">{t("meetings.measure.decidedIn")}</span> <Link to={`/moter/mote/${m.source.meetingId}`}>{t("meetings.measure.openMeeting")}</Link>
          </p>
        )}
        {missing.length > 0 && <p className="plan-card__missing">{t("plan.missing.intro", { parts: missing.map((k) => t(k)).join(", ") })}</p>}
        <div className="plan-grid">
          <div className="plan-grid__wide">
            <LiveTextField
              label={t("plan.fields.title")}
              value={m.title}
              maxLength={200}
              disabled={readOnly}
              onCommit={(title) => (title.trim() ? tryWrite(t, () => updateMeasure(doc, m.id, { title })) : t("plan.measures.titleRequired"))}
            />
          </div>
          <div className="plan-grid__wide">
            <LiveTextField
              multiline
              label={t("plan.fields.description")}
              value={m.description}
              disabled={readOnly}
              onCommit={(description) => tryWrite(t, () => updateMeasure(doc, m.id, { description }))}
            />
          </div>
          <SelectField label={t("plan.fields.domain")} value={m.domainId ?? ""} disabled={readOnly} error={errors.domainId} onChange={(e) => set("domainId", { domainId: e.target.value || null })}>
            {plan.domains.map((d) => (
              <option key={d.id} value={d.id}>
                {lifeAreaName(t, d)}
              </option>
            ))}
            <option value="">{t("plan.domains.none")}</option>
          </SelectField>
          <SelectField label={t("plan.fields.goal")} value={m.goalId ?? ""} disabled={readOnly} error={errors.goalId} onChange={(e) => set("goalId", { goalId: e.target.value || null })}>
            <option value="">{t("plan.fields.noGoal")}</option>
            {plan.goals.map((g, i) => (
              <option key={g.id} value={g.id}>
                {t("plan.fields.goalOption", { n: i + 1, text: g.text.length > 60 ? `${g.text.slice(0, 60)}…` : g.text })}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("plan.fields.unit")}
            {...(unitBlind ? { hint: t("plan.fields.unitCannotSee") } : {})}
            value={m.responsibleUnitId ?? ""}
            disabled={readOnly}
            error={errors.responsibleUnitId}
            onChange={(e) => {
              const unitId = e.target.value || null;
              const person = directory.people.find((p) => p.id === m.responsiblePersonId);
              // A person who is not in the new unit is no longer the right one.
              const keepPerson = !unitId || !person || person.units.some((u) => u.unitId === unitId);
              set("responsibleUnitId", keepPerson ? { responsibleUnitId: unitId } : { responsibleUnitId: unitId, responsiblePersonId: null });
            }}
          >
            <option value="">{t("plan.fields.chooseUnit")}</option>
            {activeUnits.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("plan.fields.person")}
            {...(personBlind ? { hint: t("plan.fields.personCannotSee") } : {})}
            value={m.responsiblePersonId ?? ""}
            disabled={readOnly}
            error={errors.responsiblePersonId}
            onChange={(e) => set("responsiblePersonId", { responsiblePersonId: e.target.value || null })}
          >
            <option value="">{t("plan.fields.choosePerson")}</option>
            {unknownPerson && <option value={m.responsiblePersonId!}>{t("plan.fields.unknownPerson")}</option>}
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </SelectField>
          <TextField type="date" label={t("plan.fields.start")} value={m.start ?? ""} disabled={readOnly} error={errors.start} onChange={(e) => setDay("start", e.target)} />
          <TextField type="date" label={t("plan.fields.deadline")} value={m.deadline ?? ""} disabled={readOnly} error={errors.deadline} onChange={(e) => setDay("deadline", e.target)} />
          <TextField
            type="date"
            label={t("plan.fields.evaluationDate")}
            value={m.evaluationDate ?? ""}
            disabled={readOnly}
            error={errors.evaluationDate}
            onChange={(e) => setDay("evaluationDate", e.target)}
          />
          <SelectField label={t("plan.fields.status")} value={m.status} disabled={readOnly} error={errors.status} onChange={(e) => set("status", { status: e.target.value as MeasureStatus })}>
            {measureStatuses.map((s) => (
              <option key={s} value={s}>
                {t(statusKey(s))}
              </option>
            ))}
          </SelectField>
          <div className="plan-grid__wide">
            <LiveTextField
              multiline
              label={t("plan.fields.evaluationNote")}
              hint={t("plan.fields.evaluationNoteHint")}
              value={m.evaluationNote}
              disabled={readOnly}
              onCommit={(evaluationNote) => tryWrite(t, () => updateMeasure(doc, m.id, { evaluationNote }))}
            />
          </div>
        </div>
        {!readOnly && (
          <ConfirmButton
            label={t("plan.measures.remove")}
            accessibleLabel={t("plan.measures.removeFor", { title: m.title })}
            question={t("plan.measures.removeQuestion", { title: m.title })}
            confirmLabel={t("plan.measures.removeConfirm")}
            onConfirm={() => {
              removeMeasure(doc, m.id);
              onStatus(t("plan.measures.removed", { title: m.title }));
            }}
          />
        )}
      </fieldset>
    </li>
  );
}
