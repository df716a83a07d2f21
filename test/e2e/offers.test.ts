import { beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD, demoUsers } from "../../server/src/demo/seed.ts";
import { createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInApi } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

// The offers directory in the browser (issue 12, item 1): Ivar Idrettslag, volunteer
// contact of Fjellheim idrettslag, adds an offer and changes it; Kari Koordinator filters
// the directory; the brochure for families lists Fjellheim idrettslag's football with
// what the family pays in all (1 200 + 600 = 1 800 kr per sesong), in bokmål and English,
// and nothing about a person.

const suite = browserSuite();
const CHILD = "Selma Brosjyresen";
const NEW_OFFER = "Innebandy for 10–13 år";
/** The way the UI writes 1 800 in Norwegian (Intl, with a no-break space). */
const nok = (n: number, locale: string) => n.toLocaleString(locale);

beforeAll(async () => {
  // A case with a named child exists: its name must never reach the directory or the brochure.
  const api = await signedInApi(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(api);
  await createChildCase(api, units["Fjellheim skole"]!, CHILD, 2016);
});

test("a volunteer contact adds and changes its own unit's offer, and may not change another organisation's", async () => {
  const { page } = await suite.signedIn("idrettslag@demo.laget.no");
  await page.goto(`${suite.server.url}/saker`);
  await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Tilbud", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Tilbud" }).waitFor();
  await page.getByRole("link", { name: "Fotball for 8–12 år" }).waitFor();
  await expectAccessible(page, "Tilbud, the directory");

  await page.getByRole("link", { name: "Nytt tilbud" }).click();
  await page.getByRole("heading", { level: 1, name: "Nytt tilbud" }).waitFor();
  // The owner unit picker holds the caller's own units only.
  const owner = page.getByLabel("Organisasjon eller enhet", { exact: true });
  expect((await owner.locator("option").allTextContents()).filter((o) => o !== "Velg enhet")).toEqual(["Fjellheim idrettslag"]);
  await owner.selectOption({ label: "Fjellheim idrettslag" });
  await page.getByLabel("Navn på tilbudet", { exact: true }).fill(NEW_OFFER);
  await page.getByLabel("Beskrivelse", { exact: true }).fill("Trening i hallen for nybegynnere. Kølle kan lånes.");
  await page.getByLabel("Type tilbud", { exact: true }).selectOption({ label: "Idrett" });
  await page.getByLabel("Laveste alder", { exact: true }).fill("10");
  await page.getByLabel("Høyeste alder", { exact: true }).fill("13");
  await page.getByLabel("Tider med ord", { exact: true }).fill("Mandager kl. 18.00–19.00");
  await page.getByLabel("Område", { exact: true }).fill("Fjellheim sentrum");
  await page.getByLabel("Sted", { exact: true }).fill("Fjellheimhallen");
  await page.getByLabel("Avgift (kr)", { exact: true }).fill("500");
  await page.getByLabel("Utstyr (kr)", { exact: true }).fill("200");
  await page.getByLabel("Reise (kr)", { exact: true }).fill("0");
  await page.getByText(`Familien betaler: ${nok(700, "nb-NO")} kr per sesong`).waitFor();
  await page.getByRole("group", { name: "Støtteordninger som gjelder" }).getByLabel("Fritidskortet kan brukes").check();
  await page.getByLabel("Ledige plasser nå", { exact: true }).fill("3");
  // Bad input is refused at the field, and nothing typed is lost.
  await page.getByLabel("E-post", { exact: true }).fill("post@");
  await expectAccessible(page, "Nytt tilbud, the editor");
  await page.getByRole("button", { name: "Legg inn tilbudet" }).click();
  await page.getByRole("alert").getByText("Noe er ikke riktig fylt ut").waitFor();
  await expect.poll(() => page.getByLabel("E-post", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  expect(await page.getByLabel("Navn på tilbudet", { exact: true }).inputValue()).toBe(NEW_OFFER);
  await page.getByLabel("E-post", { exact: true }).fill("post@fjellheim-il.example");
  await page.getByRole("button", { name: "Legg inn tilbudet" }).click();

  await page.getByRole("heading", { level: 1, name: NEW_OFFER }).waitFor();
  await page.getByText(`${nok(700, "nb-NO")} kr per sesong`, { exact: true }).waitFor();
  await page.getByText("3 ledige plasser").waitFor();

  // Changed: now full, with a waiting list.
  await page.getByRole("link", { name: "Endre tilbudet" }).click();
  await page.getByRole("heading", { level: 1, name: "Endre tilbud" }).waitFor();
  await page.getByLabel("Ledige plasser nå", { exact: true }).fill("0");
  await page.getByLabel("Tilbudet har venteliste", { exact: true }).check();
  await page.getByRole("button", { name: "Lagre endringene" }).click();
  await page.getByRole("heading", { level: 1, name: NEW_OFFER }).waitFor();
  await page.getByText("Fullt nå · Venteliste").waitFor();

  // Røde Kors' Leksehjelp: readable, not changeable.
  await page.getByRole("link", { name: "Tilbake til alle tilbud" }).click();
  await page.getByRole("link", { name: "Leksehjelp" }).click();
  await page.getByRole("heading", { level: 1, name: "Leksehjelp" }).waitFor();
  await page.getByText("Fra Røde Kors Fjellheim").waitFor();
  expect(await page.getByRole("link", { name: "Endre tilbudet" }).count()).toBe(0);
});

test("a staff user filters the directory; the brochure lists Fotball for 8–12 år at what the family pays in all, in bokmål and English, with no personal data", async () => {
  const { page } = await suite.signedIn("koordinator@demo.laget.no");
  await page.goto(`${suite.server.url}/tilbud`);
  await page.getByRole("heading", { level: 1, name: "Tilbud" }).waitFor();
  const results = page.getByRole("listitem").getByRole("heading", { level: 3 });
  await page.getByRole("link", { name: "Leksehjelp" }).waitFor();

  // Age 10, at most 2 000 kr, a free place now: the football (1 800 kr), homework help, lending; not Allidrett (full, 6–9).
  const search = page.getByRole("search", { name: "Finn tilbud" });
  await search.getByLabel("Barnets alder", { exact: true }).fill("10");
  await search.getByLabel("Høyeste pris for familien (kr)", { exact: true }).fill("2000");
  await search.getByLabel("Bare tilbud med ledig plass nå", { exact: true }).check();
  await search.getByRole("button", { name: "Vis tilbud" }).click();
  await expect.poll(() => results.allTextContents()).toEqual(["Fotball for 8–12 år", "Leksehjelp", "Utlån av sports- og friluftsutstyr"]);
  await expect.poll(() => page.url()).toContain("hasCapacity=1");

  // 1 799 kr leaves the football out: the limit is on fee + equipment + travel, not the fee (1 200).
  await search.getByLabel("Høyeste pris for familien (kr)", { exact: true }).fill("1799");
  await search.getByRole("button", { name: "Vis tilbud" }).click();
  await expect.poll(() => results.allTextContents()).toEqual(["Leksehjelp", "Utlån av sports- og friluftsutstyr"]);

  // Spoken in Arabic.
  await search.getByRole("button", { name: "Nullstill" }).click();
  await search.getByLabel("Språk som snakkes", { exact: true }).selectOption({ label: "arabisk" });
  await search.getByRole("button", { name: "Vis tilbud" }).click();
  await expect.poll(() => results.allTextContents()).toEqual(["Leksehjelp"]);

  // Sport for a nine-year-old, as a brochure.
  await search.getByRole("button", { name: "Nullstill" }).click();
  await search.getByLabel("Type tilbud", { exact: true }).selectOption({ label: "Idrett" });
  await search.getByLabel("Barnets alder", { exact: true }).fill("9");
  await search.getByRole("button", { name: "Vis tilbud" }).click();
  await expect.poll(() => results.allTextContents()).toEqual(["Allidrett for 6–9 år", "Fotball for 8–12 år"]);
  await page.getByRole("link", { name: "Lag brosjyre for familier" }).click();
  await page.getByRole("heading", { level: 1, name: "Brosjyre" }).waitFor();

  const brochure = page.getByRole("article", { name: "Fritidstilbud for barn og unge" });
  const football = brochure.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Fotball for 8–12 år" }) });
  await football.getByText(`${nok(1800, "nb-NO")} kr per sesong`, { exact: true }).waitFor();
  await football.getByText("Fritidskortet kan brukes").waitFor();
  await football.getByText("Utstyr kan lånes gratis").waitFor();
  await football.getByText("Fra Fjellheim idrettslag").waitFor();
  expect(await brochure.getByRole("heading", { level: 3 }).allTextContents()).toEqual(["Allidrett for 6–9 år", "Fotball for 8–12 år"]);
  await expectAccessible(page, "Brosjyre");

  // The brochure in English, the UI staying in bokmål.
  await page.getByLabel("Språk i brosjyren", { exact: true }).selectOption({ label: "English" });
  const english = page.getByRole("article", { name: "Leisure offers for children and young people" });
  const footballEn = english.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Fotball for 8–12 år" }) });
  await footballEn.getByText(`NOK ${nok(1800, "en-GB")} per season`, { exact: true }).waitFor();
  await footballEn.getByText("The leisure card (fritidskort) can be used").waitFor();
  expect(await english.getAttribute("lang")).toBe("en");
  await page.getByRole("heading", { level: 1, name: "Brosjyre" }).waitFor();

  // No personal data: no child in a case, no user's name or e-mail.
  for (const lang of ["nb", "en"]) {
    await page.getByLabel("Språk i brosjyren", { exact: true }).selectOption(lang);
    const text = await page.locator("main").innerText();
    const personal = [CHILD, ...demoUsers.flatMap((u) => [u.displayName, u.email])];
    expect(personal.filter((p) => text.includes(p)), lang).toEqual([]);
  }
  // A free offer says "Gratis".
  await page.goto(`${suite.server.url}/tilbud/brosjyre?category=homework_help&lang=nb`);
  await page.getByRole("article", { name: "Fritidstilbud for barn og unge" }).getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Leksehjelp" }) }).getByText("Gratis", { exact: true }).first().waitFor();
});
