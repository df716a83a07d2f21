import { contactPreferences, MAX_REFERRAL_FIELD, MAX_REFERRAL_NEED, supportSchemes, type ContactPreference, type ReferralData, type SupportScheme } from "@laget/domain";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useCase } from "../cases/CasePage.tsx";
import { useFormat, useI18n } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { languageName, referralLanguages } from "./languages.ts";
import { refreshReferrals, type ReferralRecipient, type ReferralView } from "./queries.ts";
import { RecipientView } from "./RecipientView.tsx";
import { StatusChip } from "./StatusChip.tsx";
import "./referrals.css";

/** A recipient choice: a unit, or one of its offers. */
const choiceKey = (unitId: string, offerId: string | null) => `${unitId}:${offerId ?? ""}`;
function parseChoice(key: string): { unitId: string; offerId: string | null } | null {
  const [unitId, offerId] = key.split(":");
  return unitId ? { unitId, offerId: offerId || null } : null;
}

type Errors = Partial<Record<"recipient" | "subject" | "firstName" | "age" | "contactDetails" | "need" | "availability", string>>;

/**
 * saker/:caseId/henvisninger: a referral from the case to a volunteer unit or one of its
 * offers, with the minimum data only, and beside the form exactly what the recipient
 * will see (the same RecipientView the referral page shows them). Sending needs a
 * consent covering the recipient for purpose referral; without one the tab says what is
 * missing and links to the consent tab. Below, the case's referrals with their status,
 * kept live by the event stream.
 */
export function CaseReferralsTab() {
  const { t } = useI18n();
  const { kase } = useCase();
  // Asked afresh on every visit: a consent recorded on the next tab changes who may be sent to.
  const recipients = useQuery({ ...trpc.referrals.recipients.queryOptions({ caseId: kase.id }), staleTime: 0 });
  return (
    <>
      {kase.status === "closed" ? (
        <p className="alert alert--info">{t("referrals.form.closedCase")}</p>
      ) : recipients.isPending ? (
        <Loading />
      ) : recipients.isError ? (
        <LoadFailed error={recipients.error} onRetry={() => void recipients.refetch()} />
      ) : recipients.data.length === 0 ? (
        <p className="empty">{t("referrals.form.noRecipients")}</p>
      ) : (
        <ReferralForm recipients={recipients.data} />
      )}
      <CaseReferralList />
    </>
  );
}

function ReferralForm({ recipients }: { recipients: ReferralRecipient[] }) {
  const { t, language } = useI18n();
  const { kase } = useCase();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const children = kase.subjects.filter((s) => s.role !== "parent");
  const [choice, setChoice] = useState("");
  const [subjectId, setSubjectId] = useState((children[0] ?? kase.subjects[0])?.id ?? "");
  const [firstName, setFirstName] = useState("");
  const [age, setAge] = useState("");
  const [contactPreference, setContactPreference] = useState<ContactPreference>("phone");
  const [contactDetails, setContactDetails] = useState("");
  const [need, setNeed] = useState("");
  const [availability, setAvailability] = useState("");
  const [lang, setLang] = useState("nb");
  const [interpreterNeeded, setInterpreterNeeded] = useState(false);
  const [scheme, setScheme] = useState<SupportScheme | "">("");
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<string | null>(null);

  // First name and age from the case's subject, filled in when the subject is chosen.
  const prefill = useQuery({ ...trpc.referrals.prefill.queryOptions({ caseId: kase.id, subjectId }), enabled: !!subjectId });
  useEffect(() => {
    if (!prefill.data) return;
    setFirstName(prefill.data.firstName);
    setAge(prefill.data.age === null ? "" : String(prefill.data.age));
  }, [prefill.data]);

  const chosen = parseChoice(choice);
  const recipient = chosen ? recipients.find((r) => r.unitId === chosen.unitId) : undefined;
  const offer = chosen?.offerId ? (recipient?.offers.find((o) => o.id === chosen.offerId) ?? null) : null;
  const data: ReferralData = {
    firstName: firstName.trim(),
    age: age.trim() === "" ? Number.NaN : Number(age),
    contactPreference,
    contactDetails: contactPreference === "via_referrer" ? "" : contactDetails.trim(),
    need: need.trim(),
    availability: availability.trim(),
    language: lang,
    interpreterNeeded,
  };

  const create = useMutation(
    trpc.referrals.create.mutationOptions({
      onSuccess: async (_result, input) => {
        setDone(input.send ? t("referrals.form.sentDone", { recipient: offer ? offer.title : (recipient?.unitName ?? "") }) : t("referrals.form.draftDone"));
        setNeed("");
        setAvailability("");
        setChoice("");
        await refreshReferrals();
      },
    }),
  );

  const submit = (send: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    if (create.isPending) return;
    setDone(null);
    const found: Errors = {};
    if (!recipient) found.recipient = t("referrals.form.recipientRequired");
    if (!subjectId) found.subject = t("referrals.form.subjectRequired");
    if (!data.firstName) found.firstName = t("referrals.form.firstNameRequired");
    else if (data.firstName.length > 60) found.firstName = t("referrals.form.tooLong", { limit: 60 });
    if (!Number.isInteger(data.age) || data.age < 0 || data.age > 25) found.age = t("referrals.form.ageRequired");
    if (contactPreference !== "via_referrer" && !data.contactDetails) found.contactDetails = t("referrals.form.contactDetailsRequired");
    else if (data.contactDetails.length > MAX_REFERRAL_FIELD) found.contactDetails = t("referrals.form.tooLong", { limit: MAX_REFERRAL_FIELD });
    if (!data.need) found.need = t("referrals.form.needRequired");
    else if (data.need.length > MAX_REFERRAL_NEED) found.need = t("referrals.form.tooLong", { limit: MAX_REFERRAL_NEED });
    if (data.availability.length > MAX_REFERRAL_FIELD) found.availability = t("referrals.form.tooLong", { limit: MAX_REFERRAL_FIELD });
    setErrors(found);
    if (Object.keys(found).length > 0 || !recipient) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    create.mutate({
      caseId: kase.id,
      subjectId,
      recipientUnitId: recipient.unitId,
      ...(offer ? { offerId: offer.id } : {}),
      data,
      supportScheme: scheme || null,
      send,
    });
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("referrals.form.heading")}</h2>
      <p>{t("referrals.form.intro")}</p>
      <StatusMessage>{done}</StatusMessage>
      <div className="referral-compose">
        <form ref={formRef} className="form" onSubmit={submit(true)} noValidate>
          <ErrorMessage error={create.error} />
          <SelectField
            label={t("referrals.form.recipient")}
            hint={t("referrals.form.recipientHint")}
            required
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            error={errors.recipient}
          >
            <option value="">{t("referrals.form.chooseRecipient")}</option>
            {recipients.map((r) => (
              <optgroup key={r.unitId} label={r.unitName}>
                {r.offers.map((o) => (
                  <option key={o.id} value={choiceKey(r.unitId, o.id)}>
                    {t("referrals.form.offerOption", { offer: o.title, unit: r.unitName })}
                  </option>
                ))}
                <option value={choiceKey(r.unitId, null)}>{t("referrals.form.wholeUnit", { unit: r.unitName })}</option>
              </optgroup>
            ))}
          </SelectField>
          {recipient && <ConsentNote recipient={recipient} />}
          <SelectField label={t("referrals.form.subject")} required value={subjectId} onChange={(e) => setSubjectId(e.target.value)} error={errors.subject}>
            <option value="">{t("referrals.form.chooseSubject")}</option>
            {kase.subjects.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <div className="field-row">
            <TextField
              label={t("referrals.form.firstName")}
              hint={t("referrals.form.firstNameHint")}
              required
              autoComplete="off"
              value={firstName}
              onChange={(e) => setFirstName(e.target.value)}
              error={errors.firstName}
            />
            <TextField label={t("referrals.form.age")} required type="number" min={0} max={25} inputMode="numeric" value={age} onChange={(e) => setAge(e.target.value)} error={errors.age} />
          </div>
          <SelectField label={t("referrals.form.contactPreference")} value={contactPreference} onChange={(e) => setContactPreference(e.target.value as ContactPreference)}>
            {contactPreferences.map((c) => (
              <option key={c} value={c}>
                {t(`referrals.contact.${c}`)}
              </option>
            ))}
          </SelectField>
          {contactPreference !== "via_referrer" && (
            <TextField
              label={t("referrals.form.contactDetails")}
              hint={t("referrals.form.contactDetailsHint")}
              required
              autoComplete="off"
              value={contactDetails}
              onChange={(e) => setContactDetails(e.target.value)}
              error={errors.contactDetails}
            />
          )}
          <TextAreaField
            label={t("referrals.form.need")}
            hint={t("referrals.form.needHint")}
            required
            limit={MAX_REFERRAL_NEED}
            value={need}
            onChange={(e) => setNeed(e.target.value)}
            error={errors.need}
          />
          <TextField
            label={t("referrals.form.availability")}
            hint={t("referrals.form.availabilityHint")}
            value={availability}
            onChange={(e) => setAvailability(e.target.value)}
            error={errors.availability}
          />
          <SelectField label={t("referrals.form.language")} value={lang} onChange={(e) => setLang(e.target.value)}>
            {referralLanguages.map((code) => (
              <option key={code} value={code}>
                {languageName(code, language)}
              </option>
            ))}
          </SelectField>
          <CheckboxField label={t("referrals.form.interpreterNeeded")} checked={interpreterNeeded} onChange={(e) => setInterpreterNeeded(e.target.checked)} />
          <SelectField label={t("referrals.form.payment")} hint={t("referrals.form.paymentHint")} value={scheme} onChange={(e) => setScheme(e.target.value as SupportScheme | "")}>
            <option value="">{t("referrals.payment.none")}</option>
            {supportSchemes.map((s) => (
              <option key={s} value={s}>
                {t(`referrals.payment.${s}`)}
              </option>
            ))}
          </SelectField>
          <div className="form__actions">
            <button type="submit" className="button" disabled={!!recipient && !recipient.consent}>
              {t("referrals.form.send")}
            </button>
            <button type="button" className="button button--secondary" disabled={!!recipient && !recipient.consent} onClick={() => submit(false)()}>
              {t("referrals.form.saveDraft")}
            </button>
          </div>
        </form>
        <aside className="referral-preview" aria-labelledby={`${headingId}-preview`}>
          <h3 id={`${headingId}-preview`}>{t("referrals.view.heading")}</h3>
          <p className="field__hint">{t("referrals.view.note")}</p>
          <RecipientView fields={{ offerTitle: offer?.title ?? null, supportScheme: scheme || null, data }} testId="referral-preview" />
        </aside>
      </div>
    </section>
  );
}

/** Whether the case's consent covers sending to this recipient; if not, what is missing and where to record it. */
function ConsentNote({ recipient }: { recipient: ReferralRecipient }) {
  const { t } = useI18n();
  const { kase } = useCase();
  if (recipient.consent) return <p className="muted">{t("referrals.form.consentOk", { version: recipient.consent.consentVersion })}</p>;
  return (
    <div className="alert alert--info" role="status">
      <p>{t("referrals.form.consentMissing", { unit: recipient.unitName })}</p>
      <p>
        <Link to={`/saker/${kase.id}/samtykke`}>{t("referrals.form.consentLink")}</Link>
      </p>
    </div>
  );
}

/** The referrals made from this case, each with its live status. */
function CaseReferralList() {
  const { t } = useI18n();
  const format = useFormat();
  const { kase } = useCase();
  const headingId = useId();
  const list = useQuery(trpc.referrals.forCase.queryOptions({ caseId: kase.id }));
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t("referrals.caseList.heading")}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <LoadFailed error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <p className="empty">{t("referrals.caseList.empty")}</p>
      ) : (
        <ul className="card-list">
          {list.data.map((r: ReferralView) => (
            <li key={r.id} className="card" data-testid="case-referral">
              <p className="card__title">
                <Link to={`/henvisninger/${r.id}`}>{r.offer ? t("referrals.form.offerOption", { offer: r.offer.title, unit: r.recipientUnit.name }) : r.recipientUnit.name}</Link>{" "}
                <StatusChip status={r.status} />
              </p>
              <p className="muted">
                {r.data?.firstName ?? t("referrals.withdrawnName")}
                {" · "}
                {r.sentAt ? format.dateTime(r.sentAt) : t("referrals.notSent")}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
