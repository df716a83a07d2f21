import type { Page } from "playwright-core";
import { beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInApi, type HttpClient } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

// A biweekly flyt-møte from the series editor to approved minutes, in three browsers:
// Kari Koordinator (Fjellheim skole) organises and chairs, Hanne Helsesykepleier
// (Helsestasjonen) takes the minutes, and Nils NAV (NAV Fjellheim) has the case's plan open.
// Emma's case has consent for both other units for purpose meeting; Jonas's has none.

const suite = browserSuite();
let api: HttpClient;
let emmaCaseId: string;

const TITLE = "Flyt-møte Fjellheim";
const EMMA = "Emma Møtesen";
const JONAS = "Jonas Uten Samtykke";
// Monday 3 May 2027, every other Monday: 17 May 2027 (a holiday) falls on the third.
const START = "2027-05-03";
const KARI_TEXT = "Emma har hatt en fin uke på skolen.";
const HANNE_TEXT = "Helsesykepleier følger opp søvnen.";
const ACTION = "Samtaler med helsesykepleier hver tirsdag";

beforeAll(async () => {
  api = await signedInApi(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(api);
  const emma = await createChildCase(api, units["Fjellheim skole"]!, EMMA);
  emmaCaseId = emma.caseId;
  const { consentId } = await api.mutationOk<{ consentId: string }>("consents.create", {
    caseId: emmaCaseId,
    ...consentTerms(emma.subjectId, [units["Helsestasjonen"]!, units["NAV Fjellheim"]!]),
    // consentTerms covers identity and the plan; an agenda item's minutes are their own category.
    provisions: [units["Helsestasjonen"]!, units["NAV Fjellheim"]!].map((unitId) => ({
      unitId,
      actions: ["access"],
      purposes: ["coordination", "meeting"],
      categories: ["identity", "plan", "minutes"],
      denies: [],
    })),
  });
  await api.mutationOk("consents.activate", { consentId });
  await createChildCase(api, units["Fjellheim skole"]!, JONAS, 2012);
});

const editor = (page: Page, item: string) => page.getByRole("textbox", { name: `Referat for ${item}`, exact: true });
const itemCard = (page: Page, number: number, title: string) => page.getByRole("article", { name: `Punkt ${number}: ${title}`, exact: true });

async function openMeeting(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
  await page.getByRole("heading", { level: 2, name: "Dagsorden" }).waitFor();
}

test("a biweekly flyt-møte: holidays skipped in the preview, a named and an anonymous item, live minutes in two browsers, an action that lands in the open plan, approved and locked", async () => {
  const { page: kari } = await suite.signedIn("koordinator@demo.laget.no");

  // Møter in the main menu; the month view; a new series.
  await kari.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Møter", exact: true }).click();
  await kari.getByRole("heading", { level: 1, name: "Møter" }).waitFor();
  await kari.getByRole("button", { name: "Måned", exact: true }).waitFor();
  await expectAccessible(kari, "Møter, month view");
  await kari.getByRole("link", { name: "Ny møteserie" }).click();
  await kari.getByRole("heading", { level: 1, name: "Ny møteserie" }).waitFor();

  await kari.getByLabel("Type møte", { exact: true }).selectOption({ label: "Flyt-møte" });
  await kari.getByLabel("Tittel", { exact: true }).fill(TITLE);
  await kari.getByLabel("Arrangerende enhet", { exact: true }).selectOption({ label: "Fjellheim skole" });
  await kari.getByLabel("Møteleder", { exact: true }).selectOption({ label: "Kari Koordinator" });
  await kari.getByLabel("Referent", { exact: true }).selectOption({ label: "Hanne Helsesykepleier" });
  const units = kari.getByRole("group", { name: "Deltakende enheter" });
  await units.getByLabel("Helsestasjonen", { exact: true }).check();
  await units.getByLabel("NAV Fjellheim", { exact: true }).check();
  await kari.getByRole("button", { name: "Legg til deltaker uten bruker" }).click();
  const parent = kari.getByRole("group", { name: "Deltaker uten bruker 1" });
  await parent.getByLabel("Navn", { exact: true }).fill("Kari Møtesen");
  await parent.getByLabel("Rolle", { exact: true }).fill("Mor");
  await kari.getByLabel("Møtested", { exact: true }).fill("Møterom 2, Fjellheim skole");
  await kari.getByLabel("Dato for første møte", { exact: true }).fill(START);
  await kari.getByLabel("Klokkeslett", { exact: true }).fill("09:00");

  // A bad interval is answered at its field.
  await kari.getByLabel("Gjentas", { exact: true }).selectOption({ label: "Ukentlig" });
  await kari.getByLabel("Hvor ofte", { exact: true }).fill("0");
  await kari.getByRole("button", { name: "Opprett møteserien" }).click();
  const interval = kari.getByLabel("Hvor ofte", { exact: true });
  await kari.locator(".field--error", { has: interval }).getByText("Skriv et tall fra 1 til 52.").waitFor();
  expect(await interval.getAttribute("aria-invalid")).toBe("true");

  // Every other week, holidays skipped: the preview shows 17 May struck through.
  await interval.fill("2");
  await kari.getByLabel("Hopp over møter på helligdager", { exact: true }).check();
  const preview = kari.getByRole("region", { name: "De neste ti møtene" });
  await preview.getByText("Hoppes over: 17. mai").waitFor();
  expect(await preview.locator("li.series-preview__item--skipped s").first().textContent()).toMatch(/17\. mai 2027/);
  expect(await preview.getByRole("listitem").count()).toBe(10);
  await expectAccessible(kari, "series editor with preview");
  await kari.getByRole("button", { name: "Opprett møteserien" }).click();

  // Back in the month of the first meeting: 3 May and 31 May, not 17 May.
  await kari.getByRole("heading", { level: 2, name: "Mai 2027" }).waitFor();
  const month = kari.locator("table.month-view");
  await month.getByRole("link", { name: new RegExp(`09:00 ${TITLE}`) }).first().waitFor();
  const days = await month.locator("td", { has: kari.getByRole("link", { name: new RegExp(TITLE) }) }).locator(".month-view__date").allTextContents();
  expect(days).toEqual(["3", "31"]);
  await kari.getByRole("button", { name: "Uke", exact: true }).click();
  await kari.getByRole("heading", { level: 3, name: "Mandag 3. mai" }).waitFor();
  await kari.getByRole("button", { name: "Måned", exact: true }).click();
  await month.getByRole("link", { name: new RegExp(`09:00 ${TITLE}`) }).first().click();
  await kari.getByRole("heading", { level: 1, name: TITLE }).waitFor();
  const meetingUrl = kari.url();

  // A named case with consent for every participating unit.
  const add = kari.getByRole("region", { name: "Legg til på dagsordenen" });
  await add.getByLabel("Sak", { exact: true }).selectOption({ label: EMMA });
  await add.getByText("Samtykket dekker alle deltakende enheter for møter.").waitFor();
  await add.getByRole("button", { name: "Legg til", exact: true }).click();
  await kari.getByText("Punktet er lagt til på dagsordenen.").waitFor();
  await itemCard(kari, 2, EMMA).waitFor();

  // A case without consent: the units that lack it are named; "Drøft anonymt" prefills the anonymous form.
  await add.getByLabel("Sak", { exact: true }).selectOption({ label: JONAS });
  await add.getByText(/Samtykket dekker ikke disse enhetene for møter: .*Helsestasjonen/).waitFor();
  await add.getByRole("link", { name: "Gå til samtykket i saken" }).waitFor();
  await add.getByRole("button", { name: "Drøft anonymt" }).click();
  const pseudonym = add.getByLabel("Kallenavn", { exact: true });
  expect(await pseudonym.inputValue()).toMatch(/^Barn, \d+ år$/);
  await add.getByText(/Skriv ingenting som kan identifisere barnet/).waitFor();
  await pseudonym.fill("Gutt, 14 år");
  await add.getByLabel("Hva skal drøftes?", { exact: true }).fill("Mye fravær siste måned. Hva kan skolen og NAV gjøre?");
  await add.getByRole("button", { name: "Legg til", exact: true }).click();
  await itemCard(kari, 3, "Gutt, 14 år").waitFor();
  await expectAccessible(kari, "meeting page with three items");

  // The meeting downloads as .ics, with a neutral summary: no case, no external participant.
  const icsHref = await kari.getByRole("link", { name: "Last ned til kalenderen (.ics)" }).getAttribute("href");
  const ics = await kari.request.get(`${suite.server.url}${icsHref}`);
  expect(ics.status()).toBe(200);
  expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
  const icsText = await ics.text();
  expect(icsText).toContain("BEGIN:VEVENT");
  expect(icsText).toContain("SUMMARY:Flyt-møte");
  for (const secret of [EMMA, "Gutt, 14 år", "Kari Møtesen", TITLE]) expect(icsText).not.toContain(secret);

  // Keyboard order: the anonymous item up above Emma (as the server keeps it), and back down.
  const printHref = await kari.getByRole("link", { name: "Skriv ut referatet" }).getAttribute("href");
  const meetingId = /\/moter\/mote\/([^/]+)\/utskrift/.exec(printHref ?? "")![1]!;
  const serverOrder = async () => {
    const { items } = await api.queryOk<{ items: { kind: string; position: number; pseudonym: string | null; caseLabel: string | null }[] }>("agenda.list", { meetingId });
    return [...items].sort((a, b) => a.position - b.position).map((i) => i.pseudonym ?? i.caseLabel ?? i.kind);
  };
  await kari.getByRole("button", { name: "Flytt «Gutt, 14 år» opp" }).click();
  await itemCard(kari, 2, "Gutt, 14 år").waitFor();
  await expect.poll(serverOrder).toEqual(["general", "Gutt, 14 år", EMMA]);
  await kari.getByRole("button", { name: "Flytt «Gutt, 14 år» ned" }).click();
  await itemCard(kari, 3, "Gutt, 14 år").waitFor();
  await itemCard(kari, 2, EMMA).waitFor();
  await expect.poll(serverOrder).toEqual(["general", EMMA, "Gutt, 14 år"]);

  // The minute-taker opens the same meeting; both write in Emma's minutes and see each other.
  const { page: hanne } = await suite.signedIn("helsesykepleier@demo.laget.no");
  await openMeeting(hanne, meetingUrl);
  await editor(kari, EMMA).click();
  await kari.keyboard.type(KARI_TEXT);
  await editor(hanne, EMMA).getByText(KARI_TEXT).waitFor();
  await itemCard(hanne, 2, EMMA).getByRole("list", { name: "Skriver nå:" }).getByText("Kari Koordinator", { exact: true }).waitFor();
  await editor(hanne, EMMA).click();
  await hanne.keyboard.press("ControlOrMeta+End");
  await hanne.keyboard.press("Enter");
  await hanne.keyboard.type(HANNE_TEXT);
  await editor(kari, EMMA).getByText(HANNE_TEXT).waitFor();
  await kari.locator(".collaboration-carets__label", { hasText: "Hanne Helsesykepleier" }).waitFor();
  await expectAccessible(hanne, "meeting page with live minutes (minute-taker)");

  // NAV has Emma's plan open in a third browser.
  const { page: nils } = await suite.signedIn("nav@demo.laget.no");
  await nils.goto(`${suite.server.url}/saker/${emmaCaseId}/plan`);
  await nils.getByRole("heading", { level: 2, name: "Familiens plan" }).waitFor();
  await nils.getByRole("status").getByText("Tilkoblet", { exact: true }).waitFor();
  expect(await nils.getByRole("group", { name: `Tiltak: ${ACTION}`, exact: true }).count()).toBe(0);

  // An action with a responsible person becomes a measure in the plan, live.
  const emmaItem = itemCard(kari, 2, EMMA);
  const outcome = emmaItem.getByRole("group", { name: "Nytt utfall" });
  await outcome.getByLabel("Type utfall", { exact: true }).selectOption({ label: "Tiltak" });
  await outcome.getByLabel("Hva", { exact: true }).fill(ACTION);
  await outcome.getByLabel("Ansvarlig enhet", { exact: true }).selectOption({ label: "Helsestasjonen" });
  await outcome.getByLabel("Ansvarlig person", { exact: true }).selectOption({ label: "Hanne Helsesykepleier" });
  await outcome.getByRole("button", { name: "Legg til utfall" }).click();
  await kari.getByText("Utfallet er lagt til.").waitFor();
  await emmaItem.getByRole("button", { name: "Gjør til tiltak i tiltaksplanen" }).click();
  await emmaItem.getByText("Ligger i tiltaksplanen").waitFor();
  const measure = nils.getByRole("group", { name: `Tiltak: ${ACTION}`, exact: true });
  await measure.waitFor();
  // The measure says which meeting decided it, and links there.
  await measure.getByRole("link", { name: "Åpne møtet" }).waitFor();

  // The minutes go to review and are approved by the chair: locked in both browsers.
  await kari.getByRole("button", { name: "Send til gjennomgang" }).click();
  await kari.getByText("Status: Til gjennomgang", { exact: true }).waitFor();
  await kari.getByRole("button", { name: "Godkjenn referat" }).click();
  await kari.getByText("Status: Godkjent, versjon 1", { exact: true }).waitFor();
  await expect.poll(() => editor(kari, EMMA).getAttribute("contenteditable"), { timeout: 15_000 }).toBe("false");
  await expect.poll(() => editor(hanne, EMMA).getAttribute("contenteditable"), { timeout: 15_000 }).toBe("false");
  expect(await editor(kari, EMMA).getAttribute("aria-readonly")).toBe("true");
  await kari.getByText("Referatet er godkjent og låst.").first().waitFor();
  await expectAccessible(kari, "meeting with approved minutes");

  // The print view has the minutes and the outcome.
  await kari.getByRole("link", { name: "Skriv ut referatet" }).click();
  await kari.getByRole("heading", { level: 1, name: `Referat: ${TITLE}` }).waitFor();
  await kari.getByText(KARI_TEXT).waitFor();
  await kari.getByText(`Tiltak: ${ACTION}`).waitFor();
  await expectAccessible(kari, "minutes print view");

  // The case page lists the meeting where the case was discussed.
  await kari.goto(`${suite.server.url}/saker/${emmaCaseId}`);
  const caseMeetings = kari.getByRole("region", { name: "Møter" });
  await caseMeetings.getByRole("link", { name: TITLE }).click();
  await kari.getByRole("heading", { level: 1, name: TITLE }).waitFor();
});


/** At 360 px wide (a small phone): nothing scrolls sideways, and axe is still clean. */
async function fitsNarrow(page: Page, where: string): Promise<void> {
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `sideways scrolling at 360 px on ${where}`).toBeLessThanOrEqual(0);
  await expectAccessible(page, `${where} at 360 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

const dayCell = (page: Page, day: number) => page.locator("table.month-view td", { has: page.locator(".month-view__date", { hasText: new RegExp(`^${day}$`) }) });

test("approved minutes are corrected as version 2 with a reason; one meeting is moved and another cancelled, as the calendar shows", async () => {
  const { page: kari } = await suite.signedIn("koordinator@demo.laget.no");
  await kari.goto(`${suite.server.url}/moter?visning=maned&dato=${START}`);
  await dayCell(kari, 3).getByRole("link", { name: new RegExp(TITLE) }).first().click();
  await kari.getByRole("heading", { level: 2, name: "Dagsorden" }).waitFor();

  // A correction needs a reason; then the minutes are open again and approved as version 2.
  await kari.getByRole("button", { name: "Rett referat" }).click();
  await kari.getByRole("button", { name: "Åpne referatet for retting" }).click();
  const reason = kari.getByLabel("Hvorfor skal referatet rettes?", { exact: true });
  await kari.locator(".field--error", { has: reason }).getByText("Skriv hvorfor referatet skal rettes.").waitFor();
  await reason.fill("Feil dato for samtalene.");
  await kari.getByRole("button", { name: "Åpne referatet for retting" }).click();
  await kari.getByText("Status: Utkast, versjon 1", { exact: true }).waitFor();
  await expect.poll(() => editor(kari, EMMA).getAttribute("contenteditable"), { timeout: 15_000 }).toBe("true");
  await editor(kari, EMMA).click();
  await kari.keyboard.press("ControlOrMeta+End");
  await kari.keyboard.type(" Rettet.");
  await kari.getByRole("button", { name: "Godkjenn referat" }).click();
  await kari.getByText("Status: Godkjent, versjon 2", { exact: true }).waitFor();
  await expect.poll(() => editor(kari, EMMA).getAttribute("contenteditable"), { timeout: 15_000 }).toBe("false");

  // "Bare dette møtet": 31 May moves to Tuesday 1 June.
  await kari.goto(`${suite.server.url}/moter?visning=maned&dato=${START}`);
  await dayCell(kari, 31).getByRole("link", { name: new RegExp(TITLE) }).click();
  await kari.getByRole("heading", { level: 1, name: TITLE }).waitFor();
  await kari.getByRole("link", { name: "Endre møtet eller serien" }).click();
  await kari.getByRole("heading", { level: 1, name: "Endre møtet 31. mai 2027" }).waitFor();
  expect(await kari.getByLabel("Bare dette møtet", { exact: true }).isChecked()).toBe(true);
  await expectAccessible(kari, "editing one meeting of a series");
  await kari.getByLabel("Dato for første møte", { exact: true }).fill("2027-06-01");
  await kari.getByRole("button", { name: "Lagre endringene" }).click();
  await kari.getByRole("heading", { level: 2, name: "Dagsorden" }).waitFor();
  await kari.goto(`${suite.server.url}/moter?visning=maned&dato=2027-06-01`);
  await kari.getByRole("heading", { level: 2, name: "Juni 2027" }).waitFor();
  const moved = dayCell(kari, 1).getByRole("link", { name: new RegExp(TITLE) });
  await moved.getByText("Flyttet", { exact: true }).waitFor();
  expect(await dayCell(kari, 31).getByRole("link", { name: new RegExp(TITLE) }).count()).toBe(0);

  // The 14 June meeting is cancelled: struck through and marked in the calendar, and live
  // in the minute-taker's open calendar (the per-user event stream), without a reload.
  const { page: hanne } = await suite.signedIn("helsesykepleier@demo.laget.no");
  await hanne.goto(`${suite.server.url}/moter?visning=maned&dato=2027-06-01`);
  await dayCell(hanne, 14).getByRole("link", { name: new RegExp(TITLE) }).waitFor();
  expect(await dayCell(hanne, 14).getByText("Avlyst", { exact: true }).count()).toBe(0);
  await dayCell(kari, 14).getByRole("link", { name: new RegExp(TITLE) }).click();
  await kari.getByRole("button", { name: "Avlys dette møtet" }).click();
  await kari.getByRole("button", { name: "Avlys møtet" }).click();
  await kari.getByText("Møtet er avlyst.").waitFor();
  await kari.getByRole("link", { name: "Tilbake til Møter" }).click();
  const cancelled = dayCell(kari, 14).getByRole("link", { name: new RegExp(TITLE) });
  await cancelled.locator("s", { hasText: TITLE }).waitFor();
  await cancelled.getByText("Avlyst", { exact: true }).waitFor();
  await dayCell(hanne, 14).getByRole("link", { name: new RegExp(TITLE) }).getByText("Avlyst", { exact: true }).waitFor();
  await expectAccessible(kari, "month view with a moved and a cancelled meeting");
  await fitsNarrow(kari, "month view");

  // The list starts at the day in the address (14 June, where Back left us); the 60 days
  // before it have the moved meeting under its new day. (Waiting right after "Liste" would
  // pass on the month's data still shown while the list loads, so the test steps back
  // to a range the month's data does not cover.)
  await kari.getByRole("button", { name: "Liste", exact: true }).click();
  await kari.waitForURL(/visning=liste&dato=2027-06-14/);
  await kari.getByRole("button", { name: "Forrige 60 dager", exact: true }).click();
  await kari.waitForURL(/visning=liste&dato=2027-04-15/);
  await kari.getByRole("heading", { level: 3, name: "Tirsdag 1. juni" }).waitFor();
  await fitsNarrow(kari, "list view");
});
