import { offerTotalNok, type CostPeriod, type OfferSchedule, type SupportScheme } from "@laget/domain";
import { createHash } from "node:crypto";
import type { OfferRow } from "../offers/offers.ts";

/**
 * The offers directory as Open Referral HSDS 3.0 (DESIGN.md §7): one service per offer,
 * with its organisation (the owner unit), its place, its weekly or monthly rhythm, what it
 * costs and the languages spoken. Only what an offer publishes goes out: no person, no
 * case, no user. Texts are Norwegian, as the offers are written.
 *
 * What HSDS cannot carry is said in `limitations` (served at GET /api/open): a schedule's
 * `timezone` is a number (a UTC offset), so Norway's change between UTC+1 and UTC+2 cannot
 * be expressed; Laget publishes the local times (`opens_at`, `closes_at` as the clock in
 * Norway shows them) and the offset in force when the response was made.
 */

export const HSDS_VERSION = "3.0";
export const OSLO = "Europe/Oslo";

export type OpenOfferRow = OfferRow & { municipality_name: string };

/**
 * A stable UUID for a part of an offer (its location, a cost option, a language):
 * RFC 4122 version 5 style, from SHA-1 of the offer's id and the part's name, so the same
 * offer always publishes the same ids.
 */
export function partId(offerId: string, part: string): string {
  const h = createHash("sha1").update(`laget:${offerId}:${part}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Norway's UTC offset in hours at that moment: 1 in winter, 2 in summer. */
export function osloOffsetHours(at: Date): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: OSLO, timeZoneName: "shortOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT+1";
  const m = /GMT([+-]\d{1,2})(?::(\d\d))?/.exec(name);
  return m ? Number(m[1]) + (m[2] ? Math.sign(Number(m[1])) * Number(m[2]) / 60 : 0) : 0;
}

const periodWords: Record<CostPeriod, string> = { once: "én gang", month: "per måned", term: "per semester", season: "per sesong", year: "per år" };
const schemeWords: Record<SupportScheme, string> = {
  free: "gratis",
  fritidskort: "fritidskortet kan brukes",
  activity_support: "kommunens aktivitetsstøtte kan dekke det",
  equipment_lending: "utstyr kan lånes gratis",
};
const kroner = (n: number) => `${n.toLocaleString("nb-NO")} kr`;
const languageNames = new Intl.DisplayNames(["nb"], { type: "language" });
const languageName = (code: string) => {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
};

function ageWords(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `${min}–${max} år`;
  if (min !== null) return `Fra ${min} år`;
  if (max !== null) return `Til og med ${max} år`;
  return "For alle aldre";
}

/** An HSDS 3.0 organization for an offer's owner unit: who runs it, in which municipality. */
export function organizationOf(row: Pick<OpenOfferRow, "owner_unit_id" | "owner_unit_name" | "municipality_name">) {
  return {
    id: row.owner_unit_id,
    name: row.owner_unit_name,
    description: `${row.owner_unit_name} i ${row.municipality_name}.`,
  };
}

/** One offer as an HSDS 3.0 service, everything nested (the "full" service of the HSDS API). */
export function serviceOf(row: OpenOfferRow, at: Date) {
  const id = row.id;
  const schedule = (row.schedule as OfferSchedule | null) ?? null;
  const languages = Array.isArray(row.languages) ? (row.languages as string[]) : [];
  const schemes = (Array.isArray(row.support_schemes) ? row.support_schemes : []) as SupportScheme[];
  const period = row.cost_period as CostPeriod;
  const total = offerTotalNok({ feeNok: row.fee_nok, equipmentNok: row.equipment_nok, travelNok: row.travel_nok });
  const costParts = [
    { part: "fee", amount: row.fee_nok, description: "Deltakeravgift" },
    { part: "equipment", amount: row.equipment_nok, description: "Utstyr" },
    { part: "travel", amount: row.travel_nok, description: "Reise" },
    { part: "total", amount: total, description: "Totalt for familien (avgift, utstyr og reise)" },
  ];
  const fees = [
    total === 0 ? `Gratis.` : `Totalt ${kroner(total)} ${periodWords[period]}: avgift ${kroner(row.fee_nok)}, utstyr ${kroner(row.equipment_nok)}, reise ${kroner(row.travel_nok)}.`,
    schemes.length ? `Støtteordninger: ${schemes.map((s) => schemeWords[s]).join("; ")}.` : "",
    row.cost_note,
  ].filter(Boolean);
  const hasPlace = row.location_name !== "" || row.address !== "";
  const locationId = partId(id, "location");
  const service = {
    id,
    organization_id: row.owner_unit_id,
    name: row.title,
    description: row.description || row.title,
    status: "active",
    ...(row.contact_url ? { url: row.contact_url } : {}),
    ...(row.contact_email ? { email: row.contact_email } : {}),
    ...(row.age_min !== null ? { minimum_age: row.age_min } : {}),
    ...(row.age_max !== null ? { maximum_age: row.age_max } : {}),
    eligibility_description: ageWords(row.age_min, row.age_max),
    fees_description: fees.join(" "),
    wait_time: row.free_places === 0 ? (row.has_waiting_list ? "Fullt nå, med venteliste." : "Fullt nå.") : row.has_waiting_list ? "Venteliste." : "Ledige plasser.",
    last_modified: row.updated_at.toISOString(),
    organization: organizationOf(row),
    // The organisation's office number for the offer; never a person (contacts stays empty).
    phones: row.contact_phone ? [{ id: partId(id, "phone"), service_id: id, organization_id: row.owner_unit_id, number: row.contact_phone, type: "voice", languages: [] }] : [],
    contacts: [],
    languages: languages.map((code) => ({ id: partId(id, `language:${code}`), service_id: id, name: languageName(code), code })),
    schedules: schedule
      ? [
          {
            id: partId(id, "schedule"),
            service_id: id,
            freq: schedule.freq,
            wkst: "MO",
            byday: schedule.byDay.join(","),
            // Local time in Norway, as the clock there shows it all year (see the endpoint's description).
            opens_at: schedule.opensAt,
            closes_at: schedule.closesAt,
            timezone: osloOffsetHours(at),
            ...(schedule.validFrom ? { valid_from: schedule.validFrom } : {}),
            ...(schedule.validTo ? { valid_to: schedule.validTo } : {}),
            ...(row.schedule_text ? { description: row.schedule_text } : {}),
            attending_type: "in_person",
            notes: "Klokkeslettene er lokal tid i Norge (Europe/Oslo), også om sommeren.",
          },
        ]
      : row.schedule_text
        ? // A rhythm HSDS cannot express (neither weekly nor monthly): the words alone.
          [{ id: partId(id, "schedule"), service_id: id, description: row.schedule_text, attending_type: "in_person" }]
        : [],
    cost_options: costParts.map((c) => ({
      id: partId(id, `cost:${c.part}`),
      service_id: id,
      option: periodWords[period],
      currency: "NOK",
      amount: c.amount,
      amount_description: c.description,
    })),
    service_at_locations: hasPlace
      ? [
          {
            id: partId(id, "service_at_location"),
            service_id: id,
            location_id: locationId,
            location: {
              id: locationId,
              location_type: "physical",
              organization_id: row.owner_unit_id,
              name: row.location_name || row.address,
              ...(row.area ? { description: row.area } : {}),
              addresses: row.address
                ? [
                    {
                      id: partId(id, "address"),
                      location_id: locationId,
                      address_1: row.address,
                      city: row.city,
                      // Laget does not record the county (fylke).
                      state_province: "",
                      postal_code: row.postal_code,
                      country: "NO",
                      address_type: "physical",
                    },
                  ]
                : [],
              accessibility: row.accessibility ? [{ id: partId(id, "accessibility"), location_id: locationId, description: row.accessibility }] : [],
            },
          },
        ]
      : [],
  };
  return service;
}
export type HsdsService = ReturnType<typeof serviceOf>;

/** What GET /api/open says about itself: the endpoints and what HSDS 3.0 cannot carry. */
export function openDataDescription(at: Date) {
  return {
    version: HSDS_VERSION,
    profile: "https://openreferral.org/hsds/3.0",
    name: "Laget: tilbudsoversikten som åpne data",
    description:
      "Fritidstilbud for barn, unge og familier (kommunens egne og frivillige organisasjoners) som Open Referral HSDS 3.0 JSON. " +
      "Uten innlogging. Bare publiserte tilbud; ingen personopplysninger.",
    endpoints: [
      { path: "/api/open", description: "Denne beskrivelsen." },
      {
        path: "/api/open/offers",
        description: "Alle publiserte tilbud som HSDS-tjenester (service), med organisasjon, sted, tider, kostnader og språk, sidevis som HSDS-API-et.",
        parameters: { page: "sidenummer, fra 1 (standard 1)", per_page: "tjenester per side, 1–100 (standard 50)", search: "ord i navn, beskrivelse, organisasjon eller sted" },
      },
      { path: "/api/open/offers/{id}", description: "Ett tilbud som en HSDS-tjeneste; 404 når det ikke finnes eller ikke er publisert." },
    ],
    aliases: { "/api/open/services": "/api/open/offers", "/api/open/services/{id}": "/api/open/offers/{id}" },
    limitations: [
      `schedule.timezone er et tall (forskyvning fra UTC), så skiftet mellom sommertid og vintertid i Norge (UTC+1 om vinteren, UTC+2 om sommeren) kan ikke uttrykkes. ` +
        `opens_at og closes_at er lokal tid i Norge (Europe/Oslo) hele året; timezone er forskyvningen som gjelder når svaret lages (nå ${osloOffsetHours(at)}).`,
      "schedule.freq kan bare være WEEKLY eller MONTHLY: et tilbud med en annen rytme (for eksempel én uke i juli) har en schedule med bare ordene (description), uten freq og klokkeslett.",
      "Et tilbuds tider i ord («Tirsdager og torsdager kl. 17.30–19.00, august–juni») står i schedule.description; HSDS har ikke felt for skoleferier eller helligdager.",
      "cost_options har ett beløp per del (avgift, utstyr, reise) og totalen familien betaler for perioden (option); hvilke støtteordninger som gjelder (fritidskort, aktivitetsstøtte, utlån av utstyr) står i fees_description, for HSDS har ikke felt for dem.",
      "Fylke (state_province) registreres ikke og er tom.",
      "contacts er tom: Laget publiserer ingen personer, bare organisasjonens e-post og telefon for tilbudet.",
    ],
  };
}
