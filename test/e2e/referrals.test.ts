import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInHttp } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

const suite = browserSuite();

const CHILD = "Emil Fjellstad";
const FIRST_NAME = "Emil";
const SURNAME = "Fjellstad";
const OFFER = "Fotball for 8–12 år";
const VOLUNTEER_UNIT = "Fjellheim idrettslag";
const today = new Date().toISOString().slice(0, 10);

/** Signs in through the login page in a context of its own, and waits for the page Laget opens on. */
async function signIn(email: string, landing: string): Promise<Page> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "nb-NO" });
  const page = await context.newPage();
  await page.goto(`${suite.server.url}/login`);
  await page.getByLabel("E-post", { exact: true }).fill(email);
  await page.getByLabel("Passord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await page.getByRole("heading", { level: 1, name: landing }).waitFor();
  return page;
}

/** The surname never reaches the volunteer organisation: not in the page's text, nor in any attribute. */
async function expectNoSurname(page: Page, where: string): Promise<void> {
  const html = await page.content();
  expect(html.includes(SURNAME), `the child's surname on ${where}`).toBe(false);
}

test("a coordinator refers a child from the case to an offer; the volunteer contact lands on the inbox, claims and accepts it; the coordinator sees it live", async () => {
  const coordinator = await signIn("koordinator@demo.laget.no", "Saker");

  // A case about a child of about nine.
  await coordinator.getByRole("link", { name: "Ny sak" }).click();
  await coordinator.getByLabel("Navn", { exact: true }).fill(CHILD);
  await coordinator.getByLabel("Fødselsdato", { exact: true }).fill(`${new Date().getFullYear() - 9}-01-15`);
  await coordinator.getByRole("button", { name: "Opprett sak" }).click();
  await coordinator.getByRole("heading", { level: 1, name: `Sak: ${CHILD}` }).waitFor();
  const caseId = coordinator.url().split("/saker/")[1]!;
  const tabs = coordinator.getByRole("navigation", { name: "Saken" });

  // Without a consent for it, the Henvisninger tab says what is missing and links to the consent tab.
  await tabs.getByRole("link", { name: "Henvisninger" }).click();
  await coordinator.getByRole("heading", { name: "Ny henvisning" }).waitFor();
  await coordinator.getByLabel("Mottaker", { exact: true }).selectOption({ label: `${OFFER} (${VOLUNTEER_UNIT})` });
  await coordinator.getByText(`Samtykket dekker ikke henvisning til ${VOLUNTEER_UNIT}.`, { exact: false }).waitFor();
  expect(await coordinator.getByRole("button", { name: "Send henvisning" }).isDisabled()).toBe(true);
  await coordinator.getByRole("link", { name: "Registrer samtykke for henvisning" }).click();
  await coordinator.waitForURL(`**/saker/${caseId}/samtykke`);

  // The consent names the idrettslag in the section for volunteer organisations: referral only.
  await coordinator.getByRole("button", { name: "Registrer samtykke" }).click();
  await coordinator.getByRole("heading", { name: "Registrer samtykke" }).waitFor();
  await coordinator.getByLabel("Navn, samtykkegiver 1", { exact: true }).fill("Mona Fjellstad");
  await coordinator.getByLabel("Dato barnet ble hørt", { exact: true }).fill(today);
  await coordinator.getByLabel("Hvordan barnet ble hørt", { exact: true }).fill("Samtale med kontaktlærer");
  await coordinator.getByLabel("Hva barnet selv mener", { exact: true }).fill("Emil vil gjerne spille fotball.");
  await coordinator.getByLabel("Versjon av informasjonsteksten", { exact: true }).fill("2026-1");
  const referralSection = coordinator.getByRole("group", { name: "Henvisning til frivillige" });
  // Volunteer units are not rows of the sharing matrix: they never get the case.
  expect(await coordinator.getByLabel(`${VOLUNTEER_UNIT}: Identitet`, { exact: true }).count()).toBe(0);
  await referralSection.getByLabel(`Henvisning til ${VOLUNTEER_UNIT}`, { exact: true }).check();
  await expectAccessible(coordinator, "consent form with the referral section");
  await coordinator.getByRole("button", { name: "Lagre som utkast" }).click();
  await coordinator.getByText("Samtykket er lagret som utkast.", { exact: false }).waitFor();
  await coordinator.getByRole("button", { name: "Aktiver" }).click();
  await coordinator.getByText("Samtykket er aktivert.", { exact: false }).waitFor();

  // What the form sent for the volunteer unit is exactly a referral provision.
  const api = await signedInHttp(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(api);
  const consents = await api.queryOk<{ id: string; provisions: { unitId: string }[] }[]>("consents.list", { caseId });
  expect(consents[0]!.provisions).toEqual([{ unitId: units[VOLUNTEER_UNIT], actions: ["access"], purposes: ["referral"], categories: ["identity"], denies: [] }]);

  // The referral: first name and age prefilled, the preview beside the form shows what the recipient gets.
  await tabs.getByRole("link", { name: "Henvisninger" }).click();
  await coordinator.getByRole("heading", { name: "Ny henvisning" }).waitFor();
  await coordinator.getByLabel("Mottaker", { exact: true }).selectOption({ label: `${OFFER} (${VOLUNTEER_UNIT})` });
  await coordinator.getByText("Sendes med samtykke, versjon 1.", { exact: true }).waitFor();
  const firstName = coordinator.getByLabel("Fornavn", { exact: true });
  await expect.poll(() => firstName.inputValue()).toBe(FIRST_NAME);
  expect(await coordinator.getByLabel("Alder", { exact: true }).inputValue()).toBe("9");
  await coordinator.getByLabel("Telefon eller e-post", { exact: true }).fill("900 00 000");
  await coordinator.getByLabel("Hva ønsker barnet eller familien?", { exact: true }).fill("Vil gjerne spille fotball med jevnaldrende.");
  await coordinator.getByLabel("Når passer det?", { exact: true }).fill("Ettermiddager");
  await coordinator.getByLabel("Betaling", { exact: true }).selectOption({ label: "Betales av støtteordningen (fritidskortet)" });
  const preview = coordinator.getByTestId("referral-preview");
  await preview.locator('[data-field="firstName"] dd').getByText(FIRST_NAME, { exact: true }).waitFor();
  await preview.getByText("Vil gjerne spille fotball med jevnaldrende.", { exact: true }).waitFor();
  await preview.getByText(OFFER, { exact: true }).waitFor();
  expect(await preview.textContent()).not.toContain(SURNAME);
  await expectAccessible(coordinator, "referral form with its preview");
  await coordinator.getByRole("button", { name: "Send henvisning" }).click();
  await coordinator.getByText(`Henvisningen er sendt til ${OFFER}.`, { exact: true }).waitFor();
  const sentCard = coordinator.getByTestId("case-referral").filter({ hasText: OFFER });
  await sentCard.getByText("Sendt", { exact: true }).waitFor();

  // The idrettslag's volunteer contact, elsewhere, lands on the inbox: no Saker in the menu.
  const volunteer = await signIn("idrettslag@demo.laget.no", "Henvisninger");
  expect(volunteer.url()).toMatch(/\/henvisninger$/);
  const nav = volunteer.getByRole("navigation", { name: "Hovedmeny" });
  // Their inbox, the offers and Meldinger (they write to colleagues); never Saker or Tiltak, and Møter only with a meeting to go to.
  const links = (await nav.getByRole("link").allTextContents()).map((text) => text.trim());
  expect(links).toEqual(["Meldinger", "Henvisninger", "Tilbud"]);
  await volunteer.getByRole("heading", { name: "Henvisninger til dere" }).waitFor();
  await expectNoSurname(volunteer, "the inbox");
  await expectAccessible(volunteer, "volunteer inbox");

  // The referral: the minimum data, then claimed and accepted with the moves the server offers.
  await volunteer.getByRole("link", { name: FIRST_NAME, exact: true }).click();
  await volunteer.getByRole("heading", { level: 1, name: `Henvisning for ${FIRST_NAME}` }).waitFor();
  const data = volunteer.getByTestId("referral-data");
  await data.getByText("Vil gjerne spille fotball med jevnaldrende.", { exact: true }).waitFor();
  await data.getByText("Betales av støtteordningen (fritidskortet)", { exact: true }).waitFor();
  expect(await volunteer.getByRole("button", { name: "Aksepter" }).count()).toBe(0);
  await expectNoSurname(volunteer, "the referral");
  await expectAccessible(volunteer, "referral page (volunteer)");
  await volunteer.getByRole("button", { name: "Jeg tar denne" }).click();
  await volunteer.getByText("Endringen er lagret: Mottatt.", { exact: true }).waitFor();
  // The claim reaches the coordinator's open tab through the event stream alone (no notification is sent for it).
  await sentCard.getByText("Mottatt", { exact: true }).waitFor();
  await volunteer.getByRole("button", { name: "Aksepter" }).click();
  await volunteer.getByText("Endringen er lagret: Akseptert.", { exact: true }).waitFor();
  await volunteer.locator(".referral-history").getByText("Akseptert", { exact: false }).waitFor();
  await expectNoSurname(volunteer, "the accepted referral");

  // The coordinator's tab, never reloaded, shows the answer.
  await sentCard.getByText("Akseptert", { exact: true }).waitFor();
  expect(coordinator.url()).toContain(`/saker/${caseId}/henvisninger`);

  // The family withdraws the consent: Laget cancels the referral, the volunteer's open page says so
  // without the child's name, and the coordinator's tab reads Trukket, both without reloading.
  await api.mutationOk("consents.withdraw", { consentId: consents[0]!.id, reason: "Familien trakk samtykket" });
  await volunteer.getByText("Henvisningen er trukket", { exact: true }).waitFor();
  expect(await volunteer.getByTestId("referral-data").count()).toBe(0);
  expect(await volunteer.getByRole("heading", { level: 1 }).textContent()).toBe("Henvisning");
  expect(await volunteer.getByRole("button", { name: "Aksepter" }).count()).toBe(0);
  await sentCard.getByText("Trukket", { exact: true }).waitFor();

  // Henvisninger: the volunteer's inbox keeps only a withdrawn row; the coordinator's sent box shows the same status.
  await volunteer.getByRole("link", { name: "Til Henvisninger" }).click();
  await volunteer.getByRole("link", { name: "Trukket", exact: true }).waitFor();
  expect(await volunteer.getByRole("link", { name: FIRST_NAME, exact: true }).count()).toBe(0);
  await coordinator.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Henvisninger" }).click();
  await coordinator.getByRole("heading", { name: "Henvisninger du har sendt" }).waitFor();
  const sentRow = coordinator.getByRole("row").filter({ hasText: OFFER });
  await sentRow.locator('[data-status="cancelled"]').getByText("Trukket", { exact: true }).waitFor();
  await expectAccessible(coordinator, "sent referrals");
});

test("an SLT coordinator opens on Møter, without Saker in the menu", async () => {
  const slt = await signIn("slt@demo.laget.no", "Møter");
  const nav = slt.getByRole("navigation", { name: "Hovedmeny" });
  await nav.getByRole("link", { name: "Møter" }).waitFor();
  expect((await nav.getByRole("link").allTextContents()).map((text) => text.trim())).toEqual(["Meldinger", "Møter", "Tilbud"]);
  // Saker leads to the start page for those outside case work.
  await slt.goto(`${suite.server.url}/saker`);
  await slt.getByRole("heading", { level: 1, name: "Møter" }).waitFor();
});
