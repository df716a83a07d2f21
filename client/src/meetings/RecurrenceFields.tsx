import { useT } from "../i18n/I18nProvider.tsx";
import { CheckboxField, SelectField, TextField } from "../ui/FormField.tsx";
import type { Draft, Field } from "./editor-model.ts";
import { Fieldset } from "./Fieldset.tsx";
import { holidayPolicies, weekdays } from "./types.ts";

/** How the series repeats: frequency, interval, weekdays or day of month, when it ends, and what a public holiday does to a meeting. */
export function RecurrenceFields({ draft, set, err, onWeekdaysTouched }: { draft: Draft; set: (p: Partial<Draft>) => void; err: (f: Field) => string | null; onWeekdaysTouched: () => void }) {
  const t = useT();
  const day = Number(draft.startDate.slice(8, 10)) || 1;
  return (
    <Fieldset legend={t("meetings.editor.repeat.legend")} error={err("repeat")}>
      <SelectField label={t("meetings.editor.repeat.label")} value={draft.freq} onChange={(e) => set({ freq: e.target.value as Draft["freq"] })}>
        {(["none", "daily", "weekly", "monthly"] as const).map((f) => (
          <option key={f} value={f}>
            {t(`meetings.editor.repeat.${f}`)}
          </option>
        ))}
      </SelectField>
      {draft.freq !== "none" && (
        <>
          <TextField
            label={t("meetings.editor.repeat.interval")}
            hint={t("meetings.editor.repeat.intervalHint", { unit: draft.freq })}
            type="number"
            inputMode="numeric"
            min={1}
            max={52}
            value={draft.interval}
            onChange={(e) => set({ interval: e.target.value })}
            error={err("interval")}
          />
          {draft.freq === "weekly" && (
            <Fieldset legend={t("meetings.editor.repeat.weekdays")} error={err("weekdays")}>
              <div className="weekday-choices">
                {weekdays.map((w) => (
                  <CheckboxField
                    key={w}
                    label={t(`meetings.weekday.${w}`)}
                    checked={draft.weekdays.includes(w)}
                    onChange={(e) => {
                      onWeekdaysTouched();
                      set({ weekdays: e.target.checked ? [...draft.weekdays, w] : draft.weekdays.filter((x) => x !== w) });
                    }}
                  />
                ))}
              </div>
            </Fieldset>
          )}
          {draft.freq === "monthly" && (
            <Fieldset legend={t("meetings.editor.repeat.monthlyBy")}>
              <div className="radio">
                <input type="radio" id="monthly-day" name="monthlyBy" checked={draft.monthlyBy === "monthday"} onChange={() => set({ monthlyBy: "monthday" })} />
                <label htmlFor="monthly-day">{t("meetings.editor.repeat.monthday", { day })}</label>
              </div>
              <div className="radio">
                <input type="radio" id="monthly-weekday" name="monthlyBy" checked={draft.monthlyBy === "weekday"} onChange={() => set({ monthlyBy: "weekday" })} />
                <label htmlFor="monthly-weekday">{t("meetings.editor.repeat.weekdayOfMonth")}</label>
              </div>
              {draft.monthlyBy === "weekday" && (
                <div className="field-row">
                  <SelectField label={t("meetings.editor.repeat.setPos")} value={draft.setPos} onChange={(e) => set({ setPos: e.target.value })} error={err("setPos")}>
                    {(["1", "2", "3", "4"] as const).map((p) => (
                      <option key={p} value={p}>
                        {t(`meetings.editor.repeat.setPosOption.${p}`)}
                      </option>
                    ))}
                    <option value="-1">{t("meetings.editor.repeat.setPosOption.last")}</option>
                  </SelectField>
                  <SelectField label={t("meetings.editor.repeat.weekdayLabel")} value={draft.monthWeekday} onChange={(e) => set({ monthWeekday: e.target.value as Draft["monthWeekday"] })}>
                    {weekdays.map((w) => (
                      <option key={w} value={w}>
                        {t(`meetings.weekday.${w}`)}
                      </option>
                    ))}
                  </SelectField>
                </div>
              )}
            </Fieldset>
          )}
          <Fieldset legend={t("meetings.editor.repeat.end")}>
            {(["never", "count", "until"] as const).map((k) => (
              <div className="radio" key={k}>
                <input type="radio" id={`end-${k}`} name="endKind" checked={draft.endKind === k} onChange={() => set({ endKind: k })} />
                <label htmlFor={`end-${k}`}>{t(`meetings.editor.repeat.${k}`)}</label>
              </div>
            ))}
            {draft.endKind === "count" && (
              <TextField label={t("meetings.editor.repeat.countValue")} type="number" inputMode="numeric" min={1} max={500} value={draft.count} onChange={(e) => set({ count: e.target.value })} error={err("count")} />
            )}
            {draft.endKind === "until" && <TextField label={t("meetings.editor.repeat.untilValue")} type="date" value={draft.until} onChange={(e) => set({ until: e.target.value })} error={err("until")} />}
          </Fieldset>
          <Fieldset legend={t("meetings.editor.holidays.legend")}>
            {holidayPolicies.map((p) => (
              <div className="radio" key={p}>
                <input type="radio" id={`holidays-${p}`} name="holidayPolicy" checked={draft.holidayPolicy === p} onChange={() => set({ holidayPolicy: p })} />
                <label htmlFor={`holidays-${p}`}>{t(`meetings.editor.holidays.${p}`)}</label>
              </div>
            ))}
          </Fieldset>
        </>
      )}
    </Fieldset>
  );
}
