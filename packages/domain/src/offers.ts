import { z } from "./zod.ts";
import { idSchema } from "./org.ts";
import { costPeriods, offerCategories, supportSchemes } from "./referrals.ts";
import { calendarDate, optionalText, text } from "./text.ts";

/**
 * An offer in the directory (DESIGN.md §7), as its owner unit writes it: what it is, for
 * whom, when and where, what it costs the family in total (fee, equipment, travel) and
 * which support schemes can lower that, capacity, languages and the organisation's contact.
 * Offers are public information: nothing here is about a person.
 */

export const weekdayCodes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type WeekdayCode = (typeof weekdayCodes)[number];
export const scheduleFreqs = ["WEEKLY", "MONTHLY"] as const;

/** "17:30": local time in Norway, 24-hour clock. */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");

/** A machine-readable rhythm (what HSDS schedules can carry): weekly or monthly, on these days, at these local times. */
export const offerScheduleSchema = z
  .strictObject({
    freq: z.enum(scheduleFreqs),
    byDay: z.array(z.enum(weekdayCodes)).min(1).max(7),
    opensAt: clockTime,
    closesAt: clockTime,
    validFrom: calendarDate.optional(),
    validTo: calendarDate.optional(),
  })
  .refine((s) => s.opensAt < s.closesAt, { message: "must close after it opens", path: ["closesAt"] })
  .refine((s) => !s.validFrom || !s.validTo || s.validFrom <= s.validTo, { message: "must not end before it starts", path: ["validTo"] })
  .refine((s) => new Set(s.byDay).size === s.byDay.length, { message: "each day once", path: ["byDay"] });
export type OfferSchedule = z.infer<typeof offerScheduleSchema>;

const age = z.number().int().min(0).max(120);
const nok = z.number().int().min(0).max(1_000_000);
const places = z.number().int().min(0).max(100_000);
/** An ISO 639-1 code ("nb", "en", "ar"). */
export const languageCode = z.string().regex(/^[a-z]{2}$/, "must be an ISO 639-1 code");

export const MAX_OFFER_DESCRIPTION = 4000;
export const MAX_OFFER_FIELD = 300;

const offerFields = {
  title: text(120),
  description: optionalText(MAX_OFFER_DESCRIPTION).default(""),
  category: z.enum(offerCategories),
  ageMin: age.nullable().optional(),
  ageMax: age.nullable().optional(),
  /** Plain words for families ("Tirsdager kl. 17.30–19.00, august–juni"). */
  scheduleText: optionalText(MAX_OFFER_FIELD).default(""),
  schedule: offerScheduleSchema.nullable().default(null),
  area: optionalText(120).default(""),
  locationName: optionalText(MAX_OFFER_FIELD).default(""),
  address: optionalText(MAX_OFFER_FIELD).default(""),
  postalCode: z.union([z.literal(""), z.string().regex(/^\d{4}$/, "must be four digits")]).default(""),
  city: optionalText(120).default(""),
  feeNok: nok.default(0),
  equipmentNok: nok.default(0),
  travelNok: nok.default(0),
  costPeriod: z.enum(costPeriods).default("season"),
  costNote: optionalText(MAX_OFFER_FIELD).default(""),
  supportSchemes: z.array(z.enum(supportSchemes)).max(supportSchemes.length).default([]),
  /** Places in all, and free now; null: no limit. */
  capacity: places.nullable().default(null),
  freePlaces: places.nullable().default(null),
  hasWaitingList: z.boolean().default(false),
  languages: z.array(languageCode).max(30).default(["nb"]),
  accessibility: optionalText(MAX_OFFER_FIELD).default(""),
  /** The organisation's contact for the offer: an office address or number, never a person's private details. */
  contactEmail: z.union([z.literal(""), z.email().max(254)]).default(""),
  contactPhone: z.union([z.literal(""), z.string().regex(/^\+?[0-9 ()-]{5,20}$/, "must be a phone number")]).default(""),
  contactUrl: z.union([z.literal(""), z.url({ protocol: /^https?$/ }).max(500)]).default(""),
  published: z.boolean().default(true),
};

type Checked = { ageMin?: number | null; ageMax?: number | null; capacity: number | null; freePlaces: number | null; supportSchemes: readonly string[]; languages: readonly string[] };
/** The rules across fields, shared by create and update. */
function crossChecks<T extends z.ZodType<Checked>>(schema: T) {
  return schema
    .refine((o) => o.ageMin == null || o.ageMax == null || o.ageMin <= o.ageMax, { message: "must not be below the lowest age", path: ["ageMax"] })
    .refine((o) => o.capacity === null || o.freePlaces === null || o.freePlaces <= o.capacity, { message: "must not exceed the places in all", path: ["freePlaces"] })
    .refine((o) => new Set(o.supportSchemes).size === o.supportSchemes.length, { message: "each scheme once", path: ["supportSchemes"] })
    .refine((o) => new Set(o.languages).size === o.languages.length, { message: "each language once", path: ["languages"] });
}

export const offerInput = crossChecks(z.strictObject(offerFields));
export type OfferInput = z.infer<typeof offerInput>;

export const createOfferInput = crossChecks(z.strictObject({ ...offerFields, ownerUnitId: idSchema }));
export const updateOfferInput = crossChecks(z.strictObject({ ...offerFields, offerId: idSchema }));
export const offerIdInput = z.strictObject({ offerId: idSchema });

/** The directory's filters; every one is applied in SQL. */
export const offerListInput = z
  .strictObject({
    /** Words in the title, description, organisation or place. */
    text: optionalText(120).optional(),
    category: z.enum(offerCategories).optional(),
    /** A child of this age may take part (ageMin ≤ age ≤ ageMax; an open end admits all). */
    age: age.optional(),
    area: optionalText(120).optional(),
    /** What the family pays in all (fee + equipment + travel) is at most this. */
    maxTotalNok: nok.optional(),
    /** Only offers with a free place now (free places unlimited or above 0). */
    hasCapacity: z.boolean().optional(),
    language: languageCode.optional(),
    ownerUnitId: idSchema.optional(),
  })
  .default({});
export type OfferListInput = z.infer<typeof offerListInput>;

/** What the family pays in all for the period: fee, equipment and travel. */
export function offerTotalNok(cost: { feeNok: number; equipmentNok: number; travelNok: number }): number {
  return cost.feeNok + cost.equipmentNok + cost.travelNok;
}
