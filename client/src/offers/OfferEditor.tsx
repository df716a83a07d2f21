import { costPeriods, offerCategories, supportSchemes, weekdayCodes, type CostPeriod, type OfferCategory, type SupportScheme, type WeekdayCode } from "@laget/domain";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useI18n } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, queryClient, trpc } from "../trpc.ts";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, Loading, LoadFailed } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { priceText, type OfferDetail } from "./shared.tsx";
import "./offers.css";

type Draft = {
  ownerUnitId: string;
  title: string;
  description: string;
  category: OfferCategory;
  ageMin: string;
  ageMax: string;
  scheduleText: string;
  hasSchedule: boolean;
  freq: "WEEKLY" | "MONTHLY";
  byDay: WeekdayCode[];
  opensAt: string;
  closesAt: string;
  area: string;
  locationName: string;
  address: string;
  postalCode: string;
  city: string;
  feeNok: string;
  equipmentNok: string;
  travelNok: string;
  costPeriod: CostPeriod;
  costNote: string;
  supportSchemes: SupportScheme[];
  capacity: string;
  freePlaces: string;
  hasWaitingList: boolean;
  languages: string;
  accessibility: string;
  contactEmail: string;
  contactPhone: string;
  contactUrl: string;
  published: boolean;
};

const blank = (ownerUnitId: string): Draft => ({
  ownerUnitId,
  title: "",
  description: "",
  category: "sport",
  ageMin: "",
  ageMax: "",
  scheduleText: "",
  hasSchedule: false,
  freq: "WEEKLY",
  byDay: [],
  opensAt: "",
  closesAt: "",
  area: "",
  locationName: "",
  address: "",
  postalCode: "",
  city: "",
  feeNok: "0",
  equipmentNok: "0",
  travelNok: "0",
  costPeriod: "season",
  costNote: "",
  supportSchemes: [],
  capacity: "",
  freePlaces: "",
  hasWaitingList: false,
  languages: "nb",
  accessibility: "",
  contactEmail: "",
  contactPhone: "",
  contactUrl: "",
  published: true,
});

const str = (n: number | null) => (n === null ? "" : String(n));
function draftOf(o: OfferDetail): Draft {
  return {
    ownerUnitId: o.ownerUnit.id,
    title: o.title,
    description: o.description,
    category: o.category,
    ageMin: str(o.ageMin),
    ageMax: str(o.ageMax),
    scheduleText: o.scheduleText,
    hasSchedule: o.schedule !== null,
    freq: o.schedule?.freq ?? "WEEKLY",
    byDay: o.schedule?.byDay ?? [],
    opensAt: o.schedule?.opensAt ?? "",
    closesAt: o.schedule?.closesAt ?? "",
    area: o.area,
    locationName: o.locationName,
    address: o.address,
    postalCode: o.postalCode,
    city: o.city,
    feeNok: String(o.cost.feeNok),
    equipmentNok: String(o.cost.equipmentNok),
    travelNok: String(o.cost.travelNok),
    costPeriod: o.cost.period,
    costNote: o.cost.note,
    supportSchemes: o.supportSchemes,
    capacity: str(o.capacity),
    freePlaces: str(o.freePlaces),
    hasWaitingList: o.hasWaitingList,
    languages: o.languages.join(", "),
    accessibility: o.accessibility,
    contactEmail: o.contact.email,
    contactPhone: o.contact.phone,
    contactUrl: o.contact.url,
    published: o.published,
  };
}

/** A number field's value for the server: empty is null (no limit); anything else as typed, for the server to judge. */
const numberOrNull = (s: string) => (s.trim() === "" ? null : Number(s.trim().replace(/\s/g, "")));
const amount = (s: string) => (s.trim() === "" ? 0 : Number(s.trim().replace(/\s/g, "")));

function inputOf(d: Draft) {
  return {
    title: d.title,
    description: d.description,
    category: d.category,
    ageMin: numberOrNull(d.ageMin),
    ageMax: numberOrNull(d.ageMax),
    scheduleText: d.scheduleText,
    schedule: d.hasSchedule ? { freq: d.freq, byDay: weekdayCodes.filter((c) => d.byDay.includes(c)), opensAt: d.opensAt, closesAt: d.closesAt } : null,
    area: d.area,
    locationName: d.locationName,
    address: d.address,
    postalCode: d.postalCode.trim(),
    city: d.city,
    feeNok: amount(d.feeNok),
    equipmentNok: amount(d.equipmentNok),
    travelNok: amount(d.travelNok),
    costPeriod: d.costPeriod,
    costNote: d.costNote,
    supportSchemes: d.supportSchemes,
    capacity: numberOrNull(d.capacity),
    freePlaces: numberOrNull(d.freePlaces),
    hasWaitingList: d.hasWaitingList,
    languages: [...new Set(d.languages.split(/[\s,]+/).map((l) => l.trim().toLowerCase()).filter(Boolean))],
    accessibility: d.accessibility,
    contactEmail: d.contactEmail.trim(),
    contactPhone: d.contactPhone.trim(),
    contactUrl: d.contactUrl.trim(),
    published: d.published,
  };
}

/** /tilbud/ny: a new offer of one of the caller's units. */
export function NewOfferPage({ actor }: { actor: Actor }) {
  const { t } = useI18n();
  const units = [...new Map(actor.memberships.map((m) => [m.unitId, { id: m.unitId, name: m.unitName }])).values()];
  if (units.length === 0) {
    return (
      <>
        <PageHeading>{t("offers.editor.newTitle")}</PageHeading>
        <p>{t("offers.editor.noUnits")}</p>
      </>
    );
  }
  return <OfferForm initial={blank(units.length === 1 ? units[0]!.id : "")} units={units} />;
}

/** /tilbud/:offerId/endre: for its own unit's members (abilities.edit). */
export function EditOfferPage() {
  const { t } = useI18n();
  const { offerId = "" } = useParams();
  const offer = useQuery(trpc.offers.get.queryOptions({ offerId }));
  if (offer.isPending) return <Loading />;
  if (offer.isError) return <LoadFailed error={offer.error} onRetry={() => void offer.refetch()} />;
  if (!offer.data.abilities.edit) return <ErrorMessage>{t("errors.FORBIDDEN")}</ErrorMessage>;
  return <OfferForm key={offer.data.id} initial={draftOf(offer.data)} offerId={offer.data.id} />;
}

function OfferForm({ initial, offerId, units }: { initial: Draft; offerId?: string; units?: { id: string; name: string }[] }) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const [d, setDraft] = useState<Draft>(initial);
  const [local, setLocal] = useState<{ owner?: string; title?: string }>({});
  const set = (patch: Partial<Draft>) => setDraft((x) => ({ ...x, ...patch }));
  const done = async (id: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.offers.pathKey() });
    void navigate(`/tilbud/${id}`);
  };
  const create = useMutation(trpc.offers.create.mutationOptions({ onSuccess: ({ offerId: id }) => done(id) }));
  const update = useMutation(trpc.offers.update.mutationOptions({ onSuccess: (o) => done(o.id) }));
  const failed = offerId ? update.error : create.error;
  const fieldErrors = apiErrorOf(failed).fieldErrors ?? {};
  /** The server's word on a field (or any part of it: "schedule.closesAt", "languages.0"), in the UI's language. */
  const err = (...fields: string[]) =>
    Object.keys(fieldErrors).some((k) => fields.some((f) => k === f || k.startsWith(`${f}.`))) ? t("offers.editor.invalid") : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending || update.isPending) return;
    const found = {
      owner: !offerId && !d.ownerUnitId ? t("offers.editor.ownerRequired") : undefined,
      title: d.title.trim() === "" ? t("offers.editor.titleRequired") : undefined,
    };
    setLocal(found);
    if (found.owner || found.title) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    const input = inputOf(d);
    const after = { onError: () => requestAnimationFrame(() => focusFirstInvalid(formRef.current)) };
    if (offerId) update.mutate({ offerId, ...input }, after);
    else create.mutate({ ownerUnitId: d.ownerUnitId, ...input }, after);
  };

  const preview = inputOf(d);
  const total = (Number.isFinite(preview.feeNok) ? preview.feeNok : 0) + (Number.isFinite(preview.equipmentNok) ? preview.equipmentNok : 0) + (Number.isFinite(preview.travelNok) ? preview.travelNok : 0);

  return (
    <>
      <PageHeading>{offerId ? t("offers.editor.editTitle") : t("offers.editor.newTitle")}</PageHeading>
      <p>{t("offers.editor.intro")}</p>
      <form ref={formRef} className="form offer-editor" onSubmit={submit} noValidate>
        <ErrorMessage error={failed} />
        {units && (
          <SelectField label={t("offers.editor.owner")} hint={t("offers.editor.ownerHint")} required value={d.ownerUnitId} onChange={(e) => set({ ownerUnitId: e.target.value })} error={local.owner}>
            <option value="">{t("offers.editor.chooseOwner")}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        )}
        <fieldset className="fieldset">
          <legend>{t("offers.editor.about")}</legend>
          <TextField label={t("offers.editor.titleField")} required value={d.title} onChange={(e) => set({ title: e.target.value })} error={local.title ?? err("title")} />
          <TextAreaField label={t("offers.editor.descriptionField")} hint={t("offers.editor.descriptionHint")} value={d.description} onChange={(e) => set({ description: e.target.value })} error={err("description")} limit={4000} />
          <SelectField label={t("offers.editor.categoryField")} value={d.category} onChange={(e) => set({ category: e.target.value as OfferCategory })} error={err("category")}>
            {offerCategories.map((c) => (
              <option key={c} value={c}>
                {t(`offers.category.${c}`)}
              </option>
            ))}
          </SelectField>
          <div className="offer-editor__row">
            <TextField label={t("offers.editor.ageMin")} hint={t("offers.editor.ageHint")} inputMode="numeric" value={d.ageMin} onChange={(e) => set({ ageMin: e.target.value })} error={err("ageMin")} />
            <TextField label={t("offers.editor.ageMax")} hint={t("offers.editor.ageHint")} inputMode="numeric" value={d.ageMax} onChange={(e) => set({ ageMax: e.target.value })} error={err("ageMax")} />
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t("offers.editor.when")}</legend>
          <TextField label={t("offers.editor.scheduleText")} hint={t("offers.editor.scheduleTextHint")} value={d.scheduleText} onChange={(e) => set({ scheduleText: e.target.value })} error={err("scheduleText")} />
          <CheckboxField label={t("offers.editor.hasSchedule")} checked={d.hasSchedule} onChange={(e) => set({ hasSchedule: e.target.checked })} />
          {d.hasSchedule && (
            <>
              <SelectField label={t("offers.editor.freq")} value={d.freq} onChange={(e) => set({ freq: e.target.value as Draft["freq"] })} error={err("schedule.freq")}>
                <option value="WEEKLY">{t("offers.editor.freqWeekly")}</option>
                <option value="MONTHLY">{t("offers.editor.freqMonthly")}</option>
              </SelectField>
              <fieldset className="fieldset offer-editor__days" aria-invalid={err("schedule.byDay") ? true : undefined}>
                <legend>{t("offers.editor.days")}</legend>
                {err("schedule.byDay") && <p className="field__error">{err("schedule.byDay")}</p>}
                {weekdayCodes.map((code) => (
                  <CheckboxField
                    key={code}
                    label={t(`offers.editor.day.${code}`)}
                    checked={d.byDay.includes(code)}
                    onChange={(e) => set({ byDay: e.target.checked ? [...d.byDay, code] : d.byDay.filter((c) => c !== code) })}
                  />
                ))}
              </fieldset>
              <div className="offer-editor__row">
                <TextField label={t("offers.editor.opensAt")} type="time" value={d.opensAt} onChange={(e) => set({ opensAt: e.target.value })} error={err("schedule.opensAt")} />
                <TextField label={t("offers.editor.closesAt")} type="time" value={d.closesAt} onChange={(e) => set({ closesAt: e.target.value })} error={err("schedule.closesAt")} />
              </div>
            </>
          )}
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t("offers.editor.where")}</legend>
          <TextField label={t("offers.editor.area")} hint={t("offers.editor.areaHint")} value={d.area} onChange={(e) => set({ area: e.target.value })} error={err("area")} />
          <TextField label={t("offers.editor.locationName")} value={d.locationName} onChange={(e) => set({ locationName: e.target.value })} error={err("locationName")} />
          <TextField label={t("offers.editor.address")} value={d.address} onChange={(e) => set({ address: e.target.value })} error={err("address")} />
          <div className="offer-editor__row">
            <TextField label={t("offers.editor.postalCode")} inputMode="numeric" value={d.postalCode} onChange={(e) => set({ postalCode: e.target.value })} error={err("postalCode")} />
            <TextField label={t("offers.editor.city")} value={d.city} onChange={(e) => set({ city: e.target.value })} error={err("city")} />
          </div>
          <TextField label={t("offers.editor.accessibility")} value={d.accessibility} onChange={(e) => set({ accessibility: e.target.value })} error={err("accessibility")} />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t("offers.editor.cost")}</legend>
          <p className="field__hint">{t("offers.editor.costHint")}</p>
          <div className="offer-editor__row">
            <TextField label={t("offers.editor.feeNok")} inputMode="numeric" value={d.feeNok} onChange={(e) => set({ feeNok: e.target.value })} error={err("feeNok")} />
            <TextField label={t("offers.editor.equipmentNok")} inputMode="numeric" value={d.equipmentNok} onChange={(e) => set({ equipmentNok: e.target.value })} error={err("equipmentNok")} />
            <TextField label={t("offers.editor.travelNok")} inputMode="numeric" value={d.travelNok} onChange={(e) => set({ travelNok: e.target.value })} error={err("travelNok")} />
          </div>
          <SelectField label={t("offers.editor.costPeriod")} value={d.costPeriod} onChange={(e) => set({ costPeriod: e.target.value as CostPeriod })} error={err("costPeriod")}>
            {costPeriods.map((p) => (
              <option key={p} value={p}>
                {t(`offers.period.${p}`)}
              </option>
            ))}
          </SelectField>
          <p className="offer-editor__total" aria-live="polite">
            {t("offers.editor.totalPreview", {
              price: priceText(t, language, { feeNok: preview.feeNok, equipmentNok: preview.equipmentNok, travelNok: preview.travelNok, totalNok: total, period: d.costPeriod, note: "" }),
            })}
          </p>
          <TextField label={t("offers.editor.costNote")} value={d.costNote} onChange={(e) => set({ costNote: e.target.value })} error={err("costNote")} />
          <fieldset className="fieldset">
            <legend>{t("offers.editor.schemes")}</legend>
            {supportSchemes.map((s) => (
              <CheckboxField
                key={s}
                label={t(`offers.scheme.${s}`)}
                checked={d.supportSchemes.includes(s)}
                onChange={(e) => set({ supportSchemes: e.target.checked ? [...d.supportSchemes, s] : d.supportSchemes.filter((x) => x !== s) })}
              />
            ))}
          </fieldset>
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t("offers.editor.places")}</legend>
          <div className="offer-editor__row">
            <TextField label={t("offers.editor.capacity")} hint={t("offers.editor.placesHint")} inputMode="numeric" value={d.capacity} onChange={(e) => set({ capacity: e.target.value })} error={err("capacity")} />
            <TextField label={t("offers.editor.freePlaces")} hint={t("offers.editor.placesHint")} inputMode="numeric" value={d.freePlaces} onChange={(e) => set({ freePlaces: e.target.value })} error={err("freePlaces")} />
          </div>
          <CheckboxField label={t("offers.editor.hasWaitingList")} checked={d.hasWaitingList} onChange={(e) => set({ hasWaitingList: e.target.checked })} />
          <TextField label={t("offers.editor.languages")} hint={t("offers.editor.languagesHint")} value={d.languages} onChange={(e) => set({ languages: e.target.value })} error={err("languages")} />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t("offers.editor.contact")}</legend>
          <p className="field__hint">{t("offers.editor.contactHint")}</p>
          <TextField label={t("offers.editor.contactEmail")} type="email" value={d.contactEmail} onChange={(e) => set({ contactEmail: e.target.value })} error={err("contactEmail")} />
          <TextField label={t("offers.editor.contactPhone")} type="tel" value={d.contactPhone} onChange={(e) => set({ contactPhone: e.target.value })} error={err("contactPhone")} />
          <TextField label={t("offers.editor.contactUrl")} type="url" value={d.contactUrl} onChange={(e) => set({ contactUrl: e.target.value })} error={err("contactUrl")} />
        </fieldset>
        <CheckboxField label={t("offers.editor.published")} checked={d.published} onChange={(e) => set({ published: e.target.checked })} />
        <div className="form__actions">
          <button type="submit" className="button">
            {offerId ? t("offers.editor.save") : t("offers.editor.create")}
          </button>
          <Link className="button button--secondary" to={offerId ? `/tilbud/${offerId}` : "/tilbud"}>
            {t("offers.editor.cancel")}
          </Link>
        </div>
      </form>
    </>
  );
}
