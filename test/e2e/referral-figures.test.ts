import type { Page } from "playwright-core";
import { beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { insertReferral, offerIdsByTitle, referralWorld } from "../../server/src/referrals/insights-fixtures.ts";
import { signedIn } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

const suite = browserSuite();
const FOTBALL = "Fotball for 8–12 år";
const WORDS = "Han gleder seg til hver trening.";

async function login(page: Page, email: string): Promise<void> {
  await page.goto(`${suite.server.url}/login`);
  await page.getByLabel("E-post", { exact: true }).fill(email);
  await page.getByLabel("Passord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await page.getByRole("navigation", { name: "Hovedmeny" }).waitFor();
}

beforeAll(async () => {
  // Six referrals to the football offer (enough to show its shares), one completed with the family's words.
  const db = suite.server.db;
  const coordinator = await signedIn(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const world = await referralWorld(db, coordinator, "Jonas Tallesen");
  const offerId = (await offerIdsByTitle(db))[FOTBALL]!;
  const sentAt = new Date(Date.now() - 10 * 24 * 3600_000);
  const answered = (h: number) => new Date(sentAt.getTime() + h * 3600_000);
  const completed = await insertReferral(db, world, { recipient: "Fjellheim idrettslag", offerId, status: "completed", sentAt, firstResponseAt: answered(2) });
  for (const [status, h] of [["accepted", 4], ["in_progress", 6], ["declined", 8], ["on_hold", 10], ["sent", null]] as const) {
    await insertReferral(db, world, { recipient: "Fjellheim idrettslag", offerId, status, sentAt, firstResponseAt: h === null ? null : answered(h) });
  }
  await db.insertInto("referral_feedback").values({ referral_id: completed, rating: "good", words: WORDS, recorded_by: world.users.koordinator! }).execute();
});

test("a leader opens Tall for henvisninger: every offer's row, small counts as «færre enn 5 (<5)», the football offer's figures and its feedback without a name", async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "nb-NO" });
  const page = await context.newPage();
  await login(page, "leder@demo.laget.no");
  await page.goto(`${suite.server.url}/henvisninger/tall`);
  await page.getByRole("heading", { level: 1, name: "Tall for henvisninger" }).waitFor();

  const offers = page.getByRole("region", { name: "Per tilbud" });
  const football = offers.getByRole("row", { name: new RegExp(FOTBALL) });
  await football.waitFor();
  // Six sent; answered after 2, 4, 6, 8 and 10 hours (median 6); accepted ever: 3 of 6; completed 1 of 6; one waiting.
  expect(await football.getByRole("cell").allTextContents()).toEqual(["6", "6 timer", "50 %", "17 %", "færre enn 5 (<5)", "Vis tilbakemeldinger"]);
  // An offer nobody was referred to: "<5" in words and as it is, its shares held back.
  const leksehjelp = offers.getByRole("row", { name: /Leksehjelp/ });
  expect(await leksehjelp.getByRole("cell").allTextContents()).toEqual(["færre enn 5 (<5)", "Vises ikke", "Vises ikke", "Vises ikke", "færre enn 5 (<5)", "Vis tilbakemeldinger"]);
  for (const title of ["Allidrett for 6–9 år", "Ferie for alle – sommerleir", "Utlån av sports- og friluftsutstyr"]) {
    await expect(offers.getByRole("row", { name: new RegExp(title) }).getByText("<5").first().isVisible()).resolves.toBe(true);
  }
  const units = page.getByRole("region", { name: "Per organisasjon" });
  await units.getByRole("row", { name: /Fjellheim idrettslag/ }).waitFor();
  await units.getByRole("row", { name: /Røde Kors Fjellheim/ }).getByText("færre enn 5").first().waitFor();
  await expectAccessible(page, "referral figures");

  await football.getByRole("button", { name: `Vis tilbakemeldinger på «${FOTBALL}»` }).click();
  await page.getByRole("heading", { name: `Tilbakemeldinger på «${FOTBALL}»` }).waitFor();
  await page.getByText(WORDS).waitFor();
  await page.getByText("Bra", { exact: true }).waitFor();
  const content = await page.content();
  for (const name of ["Jonas", "Tallesen"]) expect(content).not.toContain(name);
  // The deadline is stated; only an admin gets the form.
  await page.getByText("En henvisning som ikke er besvart innen 5 arbeidsdager").waitFor();
  expect(await page.getByLabel("Svarfrist i arbeidsdager").count()).toBe(0);
  await context.close();
});

test("an admin sets the response deadline on the same page; a bad number is refused at the field", async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "nb-NO" });
  const page = await context.newPage();
  await login(page, "admin@demo.laget.no");
  await page.goto(`${suite.server.url}/henvisninger/tall`);
  const field = page.getByLabel("Svarfrist i arbeidsdager");
  await field.waitFor();
  expect(await field.inputValue()).toBe("5");
  await field.fill("31");
  await page.getByRole("button", { name: "Lagre svarfristen" }).click();
  await page.getByText("Skriv et helt tall fra 1 til 30.").waitFor();
  await field.fill("7");
  await page.getByRole("button", { name: "Lagre svarfristen" }).click();
  await page.getByText("Svarfristen er lagret: 7 arbeidsdager.").waitFor();
  await page.getByText("En henvisning som ikke er besvart innen 7 arbeidsdager").waitFor();
  await expectAccessible(page, "referral figures, admin");
  const row = await suite.server.db.selectFrom("municipalities").select("referral_response_days").where("name", "=", "Demo kommune").executeTakeFirstOrThrow();
  expect(row.referral_response_days).toBe(7);
  await context.close();
});
