import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../../server/src/testing/case-fixtures.ts";
import { signedIn as signedInHttp } from "../../server/src/testing/http-client.ts";
import { startServerOn } from "../../server/src/testing/test-server.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

// The history test seeds 60 messages over HTTP: faster than a person's rate limit allows.
const suite = browserSuite({ socketLimits: { messages: { burst: 100, perSecond: 100 } } });

/** Each person in their own browser context: their own cookies, their own socket. */
async function signedIn(email: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  return (await suite.signedIn(email, viewport)).page;
}

const conversations = (page: Page) => page.getByRole("region", { name: "Samtaler" });
const thread = (page: Page) => page.getByRole("region", { name: "Meldinger i samtalen" });
const messageItem = (page: Page, text: string) => thread(page).getByRole("listitem").filter({ hasText: text });
const composer = (page: Page) => page.getByLabel("Skriv en melding", { exact: true });

test("a direct conversation: live delivery, unread badge, read, mention, typing, reply, edit and delete on both sides", async () => {
  const teacher = await signedIn("koordinator@demo.laget.no");
  const nurse = await signedIn("helsesykepleier@demo.laget.no");

  // The teacher starts a direct conversation with the nurse.
  await teacher.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Meldinger" }).click();
  await teacher.getByRole("heading", { level: 1, name: "Meldinger" }).waitFor();
  await teacher.getByText("Du har ingen samtaler ennå.").waitFor();
  await expectAccessible(teacher, "messages, no conversations");
  await teacher.getByRole("link", { name: "Ny samtale" }).click();
  await teacher.getByRole("heading", { level: 2, name: "Ny samtale" }).waitFor();
  await expectAccessible(teacher, "new conversation");
  await teacher.getByLabel("Person", { exact: true }).selectOption({ label: "Hanne Helsesykepleier (Helsestasjonen)" });
  await teacher.getByRole("button", { name: "Start samtale" }).click();
  await teacher.getByRole("heading", { level: 2, name: "Hanne Helsesykepleier" }).waitFor();
  await teacher.getByText("Ingen meldinger ennå. Skriv den første.").waitFor();
  // The nurse is signed in elsewhere: her presence shows, in words too.
  await teacher.locator(".members__list li").filter({ hasText: "Hanne Helsesykepleier" }).getByText("pålogget", { exact: true }).waitFor();
  await expectAccessible(teacher, "empty direct conversation");

  // The nurse has her conversation list open; the new conversation shows up there by itself.
  await nurse.goto(`${suite.server.url}/meldinger`);
  const fromTeacher = conversations(nurse).getByRole("link", { name: /Kari Koordinator/ });
  await fromTeacher.waitFor();

  // The teacher writes (Enter sends); the nurse's list gets an unread badge, live.
  await composer(teacher).fill("Hei Hanne! Har du tid til et møte om Emma i morgen?");
  await composer(teacher).press("Enter");
  await messageItem(teacher, "Har du tid til et møte").waitFor();
  expect(await composer(teacher).inputValue()).toBe("");
  await fromTeacher.getByText("1 ulest", { exact: true }).waitFor();
  await expectAccessible(nurse, "conversation list with an unread conversation");

  // Opening it shows the message and clears the badge.
  await fromTeacher.click();
  await nurse.getByRole("heading", { level: 2, name: "Kari Koordinator" }).waitFor();
  await messageItem(nurse, "Har du tid til et møte").waitFor();
  await expect.poll(() => fromTeacher.getByText(/ulest/).count()).toBe(0);
  await expectAccessible(nurse, "direct conversation (nurse)");

  // Typing shows on the other side.
  await composer(nurse).pressSequentially("Ja, det");
  await teacher.getByText("Hanne Helsesykepleier skriver …").waitFor();
  await composer(nurse).fill("");

  // A mention through the suggestions (keyboard only): the message arrives live and the nurse's bell counts it.
  await composer(teacher).pressSequentially("Se dette, @Han");
  const suggestions = teacher.getByRole("listbox", { name: "Hvem vil du nevne?" });
  await suggestions.getByRole("option", { name: /Hanne Helsesykepleier/ }).waitFor();
  await expectAccessible(teacher, "mention suggestions");
  await composer(teacher).press("Enter");
  expect(await composer(teacher).inputValue()).toBe("Se dette, @Hanne Helsesykepleier ");
  await composer(teacher).pressSequentially("kl. 10 passer fint.");
  await composer(teacher).press("Enter");
  const mention = messageItem(nurse, "kl. 10 passer fint.");
  await mention.waitFor();
  await mention.getByText("Du er nevnt").waitFor();
  await nurse.getByRole("button", { name: /^Varsler 1 ulest\b/ }).waitFor();
  await nurse.getByRole("button", { name: /^Varsler/ }).click();
  await nurse.getByText("Noen nevnte deg i en samtale.").waitFor();
  // It links to this very conversation (a direct one has no case to link to).
  const openMention = nurse.getByRole("region", { name: "Varsler" }).getByRole("link", { name: "Åpne samtalen" });
  expect(await openMention.getAttribute("href")).toBe(new URL(nurse.url()).pathname);
  await expectAccessible(nurse, "notification panel with a mention");
  await nurse.keyboard.press("Escape");

  // The nurse replies to the first message; the teacher sees the reply with what it answers.
  await messageItem(nurse, "Har du tid til et møte").getByRole("button", { name: "Svar" }).click();
  await nurse.getByText("Svar til Kari Koordinator", { exact: false }).waitFor();
  await composer(nurse).fill("Ja, kl. 10 passer.");
  await nurse.getByRole("button", { name: "Send", exact: true }).click();
  const reply = messageItem(teacher, "Ja, kl. 10 passer.");
  await reply.waitFor();
  await reply.getByText("Svar på melding fra Kari Koordinator", { exact: false }).waitFor();

  // The teacher edits the first message: the nurse sees the new text, marked as edited.
  await messageItem(teacher, "Har du tid til et møte").first().getByRole("button", { name: "Rediger" }).click();
  await teacher.getByLabel("Rediger meldingen", { exact: true }).fill("Hei Hanne! Har du tid til et møte på torsdag?");
  await expectAccessible(teacher, "editing a message");
  await teacher.getByRole("button", { name: "Lagre", exact: true }).click();
  // (first: the nurse's reply quotes the new text too)
  const edited = messageItem(nurse, "et møte på torsdag?").first();
  await edited.waitFor();
  await edited.getByRole("button", { name: /^redigert/ }).waitFor();

  // …and deletes it: the nurse sees a tombstone, the text is gone.
  await messageItem(teacher, "et møte på torsdag?").first().getByRole("button", { name: "Slett" }).click();
  await teacher.getByRole("button", { name: "Ja, slett" }).click();
  await teacher.getByText("Meldingen er slettet").first().waitFor();
  await thread(nurse).getByText("Meldingen er slettet").first().waitFor();
  await expect.poll(() => thread(nurse).getByText("et møte på torsdag?").count()).toBe(0);
  await expectAccessible(nurse, "conversation with a deleted message");

  // A phone-sized screen: the open conversation alone, with a way back to the list.
  const phone = await signedIn("helsesykepleier@demo.laget.no", { width: 360, height: 740 });
  await phone.goto(nurse.url());
  await messageItem(phone, "Ja, kl. 10 passer.").waitFor();
  expect(await conversations(phone).isVisible()).toBe(false);
  await expectAccessible(phone, "conversation at 360 px");
  await phone.getByRole("link", { name: "Alle samtaler" }).click();
  await conversations(phone).getByRole("link", { name: /Kari Koordinator/ }).waitFor();
});

test("a group shows the personal-data reminder; a case thread follows consent, and withdrawal closes it at once", async () => {
  // Set up by API: a case owned by the school, consent for Helsestasjonen (conversation included) and NAV (identity only).
  const api = await signedInHttp(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(api);
  const { caseId, subjectId } = await createChildCase(api, units["Fjellheim skole"]!, "Sofie Lund", 2013);
  const terms = consentTerms(subjectId, [units["Helsestasjonen"]!]);
  terms.provisions.push({ unitId: units["NAV Fjellheim"]!, actions: ["access"], purposes: ["coordination"], categories: ["identity"], denies: [] });
  const { consentId } = await api.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms });
  await api.mutationOk("consents.activate", { consentId });

  const teacher = await signedIn("koordinator@demo.laget.no");
  const nurse = await signedIn("helsesykepleier@demo.laget.no");
  const nav = await signedIn("nav@demo.laget.no");

  // A team group: the reminder is shown when creating it and in the conversation.
  await teacher.goto(`${suite.server.url}/meldinger/ny`);
  await teacher.getByLabel("Type gruppe", { exact: true }).selectOption({ label: "Team" });
  await teacher.getByLabel("Navn på gruppen", { exact: true }).fill("Oppvekstteamet");
  await teacher.getByLabel("Nils Veileder (NAV Fjellheim)", { exact: true }).check();
  await teacher.getByRole("button", { name: "Opprett gruppe" }).click();
  await teacher.getByRole("heading", { level: 2, name: "Oppvekstteamet" }).waitFor();
  await teacher.getByText("Gruppesamtaler er ikke for personopplysninger.").waitFor();
  await expectAccessible(teacher, "group conversation");
  await nav.goto(`${suite.server.url}/meldinger`);
  await conversations(nav).getByRole("link", { name: /Oppvekstteamet/ }).click();
  await nav.getByText("Gruppesamtaler er ikke for personopplysninger.").waitFor();

  // The case's Samtale tab opens its thread; the nurse (by consent) reads along live.
  const tabs = (page: Page) => page.getByRole("navigation", { name: "Saken" });
  await teacher.goto(`${suite.server.url}/saker/${caseId}`);
  await tabs(teacher).getByRole("link", { name: "Samtale" }).click();
  await teacher.getByRole("heading", { level: 2, name: "Samtale" }).waitFor();
  await composer(teacher).fill("Sofie har hatt en god uke på skolen.");
  await composer(teacher).press("Enter");
  await messageItem(teacher, "god uke på skolen").waitFor();
  await expectAccessible(teacher, "case thread (teacher)");

  await nurse.goto(`${suite.server.url}/saker/${caseId}/samtale`);
  await messageItem(nurse, "god uke på skolen").waitFor();
  await composer(teacher).fill("Hun vil gjerne snakke med helsesykepleier.");
  await composer(teacher).press("Enter");
  await messageItem(nurse, "snakke med helsesykepleier").waitFor();
  await expectAccessible(nurse, "case thread (nurse, by consent)");

  // NAV sees the case (identity) but not its conversation, and is told why.
  await nav.goto(`${suite.server.url}/saker/${caseId}/samtale`);
  await nav.getByText("Du har ikke tilgang til samtalen i denne saken.").waitFor();
  await nav.getByText("et samtykke som dekker enheten din for kategorien Samtale", { exact: false }).waitFor();
  await expectAccessible(nav, "case thread refused (NAV, identity only)");

  // The consent is withdrawn: the nurse's open case page, thread and all, says so at once, without a reload.
  await api.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket." });
  await nurse.getByText("Du har ikke lenger tilgang til denne saken. Samtykket er trukket tilbake.").waitFor();
  expect(await thread(nurse).count()).toBe(0);
  await expectAccessible(nurse, "case thread after withdrawal");
});

test("earlier messages load as you scroll up, and after a server restart the thread catches up on what it missed", async () => {
  const api = await signedInHttp(suite.server.url, "leder@demo.laget.no", DEMO_PASSWORD);
  const directory = await api.queryOk<{ id: string; displayName: string }[]>("users.directory");
  const kari = directory.find((p) => p.displayName === "Kari Koordinator")!;
  const { id: conversationId } = await api.mutationOk<{ id: string }>("conversations.direct", { userId: kari.id });
  for (let i = 1; i <= 60; i++) {
    await api.mutationOk("messages.send", { id: randomUUID(), conversationId, body: `Melding nummer ${i}.` });
  }

  // The latest page first; the first message only after scrolling to the top.
  const teacher = await signedIn("koordinator@demo.laget.no");
  await teacher.goto(`${suite.server.url}/meldinger/${conversationId}`);
  await messageItem(teacher, "Melding nummer 60.").waitFor();
  expect(await messageItem(teacher, "Melding nummer 1.").count()).toBe(0);
  await thread(teacher).evaluate((el) => el.scrollTo(0, 0));
  await messageItem(teacher, "Melding nummer 1.").waitFor();
  await thread(teacher).getByText("Dette er starten på samtalen.").waitFor();
  expect(await thread(teacher).getByRole("listitem").count()).toBe(60);
  await expectAccessible(teacher, "a long conversation, scrolled to the start");

  // The server stops. While the browser is cut off, messages are written through another
  // node over the same database; when the server is back, the thread shows them, each once.
  await suite.stopServer();
  await teacher.getByText("Mistet forbindelsen.", { exact: false }).waitFor();
  const other = await startServerOn(suite.server.testDb);
  const viaOther = await signedInHttp(other.url, "leder@demo.laget.no", DEMO_PASSWORD);
  for (const body of ["Mens du var borte 1.", "Mens du var borte 2."]) {
    await viaOther.mutationOk("messages.send", { id: randomUUID(), conversationId, body });
  }
  await other.close();
  await suite.restartServer();
  await messageItem(teacher, "Mens du var borte 2.").waitFor({ timeout: 20_000 });
  await expect.poll(() => teacher.getByText("Mistet forbindelsen.", { exact: false }).count()).toBe(0);
  expect(await messageItem(teacher, "Mens du var borte 1.").count()).toBe(1);
  expect(await thread(teacher).getByRole("listitem").count()).toBe(62);
});
