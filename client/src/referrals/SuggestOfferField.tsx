import { useQuery } from "@tanstack/react-query";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { SelectField } from "../ui/FormField.tsx";

/** Declining, the recipient may suggest another published offer of the directory (for the child's age, when known). */
export function SuggestOfferField({
  value,
  onChange,
  exceptOfferId,
  age,
}: {
  value: string;
  onChange: (offerId: string) => void;
  exceptOfferId: string | null;
  age: number | null;
}) {
  const t = useT();
  const offers = useQuery(trpc.offers.list.queryOptions(age === null ? {} : { age }));
  const choices = (offers.data ?? []).filter((o) => o.published && o.id !== exceptOfferId);
  if (choices.length === 0) return null;
  return (
    <SelectField label={t("referrals.actions.suggestOffer")} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t("referrals.actions.suggestNone")}</option>
      {choices.map((o) => (
        <option key={o.id} value={o.id}>
          {t("referrals.form.offerOption", { offer: o.title, unit: o.ownerUnit.name })}
        </option>
      ))}
    </SelectField>
  );
}
