import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { translate } from "../i18n/catalog.ts";
import { useI18n, useLanguageLoaded } from "../i18n/I18nProvider.tsx";
import { languages, type Language } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import { SelectField } from "../ui/FormField.tsx";
import { Loading, LoadFailed } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { filtersFromParams, OfferFacts, paramsFromFilters, type Tr } from "./shared.tsx";
import "./offers.css";

/**
 * /tilbud/brosjyre: the directory's offers (the same filters, from the address) as a
 * printable brochure for families, in plain words and in the language chosen for it
 * (?lang=nb|en), whatever the UI's own language. Prices are what the family pays in all
 * for the period, "Gratis" when nothing, with the schemes that can lower them. Offers hold
 * no personal data; the brochure adds none (no staff member, no referral, no case).
 */
export function BrochurePage() {
  const { t, language: uiLanguage } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const requested = params.get("lang");
  const lang: Language = requested && (languages as readonly string[]).includes(requested) ? (requested as Language) : uiLanguage;
  const tr: Tr = (key, values) => translate(lang, key, values);
  const langLoaded = useLanguageLoaded(lang);
  const offers = useQuery(trpc.offers.list.queryOptions(filters));
  const directory = paramsFromFilters(filters).toString();

  const chooseLanguage = (next: string) => {
    const p = new URLSearchParams(params);
    p.set("lang", next);
    setParams(p, { replace: true });
  };

  return (
    <>
      <div className="no-print brochure__tools">
        <p className="breadcrumb">
          <Link to={`/tilbud${directory ? `?${directory}` : ""}`}>{t("offers.brochure.back")}</Link>
        </p>
        <PageHeading>{t("offers.brochure.title")}</PageHeading>
        <p>{t("offers.brochure.filtersNote")}</p>
        <div className="brochure__controls">
          <SelectField label={t("offers.brochure.language")} value={lang} onChange={(e) => chooseLanguage(e.target.value)}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </SelectField>
          <button type="button" className="button" onClick={() => window.print()}>
            {t("offers.brochure.print")}
          </button>
        </div>
      </div>
      {offers.isPending || !langLoaded ? (
        <Loading />
      ) : offers.isError ? (
        <LoadFailed error={offers.error} onRetry={() => void offers.refetch()} />
      ) : (
        <article className="brochure" lang={lang} aria-label={tr("offers.brochure.heading")}>
          <h2 className="brochure__heading">{tr("offers.brochure.heading")}</h2>
          <p className="brochure__intro">{tr("offers.brochure.intro")}</p>
          {offers.data.length === 0 ? (
            <p>{tr("offers.none")}</p>
          ) : (
            <ul className="brochure__offers">
              {offers.data
                .filter((o) => o.published)
                .map((o) => (
                  <li key={o.id} className="brochure__offer">
                    <h3>{o.title}</h3>
                    <p className="offer-card__meta">
                      {tr(`offers.category.${o.category}`)} · {tr("offers.by", { organisation: o.ownerUnit.name })}
                    </p>
                    {o.description && <p>{o.description}</p>}
                    <OfferFacts offer={o} tr={tr} language={lang} />
                    {(o.contact.email || o.contact.phone || o.contact.url) && (
                      <p className="brochure__contact">
                        {tr("offers.contact")}: {[o.contact.phone, o.contact.email, o.contact.url].filter(Boolean).join(" · ")}
                      </p>
                    )}
                  </li>
                ))}
            </ul>
          )}
          <p className="brochure__ask">{tr("offers.brochure.askUs")}</p>
        </article>
      )}
    </>
  );
}
