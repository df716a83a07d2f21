import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { browserSuite, expectAccessible } from "../support/browser.ts";

const suite = browserSuite();

/** Each person in their own browser context: their own cookies, their own session. */
async function signedIn(email: string): Promise<Page> {
  return (await suite.signedIn(email)).page;
}

const CHILD = "Emma Fjellstad";
const NOT_FOUND = "Fant ikke saken, eller du har ikke tilgang til den.";
const today = new Date().toISOString().slice(0, 10);

test("consent decides who sees a case, withdrawal takes effect at once, and the access log shows it", async () => {
  // The teacher creates a case about a child born in 2014.
  const teacher = await signedIn("koordinator@demo.laget.no");
  await expectAccessible(teacher, "cases list (teacher)");
  await teacher.getByRole("link", { name: "Ny sak" }).click();
  await teacher.getByRole("heading", { level: 1, name: "Ny sak" }).waitFor();
  await expectAccessible(teacher, "new case");
  await teacher.getByLabel("Navn", { exact: true }).fill(CHILD);
  await teacher.getByLabel("Fødselsdato", { exact: true }).fill("2014-03-15");
  await teacher.getByRole("button", { name: "Opprett sak" }).click();
  await teacher.getByRole("heading", { level: 1, name: `Sak: ${CHILD}` }).waitFor();
  const caseUrl = teacher.url();
  expect(caseUrl).toMatch(/\/saker\/[0-9a-f-]{36}$/);
  await teacher.getByText("Du ser saken fordi enheten din, Fjellheim skole, eier den.").waitFor();
  await expectAccessible(teacher, "case overview (teacher)");

  // Consent for Helsestasjonen and NAV Fjellheim (not Barneverntjenesten), with the child's views,
  // and purposes per service: Helsestasjonen for coordination and meetings, NAV Fjellheim for a referral only.
  const tabs = teacher.getByRole("navigation", { name: "Saken" });
  await tabs.getByRole("link", { name: "Samtykke" }).click();
  await teacher.getByRole("button", { name: "Registrer samtykke" }).click();
  await teacher.getByRole("heading", { name: "Registrer samtykke" }).waitFor();
  await teacher.getByLabel("Navn, samtykkegiver 1", { exact: true }).fill("Mona Fjellstad");
  await teacher.getByLabel("Dato barnet ble hørt", { exact: true }).fill(today);
  await teacher.getByLabel("Hvordan barnet ble hørt", { exact: true }).fill("Samtale med kontaktlærer, mor til stede");
  await teacher.getByLabel("Hva barnet selv mener", { exact: true }).fill("Emma vil at helsesykepleieren skal vite hvordan hun har det.");
  await teacher.getByLabel("Versjon av informasjonsteksten", { exact: true }).fill("2026-1");
  for (const cell of ["Helsestasjonen: Identitet", "Helsestasjonen: Helse", "NAV Fjellheim: Identitet", "NAV Fjellheim: NAV"]) {
    await teacher.getByLabel(cell, { exact: true }).check();
  }
  expect(await teacher.getByLabel("Barneverntjenesten: Identitet", { exact: true }).isChecked()).toBe(false);
  // Only the ticked services get purposes, each starting with coordination.
  const healthPurposes = teacher.getByRole("group", { name: "Formål for Helsestasjonen", exact: true });
  const navPurposes = teacher.getByRole("group", { name: "Formål for NAV Fjellheim", exact: true });
  expect(await teacher.getByRole("group", { name: "Formål for Barneverntjenesten", exact: true }).count()).toBe(0);
  expect(await healthPurposes.getByLabel("Samordning for Helsestasjonen", { exact: true }).isChecked()).toBe(true);
  expect(await navPurposes.getByLabel("Samordning for NAV Fjellheim", { exact: true }).isChecked()).toBe(true);
  await healthPurposes.getByLabel("Møter for Helsestasjonen", { exact: true }).check();
  await expectAccessible(teacher, "consent form");
  // A service left without a purpose is named in the error, and focus goes to its purposes.
  await navPurposes.getByLabel("Samordning for NAV Fjellheim", { exact: true }).uncheck();
  await teacher.getByRole("button", { name: "Lagre som utkast" }).click();
  await navPurposes.getByText("Velg minst ett formål for NAV Fjellheim.", { exact: true }).waitFor();
  expect(await teacher.getByText("Velg minst ett formål for", { exact: false }).count()).toBe(1);
  expect(await navPurposes.getAttribute("aria-describedby")).toBeTruthy();
  await teacher.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Samordning for NAV Fjellheim");
  expect(await navPurposes.getByLabel("Henvisning for NAV Fjellheim", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  await expectAccessible(teacher, "consent form with a service without purpose");
  // The keyboard is enough: on to Henvisning, ticked with Space.
  await teacher.keyboard.press("Tab");
  await teacher.keyboard.press("Tab");
  await teacher.keyboard.press("Space");
  expect(await navPurposes.getByLabel("Henvisning for NAV Fjellheim", { exact: true }).isChecked()).toBe(true);
  expect(await navPurposes.getByText("Velg minst ett formål for NAV Fjellheim.").count()).toBe(0);
  await teacher.getByRole("button", { name: "Lagre som utkast" }).click();
  await teacher.getByText("Samtykket er lagret som utkast.", { exact: false }).waitFor();
  await teacher.getByRole("button", { name: "Aktiver" }).click();
  await teacher.getByText("Samtykket er aktivert.", { exact: false }).waitFor();
  const consentCard = teacher.getByRole("listitem").filter({ hasText: "Samtykke for Emma Fjellstad, versjon 1" });
  await consentCard.getByText("Aktivt", { exact: true }).waitFor();
  await consentCard.getByText("Helsestasjonen: Identitet, Helse. Formål: Samordning, Møter.", { exact: true }).waitFor();
  await consentCard.getByText("NAV Fjellheim: Identitet, NAV. Formål: Henvisning.", { exact: true }).waitFor();
  await expectAccessible(teacher, "consent panel with an active consent");

  // A new version starts from this one's purposes, service by service.
  await consentCard.getByRole("button", { name: "Ny versjon" }).click();
  await teacher.getByRole("heading", { name: "Ny versjon av samtykke 1" }).waitFor();
  expect(await healthPurposes.getByLabel("Møter for Helsestasjonen", { exact: true }).isChecked()).toBe(true);
  expect(await navPurposes.getByLabel("Henvisning for NAV Fjellheim", { exact: true }).isChecked()).toBe(true);
  expect(await navPurposes.getByLabel("Samordning for NAV Fjellheim", { exact: true }).isChecked()).toBe(false);
  await teacher.getByRole("button", { name: "Avbryt" }).click();
  await consentCard.getByRole("button", { name: "Ny versjon" }).waitFor();

  // The health nurse finds the case through search and opens it.
  const nurse = await signedIn("helsesykepleier@demo.laget.no");
  await nurse.getByLabel("Søk i sakene dine", { exact: true }).fill("Emma");
  await nurse.getByRole("link", { name: CHILD }).click();
  await nurse.getByRole("heading", { level: 1, name: `Sak: ${CHILD}` }).waitFor();
  await nurse.getByText("Du ser saken fordi et samtykke (versjon 1) gir Helsestasjonen tilgang.").waitFor();
  expect(nurse.url()).toBe(caseUrl);
  await expectAccessible(nurse, "case overview (nurse, by consent)");

  // The participants list explains who can see what now, and why, as the server decided it.
  await tabs.getByRole("link", { name: "Oversikt" }).click();
  const participants = teacher.getByRole("region", { name: "Deltakere" });
  const row = (name: string) => participants.getByRole("listitem").filter({ hasText: name });
  await row("Helsestasjonen (hele enheten)").getByText("Ser saken (samtykke v.1). Kan se: Helse.", { exact: true }).waitFor();
  // NAV Fjellheim's consent covers a referral only: it takes part, but cannot see the case yet.
  await row("NAV Fjellheim (hele enheten)").getByText("Kan ikke se saken ennå.", { exact: false }).waitFor();
  await row("Kari Koordinator, Fjellheim skole").getByText("Ser saken (egen enhet).", { exact: false }).waitFor();
  // Her own row goes with the baton, not by a click; the others can be removed.
  expect(await row("Kari Koordinator, Fjellheim skole").getByRole("button", { name: /^Fjern / }).count()).toBe(0);
  expect(await row("Helsestasjonen (hele enheten)").getByRole("button", { name: /^Fjern / }).count()).toBe(1);
  // Adding a unit without a basis says so at once.
  await teacher.getByLabel("Enhet", { exact: true }).selectOption({ label: "PPT" });
  await teacher.getByRole("button", { name: "Legg til deltaker" }).click();
  await teacher.getByText("PPT er lagt til, men kan ikke se saken før familien har gitt samtykke", { exact: false }).waitFor();
  await row("PPT (hele enheten)").getByText("Kan ikke se saken ennå.", { exact: false }).waitFor();
  await expectAccessible(teacher, "participants with their access explained");
  // The nurse is told what her own unit can see, not what another unit's consent says.
  const nurseParticipants = nurse.getByRole("region", { name: "Deltakere" });
  await nurseParticipants.getByRole("listitem").filter({ hasText: "Helsestasjonen (hele enheten)" }).getByText("Ser saken (samtykke v.1)", { exact: false }).waitFor();
  expect(await nurseParticipants.getByRole("listitem").filter({ hasText: "NAV Fjellheim" }).getByText("Kan ikke se saken", { exact: false }).count()).toBe(0);
  await tabs.getByRole("link", { name: "Samtykke" }).click();
  await consentCard.getByText("Aktivt", { exact: true }).waitFor();

  // NAV Fjellheim is covered for a referral only, not for coordination: the case does not open for it.
  const nav = await signedIn("nav@demo.laget.no");
  await nav.goto(caseUrl);
  await nav.getByText(NOT_FOUND).waitFor();
  expect(await nav.getByText(CHILD).count()).toBe(0);

  // Barnevern is not covered: the search finds nothing, and the address says only "not found".
  const barnevern = await signedIn("barnevern@demo.laget.no");
  await barnevern.getByLabel("Søk i sakene dine", { exact: true }).fill("Emma");
  await barnevern.getByText("Ingen saker passer med søket eller filtrene.").waitFor();
  expect(await barnevern.getByRole("link", { name: CHILD }).count()).toBe(0);
  await expectAccessible(barnevern, "empty search (barnevern)");
  await barnevern.goto(caseUrl);
  await barnevern.getByText(NOT_FOUND).waitFor();
  expect(await barnevern.getByText(CHILD).count()).toBe(0);
  await expectAccessible(barnevern, "case not found (barnevern)");

  // The teacher withdraws the consent, in one step with a reason.
  await teacher.getByLabel("Hvorfor trekkes samtykket tilbake?", { exact: true }).fill("Mor trakk samtykket i telefonsamtale.");
  await teacher.getByRole("button", { name: "Trekk tilbake samtykket" }).click();
  await teacher.getByText("Samtykket er trukket tilbake.").waitFor();
  await consentCard.getByText("Trukket tilbake", { exact: true }).waitFor();
  await expectAccessible(teacher, "consent panel after withdrawal");

  // The nurse's next request is refused.
  await nurse.reload();
  await nurse.getByText(NOT_FOUND).waitFor();
  expect(await nurse.getByRole("heading", { name: `Sak: ${CHILD}` }).count()).toBe(0);
  await expectAccessible(nurse, "case not found (nurse, after withdrawal)");

  // The teacher's access log lists the nurse's reads with the consent as basis, in plain words. Her
  // refused attempt afterwards names no case (a hidden case leaves no trace), so it is not here.
  await tabs.getByRole("link", { name: "Tilgangslogg" }).click();
  await teacher.getByRole("heading", { level: 2, name: "Tilgangslogg" }).waitFor();
  const nurseRows = teacher.getByRole("row").filter({ hasText: "Hanne Helsesykepleier" });
  await nurseRows.first().waitFor();
  const consentReads = nurseRows.filter({ hasText: "Samtykke, versjon 1" }).filter({ hasText: "Åpnet saken" });
  expect(await consentReads.count()).toBeGreaterThan(0);
  expect(await nurseRows.filter({ hasText: "Ingen – avvist" }).count()).toBe(0);
  // Filtered to the nurse alone, every row is hers.
  await teacher.getByLabel("Person", { exact: true }).selectOption({ label: "Hanne Helsesykepleier" });
  await teacher.getByText("Viser ", { exact: false }).waitFor();
  const bodyRows = teacher.locator("tbody tr");
  expect(await bodyRows.count()).toBe(await bodyRows.filter({ hasText: "Hanne Helsesykepleier" }).count());
  expect(await teacher.getByRole("button", { name: "Last ned CSV" }).isVisible()).toBe(true);
  await expectAccessible(teacher, "access log");
});

test("notes, handover, legal-basis disclosure, the leader's review and the notification bell are usable and accessible", async () => {
  const teacher = await signedIn("koordinator@demo.laget.no");
  await teacher.getByRole("link", { name: "Ny sak" }).click();
  await teacher.getByLabel("Navn", { exact: true }).fill("Jonas Berg");
  await teacher.getByLabel("Fødselsår", { exact: true }).fill("2011");
  await teacher.getByRole("button", { name: "Opprett sak" }).click();
  await teacher.getByRole("heading", { level: 1, name: "Sak: Jonas Berg" }).waitFor();
  const tabs = teacher.getByRole("navigation", { name: "Saken" });

  // A note (a bright spot), edited afterwards.
  await tabs.getByRole("link", { name: "Notater" }).click();
  await teacher.getByLabel("Kategori", { exact: true }).selectOption({ label: "Skole" });
  await teacher.getByLabel("Type", { exact: true }).selectOption({ label: "Lysglimt" });
  await teacher.getByLabel("Tekst", { exact: true }).fill("Jonas hjalp en ny elev i friminuttet.");
  await teacher.getByRole("button", { name: "Lagre notat" }).click();
  await teacher.getByText("Jonas hjalp en ny elev i friminuttet.").waitFor();
  await teacher.getByRole("button", { name: /^Rediger notatet/ }).click();
  await teacher.getByRole("listitem").getByLabel("Tekst", { exact: true }).fill("Jonas hjalp to nye elever i friminuttet.");
  await teacher.getByRole("button", { name: "Lagre endring" }).click();
  await teacher.getByText("redigert", { exact: true }).waitFor();
  await expectAccessible(teacher, "notes");

  // Barnevern is added as a participant by the coordinator, then handed a legal-basis disclosure.
  await tabs.getByRole("link", { name: "Opplysning etter lov" }).click();
  await teacher.getByLabel("Lovgrunnlag", { exact: true }).selectOption({ index: 1 });
  await teacher.getByLabel("Mottaker", { exact: true }).selectOption({ label: "Barneverntjenesten" });
  await teacher.getByLabel("Identitet", { exact: true }).check();
  await teacher.getByLabel("Skole", { exact: true }).check();
  await teacher.getByLabel("Begrunnelse", { exact: true }).fill("Opplysningsplikt: bekymring for omsorgssituasjonen.");
  await teacher.getByRole("button", { name: "Registrer", exact: true }).click();
  await teacher.getByText("Opplysningen er registrert.", { exact: false }).waitFor();
  await expectAccessible(teacher, "disclosures");

  // Handover: the teacher adds the leader to the case by name, then proposes him; he sees it on the overview.
  await tabs.getByRole("link", { name: "Oversikt" }).click();
  await teacher.getByLabel("Enhet", { exact: true }).selectOption({ label: "Fjellheim skole" });
  await teacher.getByLabel("Person (valgfritt)", { exact: true }).selectOption({ label: "Lars Leder" });
  await teacher.getByRole("button", { name: "Legg til deltaker" }).click();
  await teacher.getByText("Lars Leder er lagt til og kan se saken (egen enhet).").waitFor();
  await teacher.getByText("Lars Leder, Fjellheim skole").waitFor();
  await expectAccessible(teacher, "overview (coordinator)");
  await tabs.getByRole("link", { name: "Overlevering" }).click();
  await teacher.getByLabel("Ny stafettholder", { exact: true }).selectOption({ label: "Lars Leder (Fjellheim skole)" });
  await teacher.getByRole("button", { name: "Foreslå overlevering" }).click();
  await teacher.getByText("Forslaget er sendt.").waitFor();
  await expectAccessible(teacher, "handover");
  const caseUrl = teacher.url().replace(/\/overlevering$/, "");

  const leader = await signedIn("leder@demo.laget.no");
  await leader.getByRole("button", { name: /^Varsler/ }).click();
  await leader.getByText("Du er foreslått som stafettholder for en sak.").waitFor();
  await expectAccessible(leader, "notification panel");
  await leader.goto(caseUrl);
  await leader.getByText("Du er foreslått som ny stafettholder for denne saken.").waitFor();
  await expectAccessible(leader, "overview with a handover for me");
  await leader.getByRole("button", { name: "Ta imot stafettpinnen" }).click();
  await leader.getByText("Du er nå stafettholder for saken.").waitFor();

  // The leader's review: the disclosure from the school, and the audit-chain check.
  await leader.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Gjennomgang" }).click();
  await leader.getByRole("heading", { level: 1, name: "Gjennomgang" }).waitFor();
  await leader.getByText("Fjellheim skole til Barneverntjenesten", { exact: false }).waitFor();
  await leader.getByRole("button", { name: "Godkjenn" }).click();
  await leader.getByText("Gjennomgangen er lagret.").waitFor();
  await leader.getByRole("button", { name: "Kontroller revisjonsloggen" }).click();
  await leader.getByText("Revisjonsloggen er hel", { exact: false }).waitFor();
  await expectAccessible(leader, "leader review");

  // A case page works at 360 px without sideways scrolling of the page.
  await leader.setViewportSize({ width: 360, height: 740 });
  await leader.goto(caseUrl);
  await leader.getByRole("heading", { level: 1, name: "Sak: Jonas Berg" }).waitFor();
  const overflow = await leader.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(leader, "case overview at 360 px");
});
