import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { demoOffers } from "../demo/offers.ts";
import type { CallerClient } from "../testing/caller-client.ts";
import { unitIdsByName } from "../testing/case-fixtures.ts";
import { createMunicipality } from "../testing/factories.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import type { OfferView } from "./offers.ts";

// The offers directory (issue 12, item 1): every filter in SQL, who may manage an offer
// (its own unit's members only, a volunteer contact included), and bad input refused
// whole, leaving the offer as it was.

let app: TestApp;
let idrettslag: CallerClient;
let frivillig: CallerClient;
let koordinator: CallerClient;
let otherAdmin: CallerClient;
let units: Record<string, string>;

type Offer = OfferView & { abilities: { edit: boolean } };
const demoTitles = demoOffers.map((o) => o.title);
const FOTBALL = "Fotball for 8–12 år";
const CHESS = "Sjakkurs for 9–15 år";
let known: string[];

/** A valid offer input, changed by `over`. */
const offer = (over: Record<string, unknown> = {}) => ({
  title: "Testtilbud",
  description: "Et tilbud i testen.",
  category: "culture",
  ageMin: 9,
  ageMax: 15,
  scheduleText: "Mandager kl. 18–19",
  schedule: { freq: "WEEKLY", byDay: ["MO"], opensAt: "18:00", closesAt: "19:00" },
  area: "Sørbyen",
  locationName: "Sørbyen skole",
  address: "Skoleveien 3",
  postalCode: "9991",
  city: "Fjellheim",
  feeNok: 100,
  equipmentNok: 100,
  travelNok: 250,
  costPeriod: "term",
  costNote: "",
  supportSchemes: ["activity_support"],
  capacity: 12,
  freePlaces: 4,
  hasWaitingList: false,
  languages: ["nb", "de"],
  accessibility: "",
  contactEmail: "post@fjellheim-il.example",
  contactPhone: "+47 400 00 101",
  contactUrl: "https://fjellheim-il.example/sjakk",
  published: true,
  ...over,
});

const list = (client: CallerClient, filter: Record<string, unknown> = {}) => client.queryOk<OfferView[]>("offers.list", filter);
/** The titles the filter finds among the demo offers and this file's chess course, sorted. */
const titles = async (filter: Record<string, unknown>, client = koordinator) => (await list(client, filter)).map((o) => o.title).filter((t) => known.includes(t)).sort();
const sorted = (xs: string[]) => [...xs].sort();
const idOf = async (title: string) => (await list(koordinator)).find((o) => o.title === title)!.id;

beforeAll(async () => {
  app = await startTestApp();
  const as = (who: string) => app.signedIn(`${who}@demo.laget.no`);
  [idrettslag, frivillig, koordinator] = await Promise.all([as("idrettslag"), as("frivillig"), as("koordinator")]);
  units = await unitIdsByName(koordinator);
  await createMunicipality(app.db, { name: "Annen kommune", users: [{ email: "admin@annen.example", memberships: [{ unit: "Annen idrettsklubb", role: "volunteer_contact" }] }] });
  otherAdmin = await app.signedIn("admin@annen.example");
  // 100 + 100 + 250 = 450 kr in all: the fee alone would pass a limit the total does not.
  await idrettslag.mutationOk("offers.create", { ...offer({ title: CHESS }), ownerUnitId: units["Fjellheim idrettslag"] });
  known = [...demoTitles, CHESS];
});
afterAll(() => app?.stop());

describe("the directory's filters", () => {
  test("without filters every published offer is listed, each with what the family pays in all", async () => {
    expect(await titles({})).toEqual(sorted(known));
    const football = (await list(koordinator)).find((o) => o.title === FOTBALL)!;
    expect(football.cost).toEqual({ feeNok: 1200, equipmentNok: 600, travelNok: 0, totalNok: 1800, period: "season", note: expect.any(String) });
    expect(football.ownerUnit).toEqual({ id: units["Fjellheim idrettslag"], name: "Fjellheim idrettslag" });
    expect(football).toMatchObject({ hasCapacity: true, freePlaces: 6, supportSchemes: ["fritidskort", "equipment_lending"], languages: ["nb", "en"] });
  });

  test("text matches title, description, organisation and place, case-insensitively, with % and _ taken literally", async () => {
    expect(await titles({ text: "FOTBALL" })).toEqual([FOTBALL]);
    expect(await titles({ text: "røde kors" })).toEqual(sorted(["Leksehjelp", "Ferie for alle – sommerleir", "Utlån av sports- og friluftsutstyr"]));
    expect(await titles({ text: "bibliotek" })).toEqual(["Leksehjelp"]);
    expect(await titles({ text: "%" })).toEqual([]);
    expect(await titles({ text: "_" })).toEqual([]);
  });

  test("category and area", async () => {
    expect(await titles({ category: "sport" })).toEqual(sorted([FOTBALL, "Allidrett for 6–9 år"]));
    expect(await titles({ category: "homework_help" })).toEqual(["Leksehjelp"]);
    expect(await titles({ area: "Nordbyen" })).toEqual(sorted(["Leksehjelp", "Utlån av sports- og friluftsutstyr"]));
  });

  test("age: within ageMin..ageMax, both ends included, an open end admitting every age", async () => {
    expect(await titles({ age: 7 })).toEqual(sorted(["Allidrett for 6–9 år", "Ferie for alle – sommerleir", "Utlån av sports- og friluftsutstyr"]));
    // 8 is Fotball's lowest age; 9 Allidrett's highest and the chess course's lowest.
    expect(await titles({ age: 8 })).toEqual(sorted([FOTBALL, "Allidrett for 6–9 år", "Ferie for alle – sommerleir", "Utlån av sports- og friluftsutstyr"]));
    expect(await titles({ age: 9 })).toEqual(sorted([FOTBALL, "Allidrett for 6–9 år", CHESS, "Ferie for alle – sommerleir", "Utlån av sports- og friluftsutstyr"]));
    expect(await titles({ age: 19 })).toEqual(sorted(["Leksehjelp", "Utlån av sports- og friluftsutstyr"]));
  });

  test("maxTotalNok limits fee + equipment + travel, not the fee alone", async () => {
    const free = ["Leksehjelp", "Ferie for alle – sommerleir", "Utlån av sports- og friluftsutstyr"];
    expect(await titles({ maxTotalNok: 449 })).toEqual(sorted([...free, "Allidrett for 6–9 år"]));
    expect(await titles({ maxTotalNok: 450 })).toEqual(sorted([...free, "Allidrett for 6–9 år", CHESS]));
    expect(await titles({ maxTotalNok: 1799 })).not.toContain(FOTBALL);
    expect(await titles({ maxTotalNok: 1800 })).toContain(FOTBALL);
    expect(await titles({ maxTotalNok: 0 })).toEqual(sorted(free));
  });

  test("hasCapacity: a free place now (free places unlimited or above 0)", async () => {
    expect(await titles({ hasCapacity: true })).toEqual(sorted([FOTBALL, CHESS, "Leksehjelp", "Utlån av sports- og friluftsutstyr"]));
  });

  test("language: the offer speaks it (one of its languages)", async () => {
    expect(await titles({ language: "ar" })).toEqual(["Leksehjelp"]);
    expect(await titles({ language: "pl" })).toEqual(["Utlån av sports- og friluftsutstyr"]);
    expect(await titles({ language: "de" })).toEqual([CHESS]);
    expect(await titles({ language: "en" })).toEqual(sorted([FOTBALL, "Leksehjelp", "Ferie for alle – sommerleir", "Utlån av sports- og friluftsutstyr"]));
  });

  test("ownerUnitId, and filters combined", async () => {
    expect(await titles({ ownerUnitId: units["Fjellheim idrettslag"] })).toEqual(sorted([FOTBALL, "Allidrett for 6–9 år", CHESS]));
    expect(await titles({ category: "sport", age: 10, hasCapacity: true, maxTotalNok: 2000, language: "en", area: "Fjellheim sentrum", text: "fotball" })).toEqual([FOTBALL]);
    expect(await titles({ category: "sport", age: 10, language: "ar" })).toEqual([]);
  });

  test("areas() lists the districts of the offers the caller may read", async () => {
    expect(await koordinator.queryOk<string[]>("offers.areas")).toEqual(["Fjellheim sentrum", "Hele kommunen", "Nordbyen", "Sørbyen"]);
  });

  test("another municipality's directory is its own: none of Demo kommune's offers, and their ids are NOT_FOUND", async () => {
    expect(await list(otherAdmin)).toEqual([]);
    expect(await otherAdmin.queryOk<string[]>("offers.areas")).toEqual([]);
    const got = await otherAdmin.query("offers.get", { offerId: await idOf(FOTBALL) });
    expect(got.ok || got.error.data.appCode).toBe("NOT_FOUND");
  });
});

describe("who may manage an offer", () => {
  test("a volunteer contact creates and changes its own unit's offer; it shows in the directory with abilities.edit for its unit only", async () => {
    const { offerId } = await idrettslag.mutationOk<{ offerId: string }>("offers.create", { ...offer({ title: "Håndball for 10–13 år" }), ownerUnitId: units["Fjellheim idrettslag"] });
    expect((await idrettslag.queryOk<Offer>("offers.get", { offerId })).abilities).toEqual({ edit: true });
    expect((await koordinator.queryOk<Offer>("offers.get", { offerId })).abilities).toEqual({ edit: false });
    expect((await frivillig.queryOk<Offer>("offers.get", { offerId })).abilities).toEqual({ edit: false });
    const updated = await idrettslag.mutationOk<Offer>("offers.update", { offerId, ...offer({ title: "Håndball for 10–14 år", freePlaces: 0, hasWaitingList: true, ageMax: 14 }) });
    expect(updated).toMatchObject({ title: "Håndball for 10–14 år", ageMax: 14, freePlaces: 0, hasCapacity: false, hasWaitingList: true, abilities: { edit: true } });
    expect((await list(koordinator, { text: "Håndball" })).map((o) => o.title)).toEqual(["Håndball for 10–14 år"]);
  });

  test("a volunteer contact of another unit reads the published offer but may not change or archive it (FORBIDDEN); staff neither", async () => {
    const offerId = await idOf(FOTBALL);
    for (const client of [frivillig, koordinator]) {
      const update = await client.mutation("offers.update", { offerId, ...offer({ title: "Kapret" }) });
      expect(update.ok || update.error.data.appCode).toBe("FORBIDDEN");
      const archive = await client.mutation("offers.archive", { offerId });
      expect(archive.ok || archive.error.data.appCode).toBe("FORBIDDEN");
    }
    expect((await idrettslag.queryOk<Offer>("offers.get", { offerId })).title).toBe(FOTBALL);
  });

  test("an offer is created only for one of the caller's own units", async () => {
    const res = await frivillig.mutation("offers.create", { ...offer({ title: "Falsk" }), ownerUnitId: units["Fjellheim idrettslag"] });
    expect(res.ok || res.error.data.appCode).toBe("FORBIDDEN");
    const own = await frivillig.mutationOk<{ offerId: string }>("offers.create", { ...offer({ title: "Turgruppe" }), ownerUnitId: units["Røde Kors Fjellheim"] });
    expect((await frivillig.queryOk<Offer>("offers.get", { offerId: own.offerId })).ownerUnit.name).toBe("Røde Kors Fjellheim");
    expect((await list(koordinator, { text: "Falsk" })).length).toBe(0);
  });

  test("an unpublished offer is seen by its own unit only: to anyone else it is NOT_FOUND, like a made-up id", async () => {
    const { offerId } = await idrettslag.mutationOk<{ offerId: string }>("offers.create", { ...offer({ title: "Utkast: svømming", published: false }), ownerUnitId: units["Fjellheim idrettslag"] });
    expect((await list(idrettslag, { text: "svømming" })).map((o) => o.id)).toEqual([offerId]);
    for (const client of [koordinator, frivillig]) {
      expect(await list(client, { text: "svømming" })).toEqual([]);
      for (const [path, input] of [["offers.get", { offerId }], ["offers.update", { offerId, ...offer() }], ["offers.archive", { offerId }]] as const) {
        const res = path === "offers.get" ? await client.query(path, input) : await client.mutation(path, input);
        expect(res.ok || res.error.data.appCode, path).toBe("NOT_FOUND");
      }
    }
  });

  test("archiving takes the offer out for everyone, its own unit included; every change is audited", async () => {
    const { offerId } = await idrettslag.mutationOk<{ offerId: string }>("offers.create", { ...offer({ title: "Arkiveres" }), ownerUnitId: units["Fjellheim idrettslag"] });
    await idrettslag.mutationOk("offers.update", { offerId, ...offer({ title: "Arkiveres snart" }) });
    await idrettslag.mutationOk("offers.archive", { offerId });
    expect((await list(idrettslag, { text: "Arkiveres" })).length).toBe(0);
    const again = await idrettslag.query("offers.get", { offerId });
    expect(again.ok || again.error.data.appCode).toBe("NOT_FOUND");
    const events = await app.db.selectFrom("audit_events").select(["action", "actor_unit_id", "case_id"]).where("resource_id", "=", offerId).orderBy("seq").execute();
    expect(events).toEqual(["offer.create", "offer.update", "offer.archive"].map((action) => ({ action, actor_unit_id: units["Fjellheim idrettslag"], case_id: null })));
  });
});

describe("bad input", () => {
  const bad: [string, Record<string, unknown>][] = [
    ["ageMax below ageMin", { ageMin: 12, ageMax: 8 }],
    ["a negative fee", { feeNok: -1 }],
    ["a fraction of a krone", { travelNok: 10.5 }],
    ["more free places than places", { capacity: 5, freePlaces: 6 }],
    ["an unknown category", { category: "poverty" }],
    ["an unknown support scheme", { supportSchemes: ["lav_inntekt"] }],
    ["a NUL in the title", { title: "Fot\u0000ball" }],
    ["a lone surrogate in the description", { description: "\uD800" }],
    ["an empty title", { title: "   " }],
    ["a bad e-mail", { contactEmail: "post@" }],
    ["a non-web address", { contactUrl: "javascript:alert(1)" }],
    ["a schedule closing before it opens", { schedule: { freq: "WEEKLY", byDay: ["TU"], opensAt: "19:00", closesAt: "17:30" } }],
    ["a DAILY schedule", { schedule: { freq: "DAILY", byDay: ["TU"], opensAt: "17:00", closesAt: "18:00" } }],
    ["a language that is no ISO 639-1 code", { languages: ["norsk"] }],
    ["an unknown field", { surname: "Hansen" }],
  ];

  test.each(bad)("%s is VALIDATION naming the field, and the offer stays as it was", async (_name, over) => {
    const offerId = await idOf(FOTBALL);
    const before = await idrettslag.queryOk<Offer>("offers.get", { offerId });
    const res = await idrettslag.mutation("offers.update", { offerId, ...offer(over) });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.data.appCode).toBe("VALIDATION");
    expect(Object.keys(res.error.data.fieldErrors ?? {}).length).toBeGreaterThan(0);
    expect(await idrettslag.queryOk<Offer>("offers.get", { offerId })).toEqual(before);
  });

  test("a refused create adds nothing", async () => {
    const count = async () => Number((await app.db.selectFrom("offers").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const n = await count();
    for (const [, over] of bad) {
      const res = await idrettslag.mutation("offers.create", { ...offer(over), ownerUnitId: units["Fjellheim idrettslag"] });
      expect(res.ok || res.error.data.appCode).toBe("VALIDATION");
    }
    expect(await count()).toBe(n);
  });
});
