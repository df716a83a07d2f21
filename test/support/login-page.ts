import type { Page } from "playwright-core";

/** Signs in through Laget's login page as a person does, and waits for the signed-in shell. */
export async function signInThroughLoginPage(page: Page, options: { baseUrl: string; email: string; password: string }): Promise<void> {
  await page.goto(`${options.baseUrl}/login`);
  await page.getByLabel("E-post", { exact: true }).fill(options.email);
  await page.getByLabel("Passord", { exact: true }).fill(options.password);
  await page.getByRole("button", { name: "Logg inn" }).click();
  // Laget opens where the person's roles say: Saker for case work, the inbox for a volunteer contact, Møter for SLT.
  await page.getByRole("navigation", { name: "Hovedmeny" }).waitFor();
}
