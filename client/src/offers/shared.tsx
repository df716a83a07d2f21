import { offerCategories, type OfferCategory, type OfferListInput, type SupportScheme } from "@laget/domain";
import type { inferOutput } from "@trpc/tanstack-react-query";
import { formatNumber } from "../i18n/format.ts";
import { localeFor, type Language, type MessageKey, type Params } from "../i18n/types.ts";
import type { trpc } from "../trpc.ts";

export type Offer = inferOutput<typeof trpc.offers.list>[number];
export type OfferDetail = inferOutput<typeof trpc.offers.get>;

/** A translate function bound to one catalog language (the UI's, or the brochure's own). */
export type Tr = (key: MessageKey, params?: Params) => string;

/**
 * The directory's filters live in the address (?text=…&age=…), so a filtered list can be
 * shared, reloaded and turned into the brochure with exactly the same offers.
 */
export function filtersFromParams(params: URLSearchParams): OfferListInput {
  const filters: OfferListInput = {};
  const int = (name: string) => {
    const raw = params.get(name);
    if (raw === null || raw.trim() === "" || !/^\d+$/.test(raw.trim())) return undefined;
    return Number(raw);
  };
  const text = params.get("text")?.trim();
  if (text) filters.text = text;
  const category = params.get("category");
  if (category && (offerCategories as readonly string[]).includes(category)) filters.category = category as OfferCategory;
  const age = int("age");
  if (age !== undefined && age <= 120) filters.age = age;
  const area = params.get("area")?.trim();
  if (area) filters.area = area;
  const maxTotal = int("maxTotalNok");
  if (maxTotal !== undefined && maxTotal <= 1_000_000) filters.maxTotalNok = maxTotal;
  if (params.get("hasCapacity") === "1") filters.hasCapacity = true;
  const language = params.get("language");
  if (language && /^[a-z]{2}$/.test(language)) filters.language = language;
  return filters;
}

export function paramsFromFilters(filters: OfferListInput): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.text) params.set("text", filters.text);
  if (filters.category) params.set("category", filters.category);
  if (filters.age !== undefined) params.set("age", String(filters.age));
  if (filters.area) params.set("area", filters.area);
  if (filters.maxTotalNok !== undefined) params.set("maxTotalNok", String(filters.maxTotalNok));
  if (filters.hasCapacity) params.set("hasCapacity", "1");
  if (filters.language) params.set("language", filters.language);
  return params;
}

/** What the family pays in all for the period ("1 800 kr per sesong"), or "Gratis". */
export function priceText(tr: Tr, language: Language, cost: Offer["cost"]): string {
  if (cost.totalNok === 0) return tr("offers.price.free");
  return tr("offers.price.total", { amount: formatNumber(cost.totalNok, language), period: tr(`offers.period.${cost.period}`) });
}

export function breakdownText(tr: Tr, language: Language, cost: Offer["cost"]): string {
  const n = (x: number) => formatNumber(x, language);
  return tr("offers.price.breakdown", { fee: n(cost.feeNok), equipment: n(cost.equipmentNok), travel: n(cost.travelNok) });
}

export function ageText(tr: Tr, min: number | null, max: number | null): string {
  if (min !== null && max !== null) return tr("offers.age.range", { min, max });
  if (min !== null) return tr("offers.age.from", { min });
  if (max !== null) return tr("offers.age.to", { max });
  return tr("offers.age.all");
}

/** Free places now, or full (with a waiting list when there is one). */
export function placesText(tr: Tr, offer: Pick<Offer, "freePlaces" | "hasWaitingList">): string {
  const parts = [offer.freePlaces === null ? tr("offers.places.open") : offer.freePlaces > 0 ? tr("offers.places.free", { count: offer.freePlaces }) : tr("offers.places.full")];
  if (offer.hasWaitingList) parts.push(tr("offers.places.waitingList"));
  return parts.join(" · ");
}

export const schemeText = (tr: Tr, scheme: SupportScheme) => tr(`offers.scheme.${scheme}`);

const displayNames = new Map<Language, Intl.DisplayNames>();
/** "norsk bokmål", "arabisk" (or "Arabic"): a language's name in the given UI language, from Intl. */
export function languageName(code: string, language: Language): string {
  let names = displayNames.get(language);
  if (!names) displayNames.set(language, (names = new Intl.DisplayNames([localeFor[language]], { type: "language" })));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The offer's facts for families, in the given catalog language: the same on a card, the offer page and the brochure. */
export function OfferFacts({ offer, tr, language }: { offer: Offer; tr: Tr; language: Language }) {
  return (
    <dl className="offer-facts">
      <div>
        <dt>{tr("offers.price.label")}</dt>
        <dd className="offer-facts__price">{priceText(tr, language, offer.cost)}</dd>
      </div>
      {offer.supportSchemes.length > 0 && (
        <div>
          <dt>{tr("offers.schemesLabel")}</dt>
          <dd>
            <ul className="offer-facts__schemes">
              {offer.supportSchemes.map((s) => (
                <li key={s}>{schemeText(tr, s)}</li>
              ))}
            </ul>
          </dd>
        </div>
      )}
      <div>
        <dt>{tr("offers.age.label")}</dt>
        <dd>{ageText(tr, offer.ageMin, offer.ageMax)}</dd>
      </div>
      {offer.scheduleText && (
        <div>
          <dt>{tr("offers.when")}</dt>
          <dd>{offer.scheduleText}</dd>
        </div>
      )}
      {(offer.locationName || offer.area) && (
        <div>
          <dt>{tr("offers.where")}</dt>
          <dd>{[offer.locationName, offer.area].filter(Boolean).join(", ")}</dd>
        </div>
      )}
      <div>
        <dt>{tr("offers.places.label")}</dt>
        <dd>{placesText(tr, offer)}</dd>
      </div>
      {offer.languages.length > 0 && (
        <div>
          <dt>{tr("offers.languages")}</dt>
          <dd>{offer.languages.map((code) => languageName(code, language)).join(", ")}</dd>
        </div>
      )}
    </dl>
  );
}
