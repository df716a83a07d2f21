import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { signedIn as signedInHttp, type HttpClient } from "../../server/src/testing/http-client.ts";
import { browserSuite, expectAccessible } from "../support/browser.ts";

// Group conversations in the browser: the owner manages the members (live on every side),
// an edited message's earlier versions open from «redigert», and a mention in a group opens
// that very conversation from the bell.

let api: HttpClient;
let groupId: string;
const ids: Record<string, string> = {};

const suite = browserSuite();

beforeAll(async () => {
  api = await signedInHttp(suite.server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const directory = await api.queryOk<{ id: string; displayName: string }[]>("users.directory");
  for (const p of directory) ids[p.displayName] = p.id;
  ({ id: groupId } = await api.mutationOk<{ id: string }>("conversations.createGroup", {
    groupKind: "forum",
    title: "Foreldreforum",
    memberIds: [ids["Nils Veileder"]],
  }));
});

async function signedIn(email: string): Promise<Page> {
  return (await suite.signedIn(email)).page;
}

const conversations = (page: Page) => page.getByRole("region", { name: "Samtaler" });
const thread = (page: Page) => page.getByRole("region", { name: "Meldinger i samtalen" });
const members = (page: Page) => page.locator(".members__list > li");
const member = (page: Page, name: string) => members(page).filter({ hasText: name });
const composer = (page: Page) => page.getByLabel("Skriv en melding", { exact: true });
const addSection = (page: Page) => page.getByRole("region", { name: "Legg til medlemmer" });

test("the owner adds a member, who sees the group live; removes them, and they lose it at once", async () => {
  const teacher = await signedIn("koordinator@demo.laget.no");
  const nurse = await signedIn("helsesykepleier@demo.laget.no");
  const nav = await signedIn("nav@demo.laget.no");

  // The owner sees the members by name and unit, and manages them.
  await teacher.goto(`${suite.server.url}/meldinger/${groupId}`);
  await teacher.getByRole("heading", { level: 2, name: "Foreldreforum" }).waitFor();
  await teacher.getByText("Gruppesamtaler er ikke for personopplysninger.").waitFor();
  await teacher.getByText("Medlemmer (2)").waitFor();
  await member(teacher, "Kari Koordinator (Fjellheim skole)").getByText("(eier)").waitFor();
  await member(teacher, "Nils Veileder (NAV Fjellheim)").getByRole("button", { name: "Fjern Nils Veileder" }).waitFor();
  expect(await member(teacher, "Kari Koordinator").getByRole("button").count()).toBe(0);
  await expectAccessible(teacher, "group conversation, owner's members panel");

  // Asked to confirm a removal, Escape changes nothing and goes back to the button that asked.
  const removeNils = member(teacher, "Nils Veileder").getByRole("button", { name: "Fjern Nils Veileder" });
  await removeNils.click();
  await teacher.getByRole("group", { name: /Vil du fjerne Nils Veileder fra gruppen\?/ }).waitFor();
  await teacher.keyboard.press("Escape");
  await expect.poll(() => removeNils.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(await members(teacher).count()).toBe(2);

  // A member who is not the owner sees the members, but cannot manage them.
  await nav.goto(`${suite.server.url}/meldinger/${groupId}`);
  await member(nav, "Nils Veileder (NAV Fjellheim)").waitFor();
  expect(await addSection(nav).count()).toBe(0);
  expect(await members(nav).getByRole("button", { name: /^Fjern/ }).count()).toBe(0);

  // The nurse is not a member: the group is not in her list.
  await nurse.goto(`${suite.server.url}/meldinger`);
  await conversations(nurse).getByRole("heading", { name: "Samtaler" }).waitFor();
  expect(await conversations(nurse).getByRole("link", { name: /Foreldreforum/ }).count()).toBe(0);

  // Adding nobody says what to do; then the owner finds the nurse in the staff directory, by keyboard.
  await addSection(teacher).getByRole("button", { name: "Legg til", exact: true }).click();
  await addSection(teacher).getByText("Velg minst én person å legge til.").waitFor();
  const search = addSection(teacher).getByLabel("Finn person", { exact: true });
  await search.fill("helse");
  expect(await addSection(teacher).getByRole("checkbox").count()).toBe(1);
  await expectAccessible(teacher, "adding members, with an error");
  const hanne = addSection(teacher).getByLabel("Hanne Helsesykepleier (Helsestasjonen)", { exact: true });
  await hanne.focus();
  await teacher.keyboard.press("Space");
  expect(await hanne.isChecked()).toBe(true);
  await addSection(teacher).getByRole("button", { name: "Legg til", exact: true }).click();
  await teacher.getByText("1 lagt til i gruppen.").waitFor();
  await member(teacher, "Hanne Helsesykepleier (Helsestasjonen)").waitFor();
  await teacher.getByText("Medlemmer (3)").waitFor();
  // Members are no longer offered for adding.
  expect(await addSection(teacher).getByLabel("Hanne Helsesykepleier (Helsestasjonen)", { exact: true }).count()).toBe(0);

  // The nurse's list shows the group by itself; NAV's open members panel updates by itself.
  const group = conversations(nurse).getByRole("link", { name: /Foreldreforum/ });
  await group.waitFor();
  await member(nav, "Hanne Helsesykepleier (Helsestasjonen)").waitFor();
  await group.click();
  await nurse.getByRole("heading", { level: 2, name: "Foreldreforum" }).waitFor();
  await nurse.getByText("Gruppesamtaler er ikke for personopplysninger.").waitFor();
  await composer(teacher).fill("Velkommen, Hanne!");
  await composer(teacher).press("Enter");
  await thread(nurse).getByText("Velkommen, Hanne!").waitFor();
  expect(await addSection(nurse).count()).toBe(0);
  await expectAccessible(nurse, "group conversation, as a newly added member");

  // The owner removes her (with a confirmation, which starts on Avbryt).
  await member(teacher, "Hanne Helsesykepleier").getByRole("button", { name: "Fjern Hanne Helsesykepleier" }).click();
  const confirm = teacher.getByRole("group", { name: /Vil du fjerne Hanne Helsesykepleier fra gruppen\?/ });
  await confirm.waitFor();
  expect(await confirm.getByRole("button", { name: "Avbryt" }).evaluate((el) => el === document.activeElement)).toBe(true);
  await expectAccessible(teacher, "confirming a member's removal");
  await confirm.getByRole("button", { name: "Ja, fjern" }).click();
  await teacher.getByText("Hanne Helsesykepleier er fjernet fra gruppen.").waitFor();
  await expect.poll(() => member(teacher, "Hanne Helsesykepleier").count()).toBe(0);

  // Her open conversation says so at once, without a reload; the group leaves her list; NAV's panel follows.
  await nurse.getByText("Du er ikke lenger med i denne samtalen.").waitFor();
  expect(await thread(nurse).count()).toBe(0);
  await expect.poll(() => conversations(nurse).getByRole("link", { name: /Foreldreforum/ }).count()).toBe(0);
  await expect.poll(() => member(nav, "Hanne Helsesykepleier").count()).toBe(0);
  await expectAccessible(nurse, "group conversation after being removed");

  // A reload does not bring it back.
  await nurse.reload();
  await nurse.getByText("Fant ikke samtalen, eller du har ikke tilgang til den.").waitFor();
});

test("«redigert» opens the earlier versions of a message, and they follow a new edit live", async () => {
  const messageId = randomUUID();
  await api.mutationOk("messages.send", { id: messageId, conversationId: groupId, body: "Møtet er tirsdag." });
  await api.mutationOk("messages.edit", { messageId, body: "Møtet er onsdag." });

  const nav = await signedIn("nav@demo.laget.no");
  await nav.goto(`${suite.server.url}/meldinger/${groupId}`);
  // The message itself (not the entries of its history, which are list items too), whatever it says now.
  const item = thread(nav).locator(".thread__messages > li").filter({ hasText: /Møtet er \p{L}+dag\./u });
  await item.getByText("Møtet er onsdag.").waitFor();
  const edited = item.getByRole("button", { name: /^redigert/ });
  expect(await edited.getAttribute("aria-expanded")).toBe("false");
  // Nothing of the earlier text is shown until asked for.
  expect(await item.getByText("Møtet er tirsdag.").count()).toBe(0);

  await edited.focus();
  await nav.keyboard.press("Enter");
  const versions = item.getByRole("region", { name: "Tidligere versjoner" });
  await versions.getByText("Møtet er tirsdag.").waitFor();
  expect(await edited.getAttribute("aria-expanded")).toBe("true");
  expect(await versions.getByRole("listitem").count()).toBe(1);
  await versions.getByText(/^Endret /).waitFor();
  await expectAccessible(nav, "a message's earlier versions");

  // The author edits again: the open list shows both earlier texts, newest first.
  await api.mutationOk("messages.edit", { messageId, body: "Møtet er torsdag." });
  await item.getByText("Møtet er torsdag.").first().waitFor();
  await expect.poll(() => versions.getByRole("listitem").allInnerTexts()).toEqual([
    expect.stringContaining("Møtet er onsdag."),
    expect.stringContaining("Møtet er tirsdag."),
  ]);

  // Closed again from the keyboard.
  await nav.keyboard.press("Enter");
  await expect.poll(() => versions.count()).toBe(0);
  expect(await edited.getAttribute("aria-expanded")).toBe("false");
});

test("a mention in a group: the bell says so neutrally and opens that conversation", async () => {
  const nav = await signedIn("nav@demo.laget.no");
  await nav.getByRole("heading", { level: 1, name: "Saker" }).waitFor();
  await api.mutationOk("messages.send", {
    id: randomUUID(),
    conversationId: groupId,
    body: "@Nils Veileder kan du svare familien?",
    mentions: { userIds: [ids["Nils Veileder"]] },
  });
  const bell = nav.getByRole("button", { name: /^Varsler 1 ulest\b/ });
  await bell.waitFor();
  await bell.click();
  const panel = nav.getByRole("region", { name: "Varsler" });
  const note = panel.getByRole("listitem").filter({ hasText: "Noen nevnte deg i en samtale." });
  await note.waitFor();
  // Neutral: no names, no group, no content.
  const text = await panel.innerText();
  for (const word of ["Foreldreforum", "Kari", "familien", "NAV"]) expect(text).not.toContain(word);
  await expectAccessible(nav, "notification panel with a group mention");

  await note.getByRole("link", { name: "Åpne samtalen" }).click();
  await nav.waitForURL(`${suite.server.url}/meldinger/${groupId}`);
  await nav.getByRole("heading", { level: 2, name: "Foreldreforum" }).waitFor();
  await thread(nav).getByText("kan du svare familien?").waitFor();
  await nav.getByRole("button", { name: /^Varsler$/ }).waitFor();
  await expectAccessible(nav, "group conversation opened from a mention");
});

test("a member who is not the owner leaves the group, and it is gone for them at once", async () => {
  const teacher = await signedIn("koordinator@demo.laget.no");
  const nav = await signedIn("nav@demo.laget.no");
  await teacher.goto(`${suite.server.url}/meldinger/${groupId}`);
  await member(teacher, "Nils Veileder").waitFor();
  // The owner cannot leave their own group: no such button for her.
  expect(await teacher.getByRole("button", { name: "Forlat gruppen" }).count()).toBe(0);

  await nav.goto(`${suite.server.url}/meldinger/${groupId}`);
  await nav.getByRole("button", { name: "Forlat gruppen" }).click();
  const confirm = nav.getByRole("group", { name: /Vil du forlate gruppen\?/ });
  await confirm.waitFor();
  await expectAccessible(nav, "confirming leaving a group");
  await confirm.getByRole("button", { name: "Ja, forlat" }).click();
  await nav.waitForURL(`${suite.server.url}/meldinger`);
  await conversations(nav).getByRole("heading", { name: "Samtaler" }).waitFor();
  expect(await conversations(nav).getByRole("link", { name: /Foreldreforum/ }).count()).toBe(0);
  // The owner's open panel follows.
  await expect.poll(() => member(teacher, "Nils Veileder").count()).toBe(0);
  // History is refused to a former member.
  await nav.goto(`${suite.server.url}/meldinger/${groupId}`);
  await nav.getByText("Fant ikke samtalen, eller du har ikke tilgang til den.").waitFor();
});
