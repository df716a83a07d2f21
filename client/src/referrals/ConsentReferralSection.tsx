import { useT } from "../i18n/I18nProvider.tsx";
import { CheckboxField } from "../ui/FormField.tsx";

/**
 * The consent form's "Henvisning til frivillige": the volunteer organisations the family
 * agrees the child may be referred to. Each ticked one gets a provision for purpose
 * `referral` and the child's identity only (consent.ts), never access to the case.
 */
export function ConsentReferralSection({
  units,
  chosen,
  onChange,
}: {
  units: readonly { id: string; name: string }[];
  chosen: readonly string[];
  onChange: (unitId: string, on: boolean) => void;
}) {
  const t = useT();
  return (
    <fieldset className="fieldset">
      <legend>{t("referrals.consentSection.legend")}</legend>
      <p className="field__hint">{t("referrals.consentSection.hint")}</p>
      {units.length === 0 ? (
        <p className="muted">{t("referrals.consentSection.none")}</p>
      ) : (
        <div className="checkbox-grid">
          {units.map((u) => (
            <CheckboxField
              key={u.id}
              label={t("referrals.consentSection.unit", { unit: u.name })}
              checked={chosen.includes(u.id)}
              onChange={(e) => onChange(u.id, e.target.checked)}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}
