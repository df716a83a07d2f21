import type { Db } from "../db/connect.ts";

type DemoOffer = {
  unit: string;
  title: string;
  description: string;
  category: string;
  ages: { min: number | null; max: number | null };
  scheduleText: string;
  schedule: { freq: "WEEKLY" | "MONTHLY"; byDay: string[]; opensAt: string; closesAt: string } | null;
  where: { area: string; locationName: string; address: string };
  /** What it costs a family in total: the fee, equipment and travel, per period. */
  cost: { fee: number; equipment: number; travel: number; period: string; note: string };
  supportSchemes: string[];
  /** Places in all and free now (null: no limit), and whether there is a waiting list. */
  places: { capacity: number | null; free: number | null; waitingList: boolean };
  languages: string[];
  accessibility: string;
};

/** The organisations' contacts, the same for every offer of theirs: office addresses and numbers, no person's. */
const contacts: Record<string, { email: string; phone: string }> = {
  "Fjellheim idrettslag": { email: "post@fjellheim-il.example", phone: "+47 400 00 101" },
  "Røde Kors Fjellheim": { email: "fjellheim@redcross.example", phone: "+47 400 00 202" },
};

/**
 * The demo's offers directory (issue 12): what Fjellheim's volunteers offer, with what it
 * really costs a family in total and which support schemes apply. Organisation contacts
 * only: offers are public information and hold no personal data.
 */
export const demoOffers: DemoOffer[] = [
  {
    unit: "Fjellheim idrettslag",
    title: "Fotball for 8–12 år",
    description: "Trening to ganger i uka for jenter og gutter. Alle får spille, uansett nivå. Fotballsko og leggskinn kan lånes.",
    category: "sport",
    ages: { min: 8, max: 12 },
    scheduleText: "Tirsdager og torsdager kl. 17.30–19.00, august–juni",
    schedule: { freq: "WEEKLY", byDay: ["TU", "TH"], opensAt: "17:30", closesAt: "19:00" },
    where: { area: "Fjellheim sentrum", locationName: "Fjellheim kunstgressbane", address: "Idrettsveien 4" },
    cost: { fee: 1200, equipment: 600, travel: 0, period: "season", note: "Utstyr kan lånes gratis. Treningsavgiften kan betales med fritidskortet." },
    supportSchemes: ["fritidskort", "equipment_lending"],
    places: { capacity: 40, free: 6, waitingList: false },
    languages: ["nb", "en"],
    accessibility: "Banen og garderobene har trinnfri adkomst.",
  },
  {
    unit: "Fjellheim idrettslag",
    title: "Allidrett for 6–9 år",
    description: "Lek og mange idretter på lørdager: ballspill, turn og friidrett.",
    category: "sport",
    ages: { min: 6, max: 9 },
    scheduleText: "Lørdager kl. 10.00–11.30 i skoleåret",
    schedule: { freq: "WEEKLY", byDay: ["SA"], opensAt: "10:00", closesAt: "11:30" },
    where: { area: "Fjellheim sentrum", locationName: "Fjellheimhallen", address: "Idrettsveien 2" },
    cost: { fee: 400, equipment: 0, travel: 0, period: "term", note: "" },
    supportSchemes: ["fritidskort", "activity_support"],
    places: { capacity: 30, free: 0, waitingList: true },
    languages: ["nb"],
    accessibility: "Hallen har heis og HC-toalett.",
  },
  {
    unit: "Røde Kors Fjellheim",
    title: "Leksehjelp",
    description: "Frivillige hjelper med lekser og skolearbeid. Enkel servering. Ingen påmelding.",
    category: "homework_help",
    ages: { min: 10, max: 19 },
    scheduleText: "Onsdager kl. 17.00–19.00 i skoleåret",
    schedule: { freq: "WEEKLY", byDay: ["WE"], opensAt: "17:00", closesAt: "19:00" },
    where: { area: "Nordbyen", locationName: "Nordbyen bibliotek", address: "Torget 1" },
    cost: { fee: 0, equipment: 0, travel: 0, period: "once", note: "" },
    supportSchemes: ["free"],
    places: { capacity: null, free: null, waitingList: false },
    languages: ["nb", "en", "ar", "so", "uk"],
    accessibility: "Trinnfri adkomst.",
  },
  {
    unit: "Røde Kors Fjellheim",
    title: "Ferie for alle – sommerleir",
    description: "Fem dager sommerleir for hele familien ved sjøen, med aktiviteter for store og små.",
    category: "holiday",
    ages: { min: 0, max: 18 },
    scheduleText: "Én uke i juli",
    schedule: null,
    where: { area: "Hele kommunen", locationName: "Leirstedet ved sjøen", address: "" },
    cost: { fee: 0, equipment: 0, travel: 0, period: "once", note: "Reise, mat og opphold er dekket." },
    supportSchemes: ["free"],
    places: { capacity: 20, free: 0, waitingList: true },
    languages: ["nb", "en"],
    accessibility: "Spør oss om tilrettelegging.",
  },
  {
    unit: "Røde Kors Fjellheim",
    title: "Utlån av sports- og friluftsutstyr",
    description: "Lån ski, skøyter, sykkel, telt og sovepose gratis i to uker.",
    category: "equipment_lending",
    ages: { min: null, max: null },
    scheduleText: "Mandager og torsdager kl. 15.00–18.00",
    schedule: { freq: "WEEKLY", byDay: ["MO", "TH"], opensAt: "15:00", closesAt: "18:00" },
    where: { area: "Nordbyen", locationName: "Utlånssentralen", address: "Lagerveien 7" },
    cost: { fee: 0, equipment: 0, travel: 0, period: "once", note: "" },
    supportSchemes: ["free", "equipment_lending"],
    places: { capacity: null, free: null, waitingList: false },
    languages: ["nb", "en", "pl"],
    accessibility: "Trinnfri adkomst.",
  },
];

export async function seedDemoOffers(trx: Db, municipalityId: string): Promise<void> {
  const units = new Map((await trx.selectFrom("units").select(["id", "name"]).where("municipality_id", "=", municipalityId).execute()).map((u) => [u.name, u.id]));
  const users = await trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.unit_id", "users.id"])
    .where("users.municipality_id", "=", municipalityId)
    .execute();
  const admin = await trx.selectFrom("users").select("id").where("municipality_id", "=", municipalityId).where("email", "=", "admin@demo.laget.no").executeTakeFirstOrThrow();
  await trx
    .insertInto("offers")
    .values(
      demoOffers.map((o) => {
        const unitId = units.get(o.unit)!;
        return {
          municipality_id: municipalityId,
          owner_unit_id: unitId,
          title: o.title,
          description: o.description,
          category: o.category,
          age_min: o.ages.min,
          age_max: o.ages.max,
          schedule_text: o.scheduleText,
          schedule: o.schedule ? JSON.stringify(o.schedule) : null,
          area: o.where.area,
          location_name: o.where.locationName,
          address: o.where.address,
          postal_code: o.where.address ? "9990" : "",
          city: o.where.address ? "Fjellheim" : "",
          fee_nok: o.cost.fee,
          equipment_nok: o.cost.equipment,
          travel_nok: o.cost.travel,
          cost_period: o.cost.period,
          cost_note: o.cost.note,
          support_schemes: JSON.stringify(o.supportSchemes),
          capacity: o.places.capacity,
          free_places: o.places.free,
          has_waiting_list: o.places.waitingList,
          languages: JSON.stringify(o.languages),
          accessibility: o.accessibility,
          contact_email: contacts[o.unit]!.email,
          contact_phone: contacts[o.unit]!.phone,
          created_by: users.find((u) => u.unit_id === unitId)?.id ?? admin.id,
        };
      }),
    )
    .execute();
}
