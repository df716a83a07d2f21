import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

const suite = browserSuite();

async function login(page: Page, email: string): Promise<void> {
  await page.goto(`${suite.server.url}/login`);
  await page.getByLabel("E-post", { exact: true }).fill(email);
  await page.getByLabel("Passord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await page.getByRole("navigation", { name: "Hovedmeny" }).waitFor();
}

test("a user creates a calendar address, sees it once, the feed answers, and after revoking it is a 404", async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "nb-NO" });
  const page = await context.newPage();
  await login(page, "koordinator@demo.laget.no");

  // From the user menu.
  await page.locator(".user-menu__button").click();
  await page.getByRole("link", { name: "Kalender-abonnement" }).click();
  await page.getByRole("heading", { level: 1, name: "Kalender-abonnement" }).waitFor();
  await page.getByText("Du har ingen kalenderadresser.").waitFor();
  await expectAccessible(page, "calendar subscription, empty");

  // A name is required.
  await page.getByRole("button", { name: "Lag adresse" }).click();
  await page.getByText("Skriv et navn.").waitFor();

  await page.getByLabel("Navn på adressen").fill("Mobilen");
  await page.getByRole("button", { name: "Lag adresse" }).click();
  await page.getByRole("heading", { name: "Adressen er klar" }).waitFor();
  const url = (await page.getByTestId("calendar-url").textContent())!.trim();
  expect(url).toMatch(new RegExp(`^${suite.server.url}/api/calendar/feed/[A-Za-z0-9_-]{43}\\.ics$`));
  await expect(page.getByText("Outlook: Kalender → Legg til kalender").isVisible()).resolves.toBe(true);
  await expectAccessible(page, "calendar subscription, address shown");

  // The calendar client's view: no cookie needed, but the context's request API is handy.
  const feed = await context.request.get(url, { headers: { cookie: "" } });
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toMatch(/^text\/calendar/);
  expect(await feed.text()).toMatch(/^BEGIN:VCALENDAR\r\n/);

  // Shown once: closed and reloaded, the page lists the name and its use, never the address.
  await page.getByRole("button", { name: "Lukk" }).click();
  await page.reload();
  const row = page.getByRole("row", { name: /Mobilen/ });
  await row.waitFor();
  expect(await page.content()).not.toContain(url.split("/").at(-1)!.replace(".ics", ""));
  await expect.poll(async () => (await row.textContent()) ?? "").not.toContain("Aldri");

  // Revoking asks first.
  await page.getByRole("button", { name: "Trekk tilbake «Mobilen»" }).click();
  await page.getByText("Trekke tilbake «Mobilen»?").waitFor();
  await page.getByRole("button", { name: "Ja, trekk tilbake" }).click();
  await page.getByText("«Mobilen» er trukket tilbake.").waitFor();
  await row.getByText("Trukket tilbake").waitFor();
  expect((await context.request.get(url)).status()).toBe(404);
  await context.close();
});
