import { categories, purposes, type Category, type Purpose } from "@laget/policy";
import { useT } from "../i18n/I18nProvider.tsx";
import { CheckboxField } from "../ui/FormField.tsx";

type UnitRow = { id: string; name: string };

/** The consent's provisions as a matrix: one row per service, one checkbox per category it may see. */
export function ProvisionMatrix({
  rows,
  matrix,
  invalid,
  onCell,
}: {
  rows: readonly UnitRow[];
  matrix: Record<string, Category[]>;
  invalid: boolean;
  onCell: (unitId: string, category: Category, on: boolean) => void;
}) {
  const t = useT();
  return (
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
                    aria-invalid={invalid ? true : undefined}
                    checked={(matrix[u.id] ?? []).includes(c)}
                    onChange={(e) => onCell(u.id, c, e.target.checked)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The purposes one chosen service gets the data for, with the error the form found for it. */
export function UnitPurposes({
  unit: u,
  error,
  errorId: unitErrorId,
  chosen,
  onPurpose,
}: {
  unit: UnitRow;
  error: string | undefined;
  errorId: string;
  chosen: readonly Purpose[];
  onPurpose: (purpose: Purpose, on: boolean) => void;
}) {
  const t = useT();
  return (
    <fieldset className="fieldset fieldset--nested" aria-describedby={error ? unitErrorId : undefined}>
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
            checked={chosen.includes(p)}
            aria-invalid={error ? true : undefined}
            onChange={(e) => onPurpose(p, e.target.checked)}
          />
        ))}
      </div>
    </fieldset>
  );
}
