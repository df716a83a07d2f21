import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createMunicipality } from "../testing/fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { sentinel } from "../testing/sentinel.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import type { UserEvent } from "@laget/realtime";

// A group's members are managed by its owner, within the municipality. A member who is
// removed loses the conversation at once: its socket room (typing, presence, live
// messages), its history, its messages' edit history, and replays.

let server: TestServer;
const http: Record<string, HttpClient> = {};
const live: Record<string, LiveClient> = {};
const ids: Record<string, string> = {};
let groupId: string;
type Member = { userId: string; displayName: string; units: { unitName: string }[]; isOwner: boolean };

beforeAll(async () => {
  server = await startTestServer();
  for (const user of ["koordinator", "helsesykepleier", "nav", "barnevern"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
    live[user] = await connectLive(server.url, http[user].cookie!);
    ids[user] = (await http[user].queryOk<{ id: string }>("auth.me")).id;
  }
  ({ id: groupId } = await http.koordinator!.mutationOk<{ id: string }>("conversations.createGroup", {
    groupKind: "team",
    title: "Oppvekstteamet",
    memberIds: [ids.helsesykepleier],
  }));
});
afterAll(async () => {
  for (const c of Object.values(live)) c.close();
  await server?.stop();
});

const send = (who: string, body: string, extra: Record<string, unknown> = {}) =>
  live[who]!.request<{ message: { id: string; seq: number } }>("message:send", { id: randomUUID(), conversationId: groupId, body, ...extra });
const memberNames = async (who: string) => (await http[who]!.queryOk<Member[]>("conversations.members", { conversationId: groupId })).map((m) => m.displayName);

test("members are listed with name and unit, the owner marked", async () => {
  const members = await http.helsesykepleier!.queryOk<Member[]>("conversations.members", { conversationId: groupId });
  expect(members).toEqual([
    { userId: ids.helsesykepleier, displayName: "Hanne Helsesykepleier", units: [{ unitId: expect.any(String), unitName: "Helsestasjonen" }], isOwner: false },
    { userId: ids.koordinator, displayName: "Kari Koordinator", units: [{ unitId: expect.any(String), unitName: "Fjellheim skole" }], isOwner: true },
  ]);
  // Someone outside the group cannot even find it.
  const outside = await http.nav!.query("conversations.members", { conversationId: groupId });
  expect(!outside.ok && outside.error.data.appCode).toBe("NOT_FOUND");
});

test("only the owner adds or removes; a non-member is told nothing exists", async () => {
  const byMember = await http.helsesykepleier!.mutation("conversations.addMembers", { conversationId: groupId, userIds: [ids.nav] });
  expect(!byMember.ok && byMember.error.data.appCode).toBe("NOT_GROUP_OWNER");
  const removeByMember = await http.helsesykepleier!.mutation("conversations.removeMembers", { conversationId: groupId, userIds: [ids.koordinator] });
  expect(!removeByMember.ok && removeByMember.error.data.appCode).toBe("NOT_GROUP_OWNER");
  const byOutsider = await http.nav!.mutation("conversations.addMembers", { conversationId: groupId, userIds: [ids.nav] });
  expect(!byOutsider.ok && byOutsider.error.data.appCode).toBe("NOT_FOUND");
  expect(await memberNames("koordinator")).toEqual(["Hanne Helsesykepleier", "Kari Koordinator"]);
});

test("members come from the owner's municipality only: anyone else is NOT_FOUND and nobody is added", async () => {
  const other = await createMunicipality(server.db, "Nabokommune", DEMO_PASSWORD, [{ email: "ola@nabo.no", unit: "Skolen", role: "caseworker" }]);
  const res = await http.koordinator!.mutation("conversations.addMembers", { conversationId: groupId, userIds: [ids.nav, other.userIds["ola@nabo.no"]] });
  expect(!res.ok && res.error.data.appCode).toBe("NOT_FOUND");
  expect(await memberNames("koordinator")).toEqual(["Hanne Helsesykepleier", "Kari Koordinator"]);
  // Nor can a group be made with them.
  const group = await http.koordinator!.mutation("conversations.createGroup", { groupKind: "forum", title: "Over grensen", memberIds: [other.userIds["ola@nabo.no"]] });
  expect(!group.ok && group.error.data.appCode).toBe("NOT_FOUND");
});

test("an added member is told live, joins the room at once (typing reaches them) and reads the history; the others are hinted to refresh", async () => {
  expect((await send("koordinator", "Velkommen til teamet")).ok).toBe(true);
  const added = live.nav!.until((a) => a.some((e) => e.type === "conversation.added" && e.conversationId === groupId));
  const hint = live.helsesykepleier!.next<{ conversationId: string }>("conversation:members");
  await http.koordinator!.mutationOk("conversations.addMembers", { conversationId: groupId, userIds: [ids.nav] });
  await added;
  expect(await hint).toEqual({ conversationId: groupId });
  expect(await memberNames("nav")).toEqual(["Hanne Helsesykepleier", "Kari Koordinator", "Nils Veileder"]);

  // No join request from NAV's socket: the server put it in the room.
  const typing = live.nav!.next<{ conversationId: string; userId: string }>("typing");
  live.helsesykepleier!.socket.emit("typing", { conversationId: groupId, typing: true });
  expect(await typing).toMatchObject({ conversationId: groupId, userId: ids.helsesykepleier });

  const page = await http.nav!.queryOk<{ messages: { body: string }[] }>("messages.history", { conversationId: groupId });
  expect(page.messages.map((m) => m.body)).toEqual(["Velkommen til teamet"]);
  const delivered = send("koordinator", "Hei Nils");
  expect((await delivered).ok).toBe(true);
  await live.nav!.until((a) => a.some((e) => e.message?.body === "Hei Nils"));
});

test("a removed member loses the group at once: room, live messages, history, edit history, members, sending and replay", async () => {
  const edited = await send("koordinator", "Møte på tirsdag");
  const messageId = edited.ok ? edited.message.id : "";
  expect((await live.koordinator!.request("message:edit", { messageId, body: "Møte på onsdag" })).ok).toBe(true);
  expect(await http.nav!.queryOk("messages.edits", { messageId })).toEqual([{ body: "Møte på tirsdag", replacedAt: expect.any(Date) }]);

  const removed = live.nav!.until((a) => a.some((e) => e.type === "conversation.removed" && e.conversationId === groupId));
  const hint = live.helsesykepleier!.next<{ conversationId: string }>("conversation:members");
  let hinted = false;
  live.nav!.socket.on("conversation:members", () => (hinted = true));
  await http.koordinator!.mutationOk("conversations.removeMembers", { conversationId: groupId, userIds: [ids.nav] });
  await removed;
  await hint;

  let typed = false;
  live.nav!.socket.on("typing", () => (typed = true));
  // Typing reaches a member still in the room, then a message and a sentinel reach the others.
  const witnessed = live.koordinator!.next<{ conversationId: string }>("typing", (p) => p.conversationId === groupId);
  live.helsesykepleier!.socket.emit("typing", { conversationId: groupId, typing: true });
  await witnessed;
  expect((await send("koordinator", "Etter at Nils gikk ut")).ok).toBe(true);
  await live.helsesykepleier!.until((a) => a.some((e) => e.message?.body === "Etter at Nils gikk ut"));
  await sentinel(http.koordinator!, { http: http.nav!, live: live.nav! });
  expect(typed).toBe(false);
  expect(hinted).toBe(false);
  expect(live.nav!.applied.some((e) => e.message?.body === "Etter at Nils gikk ut")).toBe(false);

  const code = (res: { ok: boolean; error?: { data: { appCode: string | null } } }) => (res.ok ? "ok" : res.error!.data.appCode);
  expect(code(await http.nav!.query("messages.history", { conversationId: groupId }))).toBe("NOT_FOUND");
  expect(code(await http.nav!.query("messages.edits", { messageId }))).toBe("NOT_FOUND");
  expect(code(await http.nav!.query("conversations.members", { conversationId: groupId }))).toBe("NOT_FOUND");
  expect(code(await http.nav!.query("conversations.get", { conversationId: groupId }))).toBe("NOT_FOUND");
  expect((await http.nav!.queryOk<{ id: string }[]>("conversations.list")).map((c) => c.id)).not.toContain(groupId);
  const join = await live.nav!.request("conversation:join", { conversationId: groupId });
  expect(!join.ok && join.error.code).toBe("NOT_FOUND");
  const write = await live.nav!.request("message:send", { id: randomUUID(), conversationId: groupId, body: "Hallo?" });
  expect(!write.ok && write.error.code).toBe("NOT_FOUND");

  // A replay from the start keeps the removal but shows the group's messages as gone.
  const replay = await live.nav!.request<{ events: UserEvent[] }>("sync", { since: 0 });
  const events = replay.ok ? replay.events : [];
  expect(events.some((e) => e.message && e.conversationId === groupId)).toBe(false);
  expect(events.some((e) => e.type === "conversation.removed" && e.conversationId === groupId)).toBe(true);
  expect(events.filter((e) => e.type === "gone").length).toBeGreaterThan(0);
});

test("the owner cannot be removed; a member may leave by themselves; a returning member is added again", async () => {
  const owner = await http.koordinator!.mutation("conversations.removeMembers", { conversationId: groupId, userIds: [ids.koordinator] });
  expect(!owner.ok && owner.error.data.appCode).toBe("INVALID_STATE");
  await http.helsesykepleier!.mutationOk("conversations.removeMembers", { conversationId: groupId, userIds: [ids.helsesykepleier] });
  expect(await memberNames("koordinator")).toEqual(["Kari Koordinator"]);

  await http.koordinator!.mutationOk("conversations.addMembers", { conversationId: groupId, userIds: [ids.nav, ids.helsesykepleier] });
  expect(await memberNames("nav")).toEqual(["Hanne Helsesykepleier", "Kari Koordinator", "Nils Veileder"]);
  const page = await http.nav!.queryOk<{ messages: { body: string }[] }>("messages.history", { conversationId: groupId });
  expect(page.messages.map((m) => m.body)).toContain("Etter at Nils gikk ut");
});

test("a mention in a group or a direct conversation links to that conversation, and only to it (neutral, no case)", async () => {
  const badge = live.nav!.next<UserEvent>("event", (e) => e.type === "notification");
  expect((await send("koordinator", "@Nils Veileder se her", { mentions: { userIds: [ids.nav, ids.barnevern] } })).ok).toBe(true);
  expect(await badge).toMatchObject({ conversationId: groupId, data: { kind: "mention" } });
  type Note = { kind: string; caseId: string | null; conversationId: string | null };
  const [note] = await http.nav!.queryOk<Note[]>("notifications.list");
  expect(note).toEqual({ id: expect.any(String), kind: "mention", caseId: null, conversationId: groupId, createdAt: expect.any(Date), read: false });
  // barnevern is not a member: mentioned or not, never told.
  expect((await http.barnevern!.queryOk<Note[]>("notifications.list")).some((n) => n.kind === "mention")).toBe(false);

  const { id: directId } = await http.helsesykepleier!.mutationOk<{ id: string }>("conversations.direct", { userId: ids.barnevern });
  const sent = await live.helsesykepleier!.request("message:send", {
    id: randomUUID(),
    conversationId: directId,
    body: "@Berit Barnevern ring meg",
    mentions: { userIds: [ids.barnevern] },
  });
  expect(sent.ok).toBe(true);
  const notes = await http.barnevern!.queryOk<Note[]>("notifications.list");
  expect(notes.filter((n) => n.kind === "mention")).toEqual([expect.objectContaining({ caseId: null, conversationId: directId })]);
});
