import { useState } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { CheckboxField, TextField } from "../ui/FormField.tsx";

/** A colleague from the municipality's staff directory. */
export type DirectoryPerson = { id: string; displayName: string; units: { unitName: string }[] };

/** "Name (Unit, Unit)": how a colleague is named wherever people are chosen. */
export function usePersonLabel() {
  const t = useT();
  return (p: DirectoryPerson) => t("messaging.personWithUnits", { name: p.displayName, units: p.units.map((u) => u.unitName).join(", ") });
}

/**
 * Find colleagues by name or unit and tick them: a search field over a list of checkboxes.
 * The filter is the chooser's own; give it a new `key` to start afresh.
 */
export function PeopleChooser({ people, chosen, onChange }: { people: DirectoryPerson[]; chosen: string[]; onChange: (ids: string[]) => void }) {
  const t = useT();
  const label = usePersonLabel();
  const [filter, setFilter] = useState("");
  const wanted = filter.trim().toLocaleLowerCase();
  const shown = people.filter((p) => label(p).toLocaleLowerCase().includes(wanted));
  return (
    <>
      <TextField label={t("messaging.filterPeople")} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <div className="member-choices">
        {shown.length === 0 ? (
          <p>{t("messaging.noPeople")}</p>
        ) : (
          shown.map((p) => (
            <CheckboxField
              key={p.id}
              label={label(p)}
              checked={chosen.includes(p.id)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, p.id] : chosen.filter((id) => id !== p.id))}
            />
          ))
        )}
      </div>
    </>
  );
}
