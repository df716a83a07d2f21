import { offerCategories, type OfferListInput } from "@laget/domain";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useI18n } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { CheckboxField, SelectField, TextField } from "../ui/FormField.tsx";
import { Loading, LoadFailed } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { filtersFromParams, languageName, OfferFacts, paramsFromFilters, type Offer } from "./shared.tsx";
import "./offers.css";

type Draft = { text: string; category: string; age: string; area: string; maxTotalNok: string; hasCapacity: boolean; language: string };

const draftOf = (f: OfferListInput): Draft => ({
  text: f.text ?? "",
  category: f.category ?? "",
  age: f.age === undefined ? "" : String(f.age),
  area: f.area ?? "",
  maxTotalNok: f.maxTotalNok === undefined ? "" : String(f.maxTotalNok),
  hasCapacity: f.hasCapacity ?? false,
  language: f.language ?? "",
});

/** /tilbud: every staff user searches and filters the directory; the filters are the address's query. */
export function OffersPage({ actor }: { actor: Actor }) {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const offers = useQuery(trpc.offers.list.queryOptions(filters));
  const areas = useQuery(trpc.offers.areas.queryOptions());
  // The languages to filter by: those the directory's offers speak.
  const all = useQuery(trpc.offers.list.queryOptions({}));
  const languages = [...new Set((all.data ?? []).flatMap((o) => o.languages))].sort((a, b) => languageName(a, language).localeCompare(languageName(b, language)));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = filtersFromParams(
      new URLSearchParams({ ...draft, hasCapacity: draft.hasCapacity ? "1" : "" } as Record<string, string>),
    );
    setParams(paramsFromFilters(next));
  };
  const reset = () => {
    setDraft(draftOf({}));
    setParams(new URLSearchParams());
  };
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const query = paramsFromFilters(filters).toString();

  return (
    <>
      <PageHeading>{t("offers.title")}</PageHeading>
      <p>{t("offers.intro")}</p>
      <p className="offers__actions">
        {actor.memberships.length > 0 && (
          <Link className="button button--secondary" to="/tilbud/ny">
            {t("offers.newOffer")}
          </Link>
        )}
        <Link className="button button--secondary" to={`/tilbud/brosjyre${query ? `?${query}` : ""}`}>
          {t("offers.brochureLink")}
        </Link>
      </p>
      <form className="offers__filters" onSubmit={apply} role="search" aria-label={t("offers.filters.heading")}>
        <h2>{t("offers.filters.heading")}</h2>
        <div className="offers__filter-grid">
          <TextField label={t("offers.filters.text")} hint={t("offers.filters.textHint")} type="search" value={draft.text} onChange={(e) => set({ text: e.target.value })} />
          <SelectField label={t("offers.filters.category")} value={draft.category} onChange={(e) => set({ category: e.target.value })}>
            <option value="">{t("offers.filters.anyCategory")}</option>
            {offerCategories.map((c) => (
              <option key={c} value={c}>
                {t(`offers.category.${c}`)}
              </option>
            ))}
          </SelectField>
          <TextField label={t("offers.filters.age")} hint={t("offers.filters.ageHint")} inputMode="numeric" value={draft.age} onChange={(e) => set({ age: e.target.value })} />
          <SelectField label={t("offers.filters.area")} value={draft.area} onChange={(e) => set({ area: e.target.value })}>
            <option value="">{t("offers.filters.anyArea")}</option>
            {(areas.data ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <TextField label={t("offers.filters.maxTotal")} hint={t("offers.filters.maxTotalHint")} inputMode="numeric" value={draft.maxTotalNok} onChange={(e) => set({ maxTotalNok: e.target.value })} />
          <SelectField label={t("offers.filters.language")} value={draft.language} onChange={(e) => set({ language: e.target.value })}>
            <option value="">{t("offers.filters.anyLanguage")}</option>
            {languages.map((code) => (
              <option key={code} value={code}>
                {languageName(code, language)}
              </option>
            ))}
          </SelectField>
        </div>
        <CheckboxField label={t("offers.filters.hasCapacity")} checked={draft.hasCapacity} onChange={(e) => set({ hasCapacity: e.target.checked })} />
        <div className="form__actions">
          <button type="submit" className="button">
            {t("offers.filters.apply")}
          </button>
          <button type="button" className="button button--secondary" onClick={reset}>
            {t("offers.filters.reset")}
          </button>
        </div>
      </form>
      {offers.isPending ? (
        <Loading />
      ) : offers.isError ? (
        <LoadFailed error={offers.error} onRetry={() => void offers.refetch()} />
      ) : (
        <section aria-live="polite">
          <p className="muted">{t("offers.count", { count: offers.data.length })}</p>
          {offers.data.length === 0 ? <p>{t("offers.none")}</p> : <OfferCards offers={offers.data} />}
        </section>
      )}
    </>
  );
}

function OfferCards({ offers }: { offers: Offer[] }) {
  const { t, language } = useI18n();
  return (
    <ul className="offer-cards">
      {offers.map((offer) => (
        <li key={offer.id} className="offer-card">
          <h3 className="offer-card__title">
            <Link to={`/tilbud/${offer.id}`}>{offer.title}</Link>
          </h3>
          <p className="offer-card__meta">
            {t(`offers.category.${offer.category}`)} · {t("offers.by", { organisation: offer.ownerUnit.name })}
            {!offer.published && <span className="badge"> {t("offers.draft")}</span>}
          </p>
          <OfferFacts offer={offer} tr={t} language={language} />
        </li>
      ))}
    </ul>
  );
}
