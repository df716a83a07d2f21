import { useT } from "../i18n/I18nProvider.tsx";
import { PeopleChooser } from "../messaging/PeopleChooser.tsx";
import type { usePlanDirectory } from "../plans/shared.ts";
import { CheckboxField, TextField } from "../ui/FormField.tsx";
import type { Draft, Field } from "./editor-model.ts";
import { Fieldset } from "./Fieldset.tsx";

/** Who is invited: whole units, single people from the directory, and external participants by name and role. */
export function SeriesParticipantsFields({ draft, set, err, directory }: { draft: Draft; set: (p: Partial<Draft>) => void; err: (f: Field) => string | null; directory: ReturnType<typeof usePlanDirectory> }) {
  const t = useT();
  return (
    <Fieldset legend={t("meetings.editor.people")}>
      <Fieldset legend={t("meetings.editor.participantUnits")}>
        <div className="member-choices">
          {directory.units.map((u) => (
            <CheckboxField
              key={u.id}
              label={u.name}
              checked={draft.participantUnitIds.includes(u.id)}
              onChange={(e) => set({ participantUnitIds: e.target.checked ? [...draft.participantUnitIds, u.id] : draft.participantUnitIds.filter((id) => id !== u.id) })}
            />
          ))}
        </div>
      </Fieldset>
      <Fieldset legend={t("meetings.editor.participantUsers")}>
        <PeopleChooser people={directory.people} chosen={draft.participantUserIds} onChange={(ids) => set({ participantUserIds: ids })} />
      </Fieldset>
      <Fieldset legend={t("meetings.editor.externals")} error={err("externals")}>
        <p className="field__hint">{t("meetings.editor.externalsHint")}</p>
        {draft.externals.map((x, i) => (
          <div key={i} className="external-row" role="group" aria-label={t("meetings.editor.externalNumber", { number: i + 1 })}>
            <TextField label={t("meetings.editor.externalName")} maxLength={200} value={x.name} onChange={(e) => set({ externals: draft.externals.map((y, j) => (j === i ? { ...y, name: e.target.value } : y)) })} />
            <TextField
              label={t("meetings.editor.externalRole")}
              hint={t("meetings.editor.externalRoleHint")}
              maxLength={100}
              value={x.role}
              onChange={(e) => set({ externals: draft.externals.map((y, j) => (j === i ? { ...y, role: e.target.value } : y)) })}
            />
            <button type="button" className="button button--secondary button--small" onClick={() => set({ externals: draft.externals.filter((_, j) => j !== i) })}>
              {t("meetings.editor.removeExternal", { name: x.name || t("meetings.editor.externalNumber", { number: i + 1 }) })}
            </button>
          </div>
        ))}
        <button type="button" className="button button--secondary button--small" onClick={() => set({ externals: [...draft.externals, { name: "", role: "" }] })}>
          {t("meetings.editor.addExternal")}
        </button>
      </Fieldset>
    </Fieldset>
  );
}
