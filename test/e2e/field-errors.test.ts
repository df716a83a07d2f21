import type { Page } from "playwright-core";
import { beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInApi, type HttpClient } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

// Bad input is answered at the field, with the limit or the last allowed value; new
// notifications and messages show in the header at once, not on the next poll.

const suite = browserSuite();
let api: HttpClient;
let units: Record<string, string>;

beforeAll(async () => {
  api = await signedInApi(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  units = await unitIdsByName(api);
});

/** The error shown at a field, and that the field is marked invalid. */
async function fieldError(page: Page, label: string, text: string | RegExp) {
  const field = page.getByLabel(label, { exact: true });
  await page.locator(".field--error", { has: field }).locator(".field__error", { hasText: text }).waitFor();
  expect(await field.getAttribute("aria-invalid")).toBe("true");
}

test("a birth year in the future, an over-long note and a consent period already over are refused at their fields", async () => {
  const teacher = (await suite.signedIn("koordinator@demo.laget.no")).page;
  const year = new Date().getFullYear();
  await teacher.goto(`${suite.server.url}/saker/ny`);
  await teacher.getByLabel("Navn", { exact: true }).fill("Nora Felt");
  await teacher.getByLabel("Fødselsår", { exact: true }).fill(String(year + 1));
  await teacher.getByRole("button", { name: "Opprett sak" }).click();
  await fieldError(teacher, "Fødselsår", `Fødselsåret kan ikke være i fremtiden. Seneste mulige år er ${year}.`);
  await expectAccessible(teacher, "new case, birth year in the future");

  const { caseId } = await createChildCase(api, units["Fjellheim skole"]!, "Nora Felt");
  await teacher.goto(`${suite.server.url}/saker/${caseId}/notater`);
  await teacher.getByLabel("Kategori", { exact: true }).first().selectOption({ label: "Skole" });
  const body = teacher.getByLabel("Tekst", { exact: true });
  await body.fill("a".repeat(10_012));
  await teacher.getByText("10 012 av 10 000 tegn").waitFor();
  await teacher.getByRole("button", { name: "Lagre notat" }).click();
  await fieldError(teacher, "Tekst", "Notatet er for langt. Det kan ha høyst 10 000 tegn, så kort det ned med 12 tegn.");
  await expectAccessible(teacher, "note too long");

  await teacher.goto(`${suite.server.url}/saker/${caseId}/samtykke`);
  await teacher.getByRole("button", { name: "Registrer samtykke" }).click();
  await teacher.getByLabel("Gjelder fra", { exact: true }).fill("2020-01-01");
  await teacher.getByLabel("Gjelder til", { exact: true }).fill("2020-06-01");
  await teacher.getByRole("button", { name: "Lagre som utkast" }).click();
  await fieldError(teacher, "Gjelder til", /^Perioden er allerede over\. Sluttdatoen må være .+ eller senere\.$/);
});

test("a unit name already in use is refused at the name field", async () => {
  const admin = (await suite.signedIn("admin@demo.laget.no")).page;
  await admin.goto(`${suite.server.url}/admin/enheter`);
  const form = admin.getByRole("region", { name: "Ny enhet" });
  await form.getByLabel("Navn", { exact: true }).fill("helsestasjonen");
  await form.getByLabel("Tjenestetype", { exact: true }).selectOption({ index: 1 });
  await form.getByRole("button", { name: "Opprett enhet" }).click();
  await fieldError(admin, "Navn", "Kommunen har allerede en aktiv enhet med dette navnet. Velg et annet navn.");
  await expectAccessible(admin, "unit name taken");
});

test("a leader's question needs its text, and a handover and a message reach the header at once", async () => {
  const { page: leader } = await suite.signedIn("leder@demo.laget.no");
  const { caseId } = await createChildCase(api, units["Fjellheim skole"]!, "Ida Spørsmål");
  const [statute] = await api.queryOk<{ id: string }[]>("disclosures.statutes");
  await api.mutationOk("disclosures.create", {
    caseId,
    statuteId: statute!.id,
    recipientUnitId: units["Barneverntjenesten"],
    categories: ["school"],
    justification: "Bekymring for omsorgen, meldt etter opplysningsplikten.",
  });
  await leader.goto(`${suite.server.url}/gjennomgang`);
  await leader.getByRole("button", { name: "Still spørsmål" }).click();
  await fieldError(leader, "Merknad eller spørsmål om opplysningen til Barneverntjenesten", "Skriv spørsmålet før du sender det.");
  await expectAccessible(leader, "question without its text");

  // Faster than the bell's 30 s poll: pushed over the socket.
  const bell = leader.getByRole("button", { name: /^Varsler/ });
  const before = (await bell.textContent()) ?? "";
  const people = await api.queryOk<{ id: string; displayName: string }[]>("users.directory");
  const leaderId = people.find((p) => p.displayName === "Lars Leder")!.id;
  await api.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: leaderId });
  await api.mutationOk("cases.proposeHandover", { caseId, toUserId: leaderId });
  await expect.poll(() => bell.textContent(), { timeout: 5_000 }).not.toBe(before);

  const { id: conversationId } = await api.mutationOk<{ id: string }>("conversations.direct", { userId: leaderId });
  await api.mutationOk("messages.send", { id: crypto.randomUUID(), conversationId, body: "Har du tid i morgen?" });
  await leader.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: /^Meldinger 1 ulest$/ }).waitFor({ timeout: 5_000 });
});
