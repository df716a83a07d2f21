import type { Db } from "../db/connect.ts";

type DemoOffer = {
  unit: string;
  title: string;
  description: string;
  category: string;
  ageMin: number | null;
  ageMax: number | null;
  scheduleText: string;
  schedule: { freq: "WEEKLY" | "MONTHLY"; byDay: string[]; opensAt: string; closesAt: string } | null;
  area: string;
  locationName: string;
  address: string;
  fee: number;
  equipment: number;
  travel: number;
  costPeriod: string;
  costNote: string;
  supportSchemes: string[];
  capacity: number | null;
  freePlaces: number | null;
  hasWaitingList: boolean;
  languages: string[];
  accessibility: string;
  contactEmail: string;
  contactPhone: string;
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
    ageMin: 8,
    ageMax: 12,
    scheduleText: "Tirsdager og torsdager kl. 17.30–19.00, august–juni",
    schedule: { freq: "WEEKLY", byDay: ["TU", "TH"], opensAt: "17:30", closesAt: "19:00" },
    area: "Fjellheim sentrum",
    locationName: "Fjellheim kunstgressbane",
    address: "Idrettsveien 4",
    fee: 1200,
    equipment: 600,
    travel: 0,
    costPeriod: "season",
    costNote: "Utstyr kan lånes gratis. Treningsavgiften kan betales med fritidskortet.",
    supportSchemes: ["fritidskort", "equipment_lending"],
    capacity: 40,
    freePlaces: 6,
    hasWaitingList: false,
    languages: ["nb", "en"],
    accessibility: "Banen og garderobene har trinnfri adkomst.",
    contactEmail: "post@fjellheim-il.example",
    contactPhone: "+47 400 00 101",
  },
  {
    unit: "Fjellheim idrettslag",
    title: "Allidrett for 6–9 år",
    description: "Lek og mange idretter på lørdager: ballspill, turn og friidrett.",
    category: "sport",
    ageMin: 6,
    ageMax: 9,
    scheduleText: "Lørdager kl. 10.00–11.30 i skoleåret",
    schedule: { freq: "WEEKLY", byDay: ["SA"], opensAt: "10:00", closesAt: "11:30" },
    area: "Fjellheim sentrum",
    locationName: "Fjellheimhallen",
    address: "Idrettsveien 2",
    fee: 400,
    equipment: 0,
    travel: 0,
    costPeriod: "term",
    costNote: "",
    supportSchemes: ["fritidskort", "activity_support"],
    capacity: 30,
    freePlaces: 0,
    hasWaitingList: true,
    languages: ["nb"],
    accessibility: "Hallen har heis og HC-toalett.",
    contactEmail: "post@fjellheim-il.example",
    contactPhone: "+47 400 00 101",
  },
  {
    unit: "Røde Kors Fjellheim",
    title: "Leksehjelp",
    description: "Frivillige hjelper med lekser og skolearbeid. Enkel servering. Ingen påmelding.",
    category: "homework_help",
    ageMin: 10,
    ageMax: 19,
    scheduleText: "Onsdager kl. 17.00–19.00 i skoleåret",
    schedule: { freq: "WEEKLY", byDay: ["WE"], opensAt: "17:00", closesAt: "19:00" },
    area: "Nordbyen",
    locationName: "Nordbyen bibliotek",
    address: "Torget 1",
    fee: 0,
    equipment: 0,
    travel: 0,
    costPeriod: "once",
    costNote: "",
    supportSchemes: ["free"],
    capacity: null,
    freePlaces: null,
    hasWaitingList: false,
    languages: ["nb", "en", "ar", "so", "uk"],
    accessibility: "Trinnfri adkomst.",
    contactEmail: "fjellheim@redcross.example",
    contactPhone: "+47 400 00 202",
  },
  {
    unit: "Røde Kors Fjellheim",
    title: "Ferie for alle – sommerleir",
    description: "Fem dager sommerleir for hele familien ved sjøen, med aktiviteter for store og små.",
    category: "holiday",
    ageMin: 0,
    ageMax: 18,
    scheduleText: "Én uke i juli",
    schedule: null,
    area: "Hele kommunen",
    locationName: "Leirstedet ved sjøen",
    address: "",
    fee: 0,
    equipment: 0,
    travel: 0,
    costPeriod: "once",
    costNote: "Reise, mat og opphold er dekket.",
    supportSchemes: ["free"],
    capacity: 20,
    freePlaces: 0,
    hasWaitingList: true,
    languages: ["nb", "en"],
    accessibility: "Spør oss om tilrettelegging.",
    contactEmail: "fjellheim@redcross.example",
    contactPhone: "+47 400 00 202",
  },
  {
    unit: "Røde Kors Fjellheim",
    title: "Utlån av sports- og friluftsutstyr",
    description: "Lån ski, skøyter, sykkel, telt og sovepose gratis i to uker.",
    category: "equipment_lending",
    ageMin: null,
    ageMax: null,
    scheduleText: "Mandager og torsdager kl. 15.00–18.00",
    schedule: { freq: "WEEKLY", byDay: ["MO", "TH"], opensAt: "15:00", closesAt: "18:00" },
    area: "Nordbyen",
    locationName: "Utlånssentralen",
    address: "Lagerveien 7",
    fee: 0,
    equipment: 0,
    travel: 0,
    costPeriod: "once",
    costNote: "",
    supportSchemes: ["free", "equipment_lending"],
    capacity: null,
    freePlaces: null,
    hasWaitingList: false,
    languages: ["nb", "en", "pl"],
    accessibility: "Trinnfri adkomst.",
    contactEmail: "fjellheim@redcross.example",
    contactPhone: "+47 400 00 202",
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
          age_min: o.ageMin,
          age_max: o.ageMax,
          schedule_text: o.scheduleText,
          schedule: o.schedule ? JSON.stringify(o.schedule) : null,
          area: o.area,
          location_name: o.locationName,
          address: o.address,
          postal_code: o.address ? "9990" : "",
          city: o.address ? "Fjellheim" : "",
          fee_nok: o.fee,
          equipment_nok: o.equipment,
          travel_nok: o.travel,
          cost_period: o.costPeriod,
          cost_note: o.costNote,
          support_schemes: JSON.stringify(o.supportSchemes),
          capacity: o.capacity,
          free_places: o.freePlaces,
          has_waiting_list: o.hasWaitingList,
          languages: JSON.stringify(o.languages),
          accessibility: o.accessibility,
          contact_email: o.contactEmail,
          contact_phone: o.contactPhone,
          created_by: users.find((u) => u.unit_id === unitId)?.id ?? admin.id,
        };
      }),
    )
    .execute();
}
