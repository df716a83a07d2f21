import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInHttp } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

const suite = browserSuite();

async function signedIn(email: string): Promise<Page> {
  return (await suite.signedIn(email)).page;
}

const CHILD = "Sofie Lund";
const NOT_FOUND = "Fant ikke saken, eller du har ikke tilgang til den.";
const today = new Date().toISOString().slice(0, 10);

/** Fills the consent form for the health station (identity and health), with the child's views, and saves a draft. */
async function recordConsent(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Registrer samtykke" }).click();
  await page.getByRole("heading", { name: "Registrer samtykke" }).waitFor();
  await page.getByLabel("Navn, samtykkegiver 1", { exact: true }).fill("Mona Lund");
  await page.getByLabel("Dato barnet ble hørt", { exact: true }).fill(today);
  await page.getByLabel("Hvordan barnet ble hørt", { exact: true }).fill("Samtale med kontaktlærer");
  await page.getByLabel("Hva barnet selv mener", { exact: true }).fill("Sofie vil at helsesykepleieren skal vite hvordan hun har det.");
  await page.getByLabel("Versjon av informasjonsteksten", { exact: true }).fill("2026-1");
  await page.getByLabel("Helsestasjonen: Identitet", { exact: true }).check();
  await page.getByLabel("Helsestasjonen: Helse", { exact: true }).check();
  await page.getByRole("button", { name: "Lagre som utkast" }).click();
  await page.getByText("Samtykket er lagret som utkast.", { exact: false }).waitFor();
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? null);

test("a consent is sent to the family and refused, another is activated and then invalidated, and a person is added to the case", async () => {
  const teacher = await signedIn("koordinator@demo.laget.no");
  await teacher.getByRole("link", { name: "Ny sak" }).click();
  await teacher.getByLabel("Navn", { exact: true }).fill(CHILD);
  await teacher.getByLabel("Fødselsdato", { exact: true }).fill("2015-09-01");
  await teacher.getByRole("button", { name: "Opprett sak" }).click();
  await teacher.getByRole("heading", { level: 1, name: `Sak: ${CHILD}` }).waitFor();
  const caseUrl = teacher.url();
  const tabs = teacher.getByRole("navigation", { name: "Saken" });
  await tabs.getByRole("link", { name: "Samtykke" }).click();
  // Newest first: the first card is the consent just recorded.
  const newest = teacher.locator("li.card").first();

  // 1. Recorded, marked as sent to the family: still no access, and it says so.
  await recordConsent(teacher);
  await newest.getByText("Utkast", { exact: true }).waitFor();
  await newest.getByText("Utkastet gir ingen tilgang.", { exact: false }).waitFor();
  expect(await newest.getByRole("button", { name: "Registrer avslag" }).count()).toBe(0);
  await newest.getByRole("button", { name: "Marker som sendt til familien" }).click();
  await teacher.getByText("Samtykket er markert som sendt til familien.", { exact: false }).waitFor();
  await newest.getByText("Sendt til familien", { exact: true }).waitFor();
  await newest.getByText("Venter på svar fra familien.", { exact: false }).waitFor();
  expect(await newest.getByRole("button", { name: "Marker som sendt til familien" }).count()).toBe(0);
  expect(await newest.getByRole("button", { name: "Slett utkast" }).count()).toBe(0);
  await expectAccessible(teacher, "consent sent to the family");

  // 2. The family says no: asked first, a reason is required, and the keyboard is enough.
  await newest.getByRole("button", { name: "Registrer avslag" }).click();
  const refuseStep = teacher.getByRole("form", { name: /^Registrere at familien har sagt nei\?/ });
  await refuseStep.waitFor();
  await expectAccessible(teacher, "refusal question");
  await teacher.keyboard.press("Enter");
  await refuseStep.getByText("Skriv en grunn.").waitFor();
  await teacher.keyboard.type("Foreldrene vil ikke dele med helsestasjonen nå.");
  expect(await refuseStep.getByLabel("Grunn til avslaget", { exact: true }).inputValue()).toBe("Foreldrene vil ikke dele med helsestasjonen nå.");
  await teacher.keyboard.press("Enter");
  await teacher.getByText("Avslaget er registrert.", { exact: false }).waitFor();
  await newest.getByText("Avslått", { exact: true }).waitFor();
  await newest.getByText("Dette samtykket gjelder ikke lenger", { exact: false }).waitFor();
  const refusedHistory = newest.locator(".history li");
  expect(await refusedHistory.count()).toBe(3);
  expect(await refusedHistory.nth(1).textContent()).toContain("Utkast → Sendt til familien av Kari Koordinator");
  expect(await refusedHistory.nth(2).textContent()).toContain("Sendt til familien → Avslått av Kari Koordinator: Foreldrene vil ikke dele med helsestasjonen nå.");
  expect(await newest.getByRole("button").count()).toBe(0);
  await expectAccessible(teacher, "consent refused");

  // The health station still cannot find the case.
  const nurse = await signedIn("helsesykepleier@demo.laget.no");
  await nurse.getByLabel("Søk i sakene dine", { exact: true }).fill("Sofie");
  await nurse.getByText("Ingen saker passer med søket eller filtrene.").waitFor();
  await nurse.goto(caseUrl);
  await nurse.getByText(NOT_FOUND).waitFor();
  expect(await nurse.getByText(CHILD).count()).toBe(0);

  // 3. Another consent: cancelling a question changes nothing and gives focus back; then it is activated.
  await recordConsent(teacher);
  await newest.getByRole("button", { name: "Registrer som ugyldig" }).click();
  await teacher.getByRole("form", { name: /^Registrere samtykket som ugyldig\?/ }).getByRole("button", { name: "Avbryt" }).click();
  expect(await focusedText(teacher)).toBe("Registrer som ugyldig");
  await newest.getByText("Utkast", { exact: true }).waitFor();
  await newest.getByRole("button", { name: "Aktiver" }).click();
  await teacher.getByText("Samtykket er aktivert.", { exact: false }).waitFor();
  await newest.getByText("Aktivt", { exact: true }).waitFor();

  // The nurse now sees the case, and is told why she cannot change its consents or people.
  await nurse.reload();
  await nurse.getByText("Du ser saken fordi et samtykke (versjon 1) gir Helsestasjonen tilgang.").waitFor();
  await nurse.getByText("Bare stafettholderen, Kari Koordinator, kan legge til personer i saken.").waitFor();
  expect(await nurse.getByRole("button", { name: "Legg til person" }).count()).toBe(0);
  await nurse.getByRole("navigation", { name: "Saken" }).getByRole("link", { name: "Samtykke" }).click();
  await nurse.getByText("Bare stafettholderen, Kari Koordinator, kan registrere samtykker", { exact: false }).waitFor();
  expect(await nurse.getByRole("button", { name: "Registrer samtykke" }).count()).toBe(0);
  expect(await nurse.getByRole("button", { name: "Registrer som ugyldig" }).count()).toBe(0);
  await expectAccessible(nurse, "consent tab (not the coordinator)");
  // Disclosures she may not know of are not denied outright: she is told she sees only her unit's.
  await nurse.getByRole("navigation", { name: "Saken" }).getByRole("link", { name: "Opplysning etter lov" }).click();
  await nurse.getByText("Du ser bare opplysninger etter lov som enheten din har gitt eller mottatt.").waitFor();
  await nurse.getByText("Ingen opplysninger etter lov som gjelder enheten din.").waitFor();
  expect(await nurse.getByText("Ingen opplysninger etter lov i saken.").count()).toBe(0);

  // 4. An error in the record: invalidated with a reason, and access ends at once.
  await newest.getByRole("button", { name: "Registrer som ugyldig" }).click();
  const invalidateStep = teacher.getByRole("form", { name: /^Registrere samtykket som ugyldig\?/ });
  await invalidateStep.getByText("Tjenestene mister tilgangen samtykket ga, med en gang.", { exact: false }).waitFor();
  await invalidateStep.getByLabel("Hva er feil i samtykket?", { exact: true }).fill("Erklæringen var signert av en uten foreldreansvar.");
  await expectAccessible(teacher, "invalidation question");
  await invalidateStep.getByRole("button", { name: "Registrer samtykket som ugyldig" }).click();
  await teacher.getByText("Samtykket er registrert som ugyldig. Tjenestene har mistet tilgangen det ga.").waitFor();
  await newest.getByText("Ugyldig", { exact: true }).waitFor();
  const invalidHistory = newest.locator(".history li");
  expect(await invalidHistory.count()).toBe(3);
  expect(await invalidHistory.nth(2).textContent()).toContain("Aktivt → Ugyldig av Kari Koordinator: Erklæringen var signert av en uten foreldreansvar.");
  await expectAccessible(teacher, "consent invalidated");

  await nurse.reload();
  await nurse.getByText(NOT_FOUND).waitFor();
  expect(await nurse.getByText(CHILD).count()).toBe(0);

  // The access log names the new steps.
  await tabs.getByRole("link", { name: "Tilgangslogg" }).click();
  for (const action of ["Markerte samtykke som sendt til familien", "Registrerte avslag på samtykke", "Registrerte samtykke som ugyldig"]) {
    await teacher.getByRole("row").filter({ hasText: action }).first().waitFor();
  }

  // 5. A parent is added on the overview, checked like the new-case form.
  await tabs.getByRole("link", { name: "Oversikt" }).click();
  const addSubject = teacher.getByRole("form", { name: "Legg til person i saken" });
  expect(await addSubject.getByLabel("Rolle", { exact: true }).inputValue()).toBe("parent");
  await addSubject.getByRole("button", { name: "Legg til person" }).click();
  await addSubject.getByText("Skriv navnet.").waitFor();
  await addSubject.getByLabel("Navn", { exact: true }).fill("Mona Lund");
  await addSubject.getByLabel("Fødselsdato", { exact: true }).fill("1985-02-01");
  await addSubject.getByLabel("Fødselsår", { exact: true }).fill("1985");
  await addSubject.getByRole("button", { name: "Legg til person" }).click();
  await addSubject.locator(".field__error", { hasText: "Fyll inn fødselsdato eller fødselsår, ikke begge." }).waitFor();
  expect(await addSubject.getByLabel("Fødselsdato", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  await addSubject.getByLabel("Fødselsdato", { exact: true }).fill("");
  await addSubject.getByRole("button", { name: "Legg til person" }).click();
  await teacher.getByText("Mona Lund er lagt til i saken.").waitFor();
  await teacher.getByText("Mona Lund (Forelder, født 1985)").waitFor();
  await teacher.getByRole("heading", { level: 1, name: `Sak: ${CHILD}, Mona Lund` }).waitFor();
  expect(await addSubject.getByLabel("Navn", { exact: true }).inputValue()).toBe("");
  await expectAccessible(teacher, "overview after adding a person");

  // The new person can be chosen in the consent form.
  await tabs.getByRole("link", { name: "Samtykke" }).click();
  await teacher.getByRole("button", { name: "Registrer samtykke" }).click();
  await teacher.getByLabel("Hvem samtykket gjelder", { exact: true }).selectOption({ label: "Mona Lund (Forelder)" });

  // At 360 px the consent form, with purposes for two services, fits without sideways scrolling.
  await teacher.setViewportSize({ width: 360, height: 740 });
  await teacher.getByText("Kryss av for en tjeneste over, så kan du velge formål for den her.").waitFor();
  await teacher.getByLabel("NAV Fjellheim: Identitet", { exact: true }).check();
  await teacher.getByLabel("Helsestasjonen: Helse", { exact: true }).check();
  await teacher.getByLabel("Henvisning for NAV Fjellheim", { exact: true }).check();
  await teacher.getByRole("group", { name: "Formål for Helsestasjonen", exact: true }).waitFor();
  const formOverflow = await teacher.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(formOverflow, "consent form at 360 px").toBeLessThanOrEqual(0);
  await expectAccessible(teacher, "consent form at 360 px");
  await teacher.getByRole("button", { name: "Avbryt" }).click();

  // At 360 px the consent tab and the overview fit without sideways scrolling.
  for (const tab of ["Samtykke", "Oversikt"]) {
    await tabs.getByRole("link", { name: tab }).click();
    await teacher.getByRole("heading", { level: 1, name: `Sak: ${CHILD}, Mona Lund` }).waitFor();
    const overflow = await teacher.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${tab} at 360 px`).toBeLessThanOrEqual(0);
    await expectAccessible(teacher, `${tab} at 360 px`);
  }
});

test("when the consent is withdrawn, the nurse's open overview, notes and thread are replaced by a notice, and her unsent text is kept", async () => {
  const api = await signedInHttp(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(api);
  const { caseId, subjectId } = await createChildCase(api, units["Fjellheim skole"]!, "Jonas Berg");
  const { consentId } = await api.mutationOk<{ consentId: string }>("consents.create", {
    caseId,
    ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
  });
  await api.mutationOk("consents.activate", { consentId });
  await api.mutationOk("cases.addNote", { caseId, category: "school", body: "Jonas trives i klassen." });

  // The nurse has the case open in three tabs: the overview, the notes and the thread (with a message half written).
  const { page: overview, context } = await suite.signedIn("helsesykepleier@demo.laget.no");
  const caseUrl = `${suite.server.url}/saker/${caseId}`;
  await overview.goto(caseUrl);
  await overview.getByText("Du ser saken fordi et samtykke (versjon 1) gir Helsestasjonen tilgang.").waitFor();
  const notes = await context.newPage();
  await notes.goto(`${caseUrl}/notater`);
  await notes.getByText("Jonas trives i klassen.").waitFor();
  const thread = await context.newPage();
  await thread.goto(`${caseUrl}/samtale`);
  const unsent = "Jeg har snakket med mor om søvnen, og";
  await thread.getByLabel("Skriv en melding", { exact: true }).fill(unsent);

  await api.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket." });
  for (const page of [overview, notes, thread]) {
    await page.getByRole("alert").getByText("Du har ikke lenger tilgang til denne saken. Samtykket er trukket tilbake.").waitFor();
    await page.getByRole("heading", { level: 1, name: "Du har ikke lenger tilgang til denne saken" }).waitFor();
    // Nothing of the case stays on the screen, and the notice never says it was removed.
    expect(await page.getByText("Jonas", { exact: false }).count()).toBe(0);
    expect(await page.getByText("fjernet", { exact: false }).count()).toBe(0);
    expect(await page.getByRole("navigation", { name: "Saken" }).count()).toBe(0);
  }
  const kept = thread.getByRole("region", { name: "Meldingen du ikke sendte" });
  expect(await kept.getByRole("textbox").inputValue()).toBe(unsent);
  await expectAccessible(thread, "case access ended, with the unsent text");
  await kept.getByRole("button", { name: "Slett teksten" }).click();
  expect(await kept.count()).toBe(0);
});
