import type { BrowserContext, Locator, Page } from "playwright-core";
import { beforeAll, expect, test } from "vitest";
import { readPlan } from "@laget/plan";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { connectPlan, eventually } from "../../server/src/plans/test-client.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInApi, type HttpClient } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

// The live plan in two browsers: the coordinator (Fjellheim skole, owns the case) and the
// health nurse (Helsestasjonen, by consent) edit the same plan at the same time.

let api: HttpClient;
let caseId: string;
let consentId: string;
let kari: Page;
let hanne: Page;
let hanneContext: BrowserContext;

const CHILD = "Emma Plassen";
const GOAL = "Vi vil at Emma skal trives på skolen og sove godt om natta.";
const MEASURE = "Samtaler med helsesykepleier";
const OFFLINE_TEXT = "Hver tirsdag etter storefri.";
const RELOAD_TEXT = "Emma sier samtalene hjelper.";
const CONNECTED = "Tilkoblet";
const OFFLINE = "Frakoblet – endringene lagres lokalt og sendes når du er tilkoblet igjen";

function isoDay(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

const suite = browserSuite();

beforeAll(async () => {
  api = await signedInApi(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(api);
  let subjectId: string;
  ({ caseId, subjectId } = await createChildCase(api, units["Fjellheim skole"]!, CHILD));
  // Consent covering the plan (and identity) for Helsestasjonen.
  ({ consentId } = await api.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) }));
  await api.mutationOk("consents.activate", { consentId });
});

function signedIn(email: string): Promise<{ page: Page; context: BrowserContext }> {
  return suite.signedIn(email);
}

async function openPlan(page: Page): Promise<void> {
  await page.goto(`${suite.server.url}/saker/${caseId}/plan`);
  await page.getByRole("heading", { level: 2, name: "Familiens plan" }).waitFor();
  await connection(page, CONNECTED);
}

/** At 360 px wide (a small phone): nothing scrolls sideways, and axe is still clean. */
async function fitsNarrow(page: Page, where: string): Promise<void> {
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `sideways scrolling at 360 px on ${where}`).toBeLessThanOrEqual(0);
  await expectAccessible(page, `${where} at 360 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

const connection = (page: Page, text: string) => page.getByRole("status").getByText(text, { exact: true }).waitFor();
const measureCard = (page: Page) => page.getByRole("group", { name: `Tiltak: ${MEASURE}`, exact: true });
const notes = (page: Page) => page.getByRole("textbox", { name: "Notater til planen", exact: true });
const valueOf = (field: Locator) => () => field.inputValue();

test("two people edit one plan live: goals, measures, presence, notes with cursors; offline edits merge", async () => {
  ({ page: kari } = await signedIn("koordinator@demo.laget.no"));
  ({ page: hanne, context: hanneContext } = await signedIn("helsesykepleier@demo.laget.no"));

  // The Plan tab is a link among the case's tabs.
  await kari.goto(`${suite.server.url}/saker/${caseId}`);
  await kari.getByRole("navigation", { name: "Saken" }).getByRole("link", { name: "Plan", exact: true }).click();
  await kari.getByRole("heading", { level: 2, name: "Familiens plan" }).waitFor();
  await connection(kari, CONNECTED);
  await openPlan(hanne);

  // Presence: each sees the other.
  await kari.getByRole("list", { name: "Har planen åpen nå:" }).getByText("Hanne Helsesykepleier", { exact: true }).waitFor();
  await hanne.getByRole("list", { name: "Har planen åpen nå:" }).getByText("Kari Koordinator", { exact: true }).waitFor();
  // The default life domains.
  for (const domain of ["Arbeid", "Bolig", "Økonomi", "Barnas situasjon", "Helse", "Skole og barnehage", "Fritid"]) {
    await kari.getByRole("heading", { level: 4, name: domain }).waitFor();
  }
  await expectAccessible(kari, "plan (coordinator)");

  // Kari writes the family's goal in their own words; Hanne sees it at once.
  await kari.getByLabel("Nytt mål, med familiens egne ord", { exact: true }).fill(GOAL);
  await kari.getByRole("group", { name: "Nytt mål", exact: true }).getByLabel("Livsområde", { exact: true }).selectOption({ label: "Barnas situasjon" });
  await kari.getByRole("button", { name: "Legg til mål" }).click();
  await kari.getByText("Målet er lagt til.").waitFor();
  const hanneGoal = hanne.getByRole("group", { name: "Mål 1", exact: true }).getByLabel("Målet, med familiens egne ord", { exact: true });
  await expect.poll(valueOf(hanneGoal)).toBe(GOAL);
  // The server saves a first version a moment later (restored at the end).
  await expect.poll(async () => (await api.queryOk<unknown[]>("plans.revisions", { caseId })).length, { timeout: 15_000, interval: 250 }).toBe(1);

  // Hanne adds a measure under Helse; Kari sees it and fills in who and when.
  const add = hanne.getByRole("group", { name: "Nytt tiltak", exact: true });
  await add.getByLabel("Hva skal gjøres?", { exact: true }).fill(MEASURE);
  await add.getByLabel("Livsområde", { exact: true }).selectOption({ label: "Helse" });
  await add.getByRole("button", { name: "Legg til tiltak" }).click();
  await hanne.getByText(`Tiltaket «${MEASURE}» er lagt til.`).waitFor();
  const kariCard = measureCard(kari);
  await kariCard.waitFor();
  await kariCard.getByText("Mangler: ansvarlig tjeneste, ansvarlig person, frist, evalueringsdato.").waitFor();
  await kariCard.getByLabel("Ansvarlig tjeneste", { exact: true }).selectOption({ label: "Fjellheim skole" });
  await kariCard.getByLabel("Ansvarlig person", { exact: true }).selectOption({ label: "Kari Koordinator" });
  await kariCard.getByLabel("Frist", { exact: true }).fill(isoDay(7));
  await kariCard.getByLabel("Evalueringsdato", { exact: true }).fill(isoDay(30));
  await kariCard.getByLabel("Mål tiltaket hører til", { exact: true }).selectOption({ index: 1 });
  const hanneCard = measureCard(hanne);
  await expect.poll(valueOf(hanneCard.getByLabel("Frist", { exact: true }))).toBe(isoDay(7));
  await expect.poll(valueOf(hanneCard.getByLabel("Ansvarlig person", { exact: true }))).not.toBe("");
  // The evaluation date and the goal were set after the deadline: they may reach her a moment later.
  await expect.poll(() => hanneCard.getByText("Mangler:").count()).toBe(0);
  await expectAccessible(hanne, "plan with a goal and a measure (nurse)");
  await fitsNarrow(hanne, "plan with a goal and a measure (nurse)");

  // Notes: Hanne types, Kari sees the text and Hanne's cursor; and the other way round.
  await notes(hanne).click();
  await hanne.keyboard.type("Emma sover bedre nå.");
  await kari.locator(".plan-notes__editor").getByText("Emma sover bedre nå.").waitFor();
  await kari.locator(".collaboration-carets__label", { hasText: "Hanne Helsesykepleier" }).waitFor();
  await notes(kari).click();
  await kari.keyboard.press("End");
  await kari.keyboard.type(" Mor er enig.");
  await hanne.locator(".plan-notes__editor").getByText("Emma sover bedre nå. Mor er enig.").waitFor();
  await hanne.locator(".collaboration-carets__label", { hasText: "Kari Koordinator" }).waitFor();
  await expectAccessible(kari, "plan notes with a live cursor");

  // Hanne goes offline and edits; Kari edits another field meanwhile.
  await hanneContext.setOffline(true);
  await connection(hanne, OFFLINE);
  await expectAccessible(hanne, "plan while offline");
  await hanneCard.getByLabel("Beskrivelse", { exact: true }).fill(OFFLINE_TEXT);
  await kariCard.getByLabel("Status", { exact: true }).selectOption({ label: "I gang" });
  // Kari's edit has reached the server (a fresh reader has it), and still not Hanne; hers did not leave her device.
  const witness = connectPlan(suite.server.url, api.cookie, caseId);
  await witness.ready;
  await eventually(() => expect(readPlan(witness.doc).measures.map((m) => m.status)).toContain("in_progress"));
  expect(readPlan(witness.doc).measures.map((m) => m.description)).not.toContain(OFFLINE_TEXT);
  witness.destroy();
  expect(await kariCard.getByLabel("Beskrivelse", { exact: true }).inputValue()).toBe("");
  expect(await hanneCard.getByLabel("Status", { exact: true }).inputValue()).toBe("planned");

  // Back online: both end with both edits.
  await hanneContext.setOffline(false);
  await connection(hanne, CONNECTED);
  await expect.poll(valueOf(kariCard.getByLabel("Beskrivelse", { exact: true }))).toBe(OFFLINE_TEXT);
  await expect.poll(valueOf(hanneCard.getByLabel("Status", { exact: true }))).toBe("in_progress");
  expect(await hanneCard.getByLabel("Beskrivelse", { exact: true }).inputValue()).toBe(OFFLINE_TEXT);

  // Offline again, an edit, and the page is closed before the network returns: the copy
  // on the device keeps the edit, and the next visit sends it.
  await hanneContext.setOffline(true);
  await connection(hanne, OFFLINE);
  await hanneCard.getByLabel("Evaluering", { exact: true }).fill(RELOAD_TEXT);
  await new Promise((r) => setTimeout(r, 500));
  await hanne.close();
  await hanneContext.setOffline(false);
  hanne = await hanneContext.newPage();
  await openPlan(hanne);
  await expect.poll(valueOf(measureCard(hanne).getByLabel("Evaluering", { exact: true }))).toBe(RELOAD_TEXT);
  await expect.poll(valueOf(kariCard.getByLabel("Evaluering", { exact: true }))).toBe(RELOAD_TEXT);
  expect(await kariCard.getByLabel("Beskrivelse", { exact: true }).inputValue()).toBe(OFFLINE_TEXT);
});

test("Mine tiltak, the print view, revisions with restore, read-only and revocation", async () => {
  // Mine tiltak: Kari is responsible for the measure (deadline in a week).
  await kari.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Mine tiltak" }).click();
  await kari.getByRole("heading", { level: 1, name: "Mine tiltak" }).waitFor();
  // The list comes from the server's projection, written a moment after the edit.
  await expect
    .poll(
      async () => {
        await kari.reload();
        await kari.getByRole("heading", { level: 1, name: "Mine tiltak" }).waitFor();
        await kari.getByRole("status").filter({ hasText: /tiltak/ }).first().waitFor();
        return kari.getByRole("link", { name: MEASURE, exact: true }).count();
      },
      { timeout: 20_000, interval: 500 },
    )
    .toBe(1);
  await expectAccessible(kari, "Mine tiltak");
  await fitsNarrow(kari, "Mine tiltak");
  await kari.getByRole("button", { name: "Frist snart", exact: true }).click();
  await kari.getByRole("link", { name: MEASURE, exact: true }).waitFor();
  await kari.getByRole("button", { name: "Forfalt", exact: true }).click();
  await kari.getByText("Ingen tiltak passer med filteret.").waitFor();
  await kari.getByRole("button", { name: "Alle", exact: true }).click();
  await kari.getByRole("link", { name: MEASURE, exact: true }).click();
  await kari.getByRole("heading", { level: 2, name: "Familiens plan" }).waitFor();
  await connection(kari, CONNECTED);

  // The print view: plain language, names, no ids.
  await kari.getByRole("link", { name: "Skriv ut planen" }).click();
  await kari.getByRole("heading", { level: 2, name: `Familiens plan for ${CHILD}` }).waitFor();
  await kari.getByText(GOAL).waitFor();
  await kari.getByText("Kari Koordinator, Fjellheim skole").waitFor();
  await kari.getByText("Dette ønsker vi").waitFor();
  const printed = await kari.locator(".plan-print__sheet").innerText();
  expect(printed).toContain(MEASURE);
  expect(printed).toContain("I gang");
  expect(printed).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  expect(printed).not.toContain("in_progress");
  await expectAccessible(kari, "plan print view");
  await fitsNarrow(kari, "plan print view");
  await kari.getByRole("link", { name: "Tilbake til planen" }).click();
  await connection(kari, CONNECTED);

  // Revisions: the first saved version had the goal but not yet the measure.
  await kari.getByRole("button", { name: "Revisjoner" }).click();
  await kari.getByRole("heading", { level: 3, name: "Tidligere versjoner" }).waitFor();
  const versions = kari.getByRole("heading", { level: 3, name: "Tidligere versjoner" }).locator("xpath=..").getByRole("listitem");
  await versions.first().waitFor();
  await versions.first().getByText(/Endret av .*Kari Koordinator/).waitFor();
  await expectAccessible(kari, "plan revisions");
  const oldest = versions.last();
  await oldest.getByRole("button", { name: /^Gjenopprett versjonen fra/ }).click();
  await oldest.getByText(/Vil du gjenopprette planen slik den var/).waitFor();
  await oldest.getByRole("button", { name: "Ja, gjenopprett" }).click();
  await kari.getByText(/Planen er gjenopprettet til versjonen fra/).waitFor();
  // Both open plans follow: the goal is there, the measure is not.
  await expect.poll(() => measureCard(hanne).count()).toBe(0);
  await expect.poll(() => measureCard(kari).count()).toBe(0);
  await expect.poll(valueOf(hanne.getByRole("group", { name: "Mål 1", exact: true }).getByLabel("Målet, med familiens egne ord", { exact: true }))).toBe(GOAL);

  // Withdrawing the consent ends Hanne's access at once (the whole case page says so), and clears her local copy.
  await api.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket" });
  await hanne.getByText("Du har ikke lenger tilgang til denne saken. Samtykket er trukket tilbake.").waitFor();
  expect(await notes(hanne).count()).toBe(0);
  await expect
    .poll(() => hanne.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? "").filter((n) => n.includes("plan:")).length))
    .toBe(0);
  await expectAccessible(hanne, "plan access revoked (nurse)");

  // Closing the case makes the plan read-only at once, with the reason.
  await api.mutationOk("cases.close", { caseId, reason: "Målene er nådd" });
  await kari.getByText("Saken er avsluttet. Planen kan leses, men ikke endres.").waitFor();
  expect(await kari.getByRole("group", { name: "Mål 1", exact: true }).getByLabel("Målet, med familiens egne ord", { exact: true }).isDisabled()).toBe(true);
  expect(await kari.getByRole("button", { name: "Legg til tiltak" }).count()).toBe(0);
  expect(await notes(kari).getAttribute("contenteditable")).toBe("false");
  await expectAccessible(kari, "plan read-only (case closed)");
});
