import { referralDataFields, type ReferralData, type SupportScheme } from "@laget/domain";
import { useI18n } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/types.ts";
import { languageName } from "./languages.ts";

/** What the recipient sees of a referral besides its status: the offer, the payment, and the minimum data. */
export type RecipientFields = {
  offerTitle: string | null;
  supportScheme: SupportScheme | null;
  data: ReferralData;
};

/**
 * The referral as its recipient sees it, field by field (DESIGN.md §7): the referral page
 * shows it to the recipient, and the referral form shows the very same beside itself
 * ("Dette ser mottakeren"), so what is sent is what was seen.
 */
export function RecipientView({ fields, testId }: { fields: RecipientFields; testId?: string }) {
  const { t, language } = useI18n();
  const { data } = fields;
  const empty = <span className="muted">{t("referrals.view.empty")}</span>;
  const value = (field: (typeof referralDataFields)[number]) => {
    switch (field) {
      case "firstName":
        return data.firstName.trim() || empty;
      case "age":
        return Number.isInteger(data.age) ? t("referrals.view.ageValue", { age: data.age }) : empty;
      case "contactPreference":
        return t(`referrals.contact.${data.contactPreference}`);
      case "contactDetails":
        return data.contactDetails.trim() || empty;
      case "need":
        return data.need.trim() || empty;
      case "availability":
        return data.availability.trim() || empty;
      case "language":
        return data.language ? languageName(data.language, language) : empty;
      case "interpreterNeeded":
        return t(data.interpreterNeeded ? "referrals.view.interpreterYes" : "referrals.view.interpreterNo");
    }
  };
  return (
    <dl className="facts recipient-view" data-testid={testId}>
      {fields.offerTitle !== null && (
        <div>
          <dt>{t("referrals.view.offer")}</dt>
          <dd>{fields.offerTitle}</dd>
        </div>
      )}
      {referralDataFields.map((field) => (
        <div key={field} data-field={field}>
          <dt>{t(`referrals.view.${field}` as MessageKey)}</dt>
          <dd>{value(field)}</dd>
        </div>
      ))}
      <div>
        <dt>{t("referrals.view.payment")}</dt>
        <dd>{t(`referrals.payment.${fields.supportScheme ?? "none"}`)}</dd>
      </div>
    </dl>
  );
}
