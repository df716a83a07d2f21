import type { Page } from "playwright-core";
import { beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInApi, type HttpClient } from "../../server/src/testing/http-client.ts";
import { browserSuite } from "../support/browser.ts";

// A plan kept on the device (IndexedDB) never outlives the right to it: it goes when the
// user's plan access ends, open or not, when access ended while the device was away, and
// with the session however it ends.

const suite = browserSuite();
let api: HttpClient;
let units: Record<string, string>;

beforeAll(async () => {
  api = await signedInApi(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  units = await unitIdsByName(api);
});

/** A case whose plan the health station may read and write by consent. */
async function caseSharedWithNurse(child: string) {
  const { caseId, subjectId } = await createChildCase(api, units["Fjellheim skole"]!, child);
  const { consentId } = await api.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
  await api.mutationOk("consents.activate", { consentId });
  return { caseId, consentId };
}

const planCopies = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? "").filter((n) => n.includes(":plan:")));

async function untilCopies(page: Page, expected: (names: string[]) => boolean) {
  for (let i = 0; i < 200; i++) {
    if (expected(await planCopies(page))) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`plan copies still ${JSON.stringify(await planCopies(page))}`);
}

async function openPlanThenLeave(page: Page, caseId: string) {
  await page.goto(`${suite.server.url}/saker/${caseId}/plan`);
  await page.getByRole("status").getByText("Tilkoblet", { exact: true }).waitFor();
  await untilCopies(page, (names) => names.some((n) => n.endsWith(caseId)));
  // Off the case altogether: nothing of it is open any more.
  await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Saker" }).click();
  await page.getByRole("heading", { level: 1, name: "Saker" }).waitFor();
}

test("a plan copy goes when the plan access ends although the plan is not open, and a copy whose access ended while offline goes on reconnect", async () => {
  const first = await caseSharedWithNurse("Ola Kopi");
  const second = await caseSharedWithNurse("Kari Kopi");
  const { page, context } = await suite.signedIn("helsesykepleier@demo.laget.no");
  await openPlanThenLeave(page, first.caseId);
  await openPlanThenLeave(page, second.caseId);

  await api.mutationOk("consents.withdraw", { consentId: first.consentId, reason: "Foreldrene trakk samtykket." });
  await untilCopies(page, (names) => !names.some((n) => n.endsWith(first.caseId)) && names.some((n) => n.endsWith(second.caseId)));

  // Away from the network while the second consent ends: the copy is judged again on reconnect.
  await context.setOffline(true);
  await api.mutationOk("consents.withdraw", { consentId: second.consentId, reason: "Foreldrene trakk samtykket." });
  await context.setOffline(false);
  await untilCopies(page, (names) => names.length === 0);
});

test("every plan copy goes when the session ends elsewhere", async () => {
  const shared = await caseSharedWithNurse("Per Kopi");
  const { page } = await suite.signedIn("helsesykepleier@demo.laget.no");
  await openPlanThenLeave(page, shared.caseId);
  const elsewhere = await signedInApi(suite.server.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
  await elsewhere.mutationOk("auth.logoutEverywhere");
  await untilCopies(page, (names) => names.length === 0);
});

test("the copy on the device is not shown before the server has let the session in", async () => {
  const shared = await caseSharedWithNurse("Eva Kopi");
  const { page, context } = await suite.signedIn("helsesykepleier@demo.laget.no");
  await page.goto(`${suite.server.url}/saker/${shared.caseId}/plan`);
  await page.getByRole("heading", { level: 4, name: "Arbeid" }).waitFor();
  await page.close();

  // The live connection is refused on the way (as when the network drops before the server answers).
  await context.routeWebSocket(/\/collab/, (ws) => ws.close());
  const again = await context.newPage();
  await again.goto(`${suite.server.url}/saker/${shared.caseId}/plan`);
  // Shown only once the copy on the device has been read: it is there, and still not shown.
  await again.getByText("Planen vises når Laget har bekreftet at du fortsatt har tilgang.", { exact: false }).waitFor();
  await untilCopies(again, (names) => names.some((n) => n.endsWith(shared.caseId)));
  expect(await again.getByRole("heading", { level: 4, name: "Arbeid" }).count()).toBe(0);
});
