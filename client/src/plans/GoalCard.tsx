import { removeGoal, updateGoal, type Goal, type Plan } from "@laget/plan";
import type * as Y from "yjs";
import { useT } from "../i18n/I18nProvider.tsx";
import { lifeAreaName } from "../i18n/labels.ts";
import { SelectField } from "../ui/FormField.tsx";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { LiveTextField } from "./LiveFields.tsx";
import { tryWrite } from "./shared.ts";

/** One of the family's goals, in their own words: edited in place, live. */
export function GoalCard({
  doc,
  plan,
  goal,
  index,
  readOnly,
  onStatus,
}: {
  doc: Y.Doc;
  plan: Plan;
  goal: Goal;
  index: number;
  readOnly: boolean;
  onStatus: (s: string) => void;
}) {
  const t = useT();
  const name = t("plan.goals.legend", { n: index });
  const linked = plan.measures.filter((m) => m.goalId === goal.id).length;
  return (
    <li className="card plan-card">
      <fieldset className="plan-card__fieldset">
        <legend className="card__title">{name}</legend>
        <div className="plan-grid">
          <div className="plan-grid__wide">
            <LiveTextField
              multiline
              label={t("plan.goals.text")}
              value={goal.text}
              disabled={readOnly}
              onCommit={(text) => (text.trim() ? tryWrite(t, () => updateGoal(doc, goal.id, { text })) : t("plan.goals.textRequired"))}
            />
          </div>
          <SelectField label={t("plan.fields.domain")} value={goal.domainId ?? ""} disabled={readOnly} onChange={(e) => tryWrite(t, () => updateGoal(doc, goal.id, { domainId: e.target.value || null }))}>
            <option value="">{t("plan.domains.none")}</option>
            {plan.domains.map((d) => (
              <option key={d.id} value={d.id}>
                {lifeAreaName(t, d)}
              </option>
            ))}
          </SelectField>
        </div>
        {linked > 0 && <p className="muted">{t("plan.goals.linked", { count: linked })}</p>}
        {!readOnly && (
          <ConfirmButton
            label={t("plan.goals.remove")}
            accessibleLabel={t("plan.goals.removeFor", { name })}
            question={t("plan.goals.removeQuestion")}
            confirmLabel={t("plan.goals.removeConfirm")}
            onConfirm={() => {
              removeGoal(doc, goal.id);
              onStatus(t("plan.goals.removed"));
            }}
          />
        )}
      </fieldset>
    </li>
  );
}
