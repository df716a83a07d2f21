import {
  offerTotalNok,
  type CostPeriod,
  type OfferCategory,
  type OfferInput,
  type OfferListInput,
  type OfferSchedule,
  type SupportScheme,
} from "@laget/domain";
import { decideOffer, type OfferResource } from "@laget/policy";
import { sql, type Selectable } from "kysely";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import type { OffersTable } from "../db/schema.ts";
import { AppError } from "../errors.ts";

/**
 * The offers directory (DESIGN.md §7): what a unit offers children and families, with
 * what it really costs in total. Every staff user of the municipality reads the published
 * offers (volunteer contacts included); a unit's members manage its own (decideOffer).
 * Offers are public information and hold no personal data; their changes are audited all
 * the same, so a unit can see who changed what it publishes.
 */

export type OfferRow = Selectable<OffersTable> & { owner_unit_name: string };

export type OfferView = {
  id: string;
  ownerUnit: { id: string; name: string };
  title: string;
  description: string;
  category: OfferCategory;
  ageMin: number | null;
  ageMax: number | null;
  scheduleText: string;
  schedule: OfferSchedule | null;
  area: string;
  locationName: string;
  address: string;
  postalCode: string;
  city: string;
  cost: { feeNok: number; equipmentNok: number; travelNok: number; totalNok: number; period: CostPeriod; note: string };
  supportSchemes: SupportScheme[];
  capacity: number | null;
  freePlaces: number | null;
  /** A place is free now: no limit on free places, or some left. */
  hasCapacity: boolean;
  hasWaitingList: boolean;
  languages: string[];
  accessibility: string;
  contact: { email: string; phone: string; url: string };
  published: boolean;
  updatedAt: Date;
};

const NO_ID = "00000000-0000-0000-0000-000000000000";
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

export function offerView(row: OfferRow): OfferView {
  const cost = { feeNok: row.fee_nok, equipmentNok: row.equipment_nok, travelNok: row.travel_nok };
  return {
    id: row.id,
    ownerUnit: { id: row.owner_unit_id, name: row.owner_unit_name },
    title: row.title,
    description: row.description,
    category: row.category as OfferCategory,
    ageMin: row.age_min,
    ageMax: row.age_max,
    scheduleText: row.schedule_text,
    schedule: (row.schedule as OfferSchedule | null) ?? null,
    area: row.area,
    locationName: row.location_name,
    address: row.address,
    postalCode: row.postal_code,
    city: row.city,
    cost: { ...cost, totalNok: offerTotalNok(cost), period: row.cost_period as CostPeriod, note: row.cost_note },
    supportSchemes: strings(row.support_schemes) as SupportScheme[],
    capacity: row.capacity,
    freePlaces: row.free_places,
    hasCapacity: row.free_places === null || row.free_places > 0,
    hasWaitingList: row.has_waiting_list,
    languages: strings(row.languages),
    accessibility: row.accessibility,
    contact: { email: row.contact_email, phone: row.contact_phone, url: row.contact_url },
    published: row.published,
    updatedAt: row.updated_at,
  };
}

/** Offers with their owner unit's name; archived offers and those of deactivated units are gone from the directory. */
export function offerRows(db: Db) {
  return db
    .selectFrom("offers as o")
    .innerJoin("units as u", "u.id", "o.owner_unit_id")
    .selectAll("o")
    .select("u.name as owner_unit_name")
    .where("o.archived_at", "is", null)
    .where("u.valid_to", "is", null);
}

export function offerResource(row: Pick<OfferRow, "id" | "municipality_id" | "owner_unit_id" | "published">): OfferResource {
  return { kind: "offer", offerId: row.id, municipalityId: row.municipality_id, ownerUnitId: row.owner_unit_id, published: row.published };
}

const unitIdsOf = (actor: AsActor["actor"]) => {
  const ids = [...new Set(actor.memberships.map((m) => m.unitId))];
  return ids.length ? ids : [NO_ID];
};

/** `%`, `_` and `\` taken literally in an ILIKE pattern. */
const likePattern = (words: string) => `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The directory, filtered in SQL: what decideOffer lets the actor read (published, or
 * their own unit's), then each filter given. Sorted by title.
 */
export async function listOffers({ db, actor, text, category, age, area, maxTotalNok, hasCapacity, language, ownerUnitId }: AsActor & OfferListInput): Promise<OfferView[]> {
  let q = offerRows(db)
    .where("o.municipality_id", "=", actor.municipalityId)
    .where((eb) => eb.or([eb("o.published", "=", true), eb("o.owner_unit_id", "in", unitIdsOf(actor))]));
  if (text) {
    const pattern = likePattern(text);
    q = q.where((eb) =>
      eb.or(["o.title", "o.description", "u.name", "o.location_name", "o.area", "o.city"].map((col) => eb(sql.ref(col), "ilike", pattern))),
    );
  }
  if (category) q = q.where("o.category", "=", category);
  if (age !== undefined) {
    q = q
      .where((eb) => eb.or([eb("o.age_min", "is", null), eb("o.age_min", "<=", age)]))
      .where((eb) => eb.or([eb("o.age_max", "is", null), eb("o.age_max", ">=", age)]));
  }
  if (area) q = q.where("o.area", "=", area);
  if (maxTotalNok !== undefined) q = q.where(sql<number>`o.fee_nok + o.equipment_nok + o.travel_nok`, "<=", maxTotalNok);
  if (hasCapacity) q = q.where((eb) => eb.or([eb("o.free_places", "is", null), eb("o.free_places", ">", 0)]));
  if (language) q = q.where(sql<boolean>`o.languages @> ${JSON.stringify([language])}::jsonb`);
  if (ownerUnitId) q = q.where("o.owner_unit_id", "=", ownerUnitId);
  const rows = await q.orderBy("o.title").orderBy("o.id").execute();
  return rows.map(offerView);
}

/** Loads an offer the actor may act on, or refuses: one they may not read is NOT_FOUND, exactly like a missing one. */
export async function authorizeOffer({ db, actor, offerId, action }: AsActor & { offerId: string; action: "read" | "edit" }) {
  const row = await offerRows(db).where("o.id", "=", offerId).executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND");
  const subject = policyActor(actor);
  const resource = offerResource(row);
  const judgement = decideOffer(subject, resource, action);
  if (!judgement.allow) {
    if (action === "read" || !decideOffer(subject, resource, "read").allow) throw new AppError("NOT_FOUND");
    throw new AppError("FORBIDDEN");
  }
  return { row, resource };
}

export async function getOffer({ db, actor, offerId }: AsActor & { offerId: string }): Promise<OfferView & { abilities: { edit: boolean } }> {
  const { row, resource } = await authorizeOffer({ db, actor, offerId, action: "read" });
  return { ...offerView(row), abilities: { edit: decideOffer(policyActor(actor), resource, "edit").allow } };
}

function columnsOf(input: OfferInput) {
  return {
    title: input.title,
    description: input.description,
    category: input.category,
    age_min: input.ageMin ?? null,
    age_max: input.ageMax ?? null,
    schedule_text: input.scheduleText,
    schedule: input.schedule ? JSON.stringify(input.schedule) : null,
    area: input.area,
    location_name: input.locationName,
    address: input.address,
    postal_code: input.postalCode,
    city: input.city,
    fee_nok: input.feeNok,
    equipment_nok: input.equipmentNok,
    travel_nok: input.travelNok,
    cost_period: input.costPeriod,
    cost_note: input.costNote,
    support_schemes: JSON.stringify(input.supportSchemes),
    capacity: input.capacity,
    free_places: input.freePlaces,
    has_waiting_list: input.hasWaitingList,
    languages: JSON.stringify(input.languages),
    accessibility: input.accessibility,
    contact_email: input.contactEmail,
    contact_phone: input.contactPhone,
    contact_url: input.contactUrl,
    published: input.published,
  };
}

async function recordOfferChange({ db, actor, offerId, unitId, action }: AsActor & { offerId: string; unitId: string; action: "offer.create" | "offer.update" | "offer.archive" }) {
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: unitId, action, resourceType: "offer", resourceId: offerId, caseId: null, basis: null, purpose: null },
  ]);
}

/** A new offer of one of the actor's own units (decideOffer edit on the unit it will belong to). */
export async function createOffer({ db, actor, ownerUnitId, ...input }: AsActor & OfferInput & { ownerUnitId: string }): Promise<{ offerId: string }> {
  const unit = await db.selectFrom("units").select(["id", "municipality_id", "valid_to"]).where("id", "=", ownerUnitId).executeTakeFirst();
  if (!unit || unit.municipality_id !== actor.municipalityId) throw new AppError("NOT_FOUND");
  if (unit.valid_to !== null) throw new AppError("UNIT_INACTIVE");
  const judgement = decideOffer(policyActor(actor), { kind: "offer", offerId: NO_ID, municipalityId: unit.municipality_id, ownerUnitId, published: input.published }, "edit");
  if (!judgement.allow) throw new AppError("FORBIDDEN");
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("offers")
      .values({ ...columnsOf(input), municipality_id: actor.municipalityId, owner_unit_id: ownerUnitId, created_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordOfferChange({ db: trx, actor, offerId: id, unitId: ownerUnitId, action: "offer.create" });
    return { offerId: id };
  });
}

/** Replaces an offer's content (its owner unit stays). */
export async function updateOffer({ db, actor, offerId, ...input }: AsActor & OfferInput & { offerId: string }): Promise<OfferView & { abilities: { edit: boolean } }> {
  const { row } = await authorizeOffer({ db, actor, offerId, action: "edit" });
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("offers")
      .set({ ...columnsOf(input), updated_at: sql`now()` })
      .where("id", "=", offerId)
      .where("archived_at", "is", null)
      .executeTakeFirst();
    // Archived in the meantime: gone, like any archived offer.
    if (updated.numUpdatedRows === 0n) throw new AppError("NOT_FOUND");
    await recordOfferChange({ db: trx, actor, offerId, unitId: row.owner_unit_id, action: "offer.update" });
  });
  return getOffer({ db, actor, offerId });
}

/** Takes an offer out of the directory for good (referrals that name it keep its title). */
export async function archiveOffer({ db, actor, offerId }: AsActor & { offerId: string }): Promise<{ archived: true }> {
  const { row } = await authorizeOffer({ db, actor, offerId, action: "edit" });
  await db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable("offers").set({ archived_at: sql`now()`, updated_at: sql`now()` }).where("id", "=", offerId).where("archived_at", "is", null).executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new AppError("NOT_FOUND");
    await recordOfferChange({ db: trx, actor, offerId, unitId: row.owner_unit_id, action: "offer.archive" });
  });
  return { archived: true };
}

/** The districts the directory's offers are in (for the area filter), sorted. */
export async function offerAreas({ db, actor }: AsActor): Promise<string[]> {
  const rows = await offerRows(db)
    .clearSelect()
    .select("o.area")
    .distinct()
    .where("o.municipality_id", "=", actor.municipalityId)
    .where((eb) => eb.or([eb("o.published", "=", true), eb("o.owner_unit_id", "in", unitIdsOf(actor))]))
    .where("o.area", "!=", "")
    .execute();
  return rows.map((r) => r.area).sort((a, b) => a.localeCompare(b, "nb"));
}
