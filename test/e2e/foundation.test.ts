import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

const suite = browserSuite();

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await suite.browser.newContext({ viewport, locale: "nb-NO" });
  return context.newPage();
}

async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${suite.server.url}/login`);
  await page.getByLabel("E-post", { exact: true }).fill(email);
  await page.getByLabel("Passord", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Logg inn" }).click();
}

test("the demo coordinator logs in and sees the shell", async () => {
  const page = await newPage();
  await page.goto(suite.server.url);
  await expect.poll(() => page.url()).toContain("/login");
  await page.getByRole("heading", { name: "Logg inn" }).waitFor();
  await expectAccessible(page, "login");

  await login(page, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const nav = page.getByRole("navigation", { name: "Hovedmeny" });
  await nav.waitFor();
  for (const section of ["Saker", "Meldinger", "Møter", "Henvisninger"]) {
    await expect(nav.getByRole("link", { name: section }).isVisible()).resolves.toBe(true);
  }
  // A coordinator is not an admin.
  expect(await nav.getByRole("link", { name: "Administrasjon" }).count()).toBe(0);
  await expect(page.getByText("Demo kommune").first().isVisible()).resolves.toBe(true);
  await expectAccessible(page, "shell (Saker)");

  await nav.getByRole("link", { name: "Meldinger" }).click();
  await page.getByRole("heading", { level: 1, name: "Meldinger" }).waitFor();
  await expectAccessible(page, "Meldinger");

  // The shell works at 360 px wide.
  await page.setViewportSize({ width: 360, height: 740 });
  await expect(nav.getByRole("link", { name: "Saker" }).isVisible()).resolves.toBe(true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page, "shell at 360 px");
});

test("a wrong password shows the error and does not sign in", async () => {
  const page = await newPage();
  await login(page, "koordinator@demo.laget.no", "definitely-wrong");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  expect(await alert.textContent()).toContain("Feil e-post eller passord.");
  expect(page.url()).toContain("/login");
  await expectAccessible(page, "login with error");
});

test("the language switcher shows the app in English", async () => {
  const page = await newPage();
  await page.goto(`${suite.server.url}/login`);
  await page.getByRole("heading", { name: "Logg inn" }).waitFor();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Log in" }).waitFor();
  expect(await page.getAttribute("html", "lang")).toBe("en");
  await page.reload();
  await page.getByRole("heading", { name: "Log in" }).waitFor();
});

test("an admin creates a unit and a user; the user logs in and must change the password first", async () => {
  const admin = await newPage();
  await login(admin, "admin@demo.laget.no", DEMO_PASSWORD);
  const nav = admin.getByRole("navigation", { name: "Hovedmeny" });
  await nav.getByRole("link", { name: "Administrasjon" }).click();

  await admin.getByRole("link", { name: "Enheter" }).click();
  await admin.getByRole("heading", { level: 1, name: "Enheter" }).waitFor();
  await expectAccessible(admin, "admin units");
  await admin.getByLabel("Navn", { exact: true }).fill("Fjellheim ungdomsskole");
  await admin.getByLabel("Tjenestetype").selectOption({ label: "Skole" });
  await admin.getByRole("button", { name: "Opprett enhet" }).click();
  await admin.getByRole("rowheader", { name: "Fjellheim ungdomsskole" }).waitFor();

  await admin.getByRole("link", { name: "Brukere" }).click();
  await admin.getByRole("heading", { level: 1, name: "Brukere" }).waitFor();
  await expectAccessible(admin, "admin users");
  await admin.getByLabel("E-post", { exact: true }).fill("ola.laerer@demo.laget.no");
  await admin.getByLabel("Navn", { exact: true }).fill("Ola Lærer");
  await admin.getByLabel("Enhet", { exact: true }).selectOption({ label: "Fjellheim ungdomsskole" });
  await admin.getByLabel("Rolle", { exact: true }).selectOption({ label: "Saksbehandler" });
  await admin.getByRole("button", { name: "Opprett bruker" }).click();
  const oneTimePassword = (await admin.getByTestId("one-time-password").textContent())?.trim() ?? "";
  expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await expectAccessible(admin, "admin users with one-time password");

  const user = await newPage();
  await login(user, "ola.laerer@demo.laget.no", oneTimePassword);
  await user.getByRole("heading", { name: "Bytt passord" }).waitFor();
  await user.getByText("Du må velge et nytt passord før du kan fortsette.").waitFor();
  // The shell stays out of reach until the password is changed.
  expect(await user.getByRole("navigation", { name: "Hovedmeny" }).count()).toBe(0);
  await expectAccessible(user, "forced password change");

  await user.getByLabel("Nåværende passord", { exact: true }).fill(oneTimePassword);
  await user.getByLabel("Nytt passord", { exact: true }).fill("mitt-eget-passord-1");
  await user.getByLabel("Gjenta nytt passord").fill("mitt-eget-passord-1");
  await user.getByRole("button", { name: "Lagre nytt passord" }).click();
  await user.getByRole("navigation", { name: "Hovedmeny" }).waitFor();

  // The new password is the one that works from now on.
  const again = await newPage();
  await login(again, "ola.laerer@demo.laget.no", "mitt-eget-passord-1");
  await again.getByRole("navigation", { name: "Hovedmeny" }).waitFor();
});
