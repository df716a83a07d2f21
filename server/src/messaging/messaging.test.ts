import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createMunicipality } from "../testing/fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, handshakeError, type LiveClient } from "../testing/live-client.ts";
import { upgrade } from "../testing/upgrade.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import type { MessageView } from "../events/user-events.ts";

let server: TestServer;
const http: Record<string, HttpClient> = {};
const live: Record<string, LiveClient> = {};
const ids: Record<string, string> = {};
type Summary = { id: string; kind: string; unread: number; mentionCount: number; lastSeq: number; personalDataWarning: boolean; title: string };
type Sent = { message: MessageView; duplicate: boolean };

beforeAll(async () => {
  // A tight send limit so flooding is quick to show.
  server = await startTestServer({ socketLimits: { messages: { burst: 25, perSecond: 2 } } });
  for (const user of ["koordinator", "helsesykepleier", "nav", "leder"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
    live[user] = await connectLive(server.url, http[user].cookie!);
    ids[user] = (await http[user].queryOk<{ id: string }>("auth.me")).id;
  }
});
afterAll(async () => {
  for (const c of Object.values(live)) c.close();
  await server?.stop();
});

const send = (who: string, conversationId: string, body: string, extra: Record<string, unknown> = {}) =>
  live[who]!.request<Sent>("message:send", { id: randomUUID(), conversationId, body, ...extra });

describe("the handshake", () => {
  test("refuses a socket without a session or with a forged one, and accepts a real session", async () => {
    expect(await handshakeError(server.url, { origin: server.url })).toBe("UNAUTHENTICATED");
    expect(await handshakeError(server.url, { origin: server.url, cookie: "laget_session=abc.def" })).toBe("UNAUTHENTICATED");
    expect(await handshakeError(server.url, { origin: server.url, cookie: http.koordinator!.cookie! })).toBeNull();
  });

  test("a foreign Origin is refused before the handshake, on both transports, with the refusal's own words", async () => {
    const cookie = http.koordinator!.cookie!;
    // socket.io's client reports only "websocket error" for a refused upgrade: ask over raw HTTP.
    const websocket = "/socket.io/?EIO=4&transport=websocket";
    expect(await upgrade(server.url, websocket, { origin: "https://evil.example", cookie })).toEqual({ status: 400, body: "Cross-site request refused" });
    expect(await upgrade(server.url, websocket, { origin: server.url, cookie })).toEqual({ status: 101, body: "" });
    const polling = (origin: string) => fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin, cookie } });
    const refused = await polling("https://evil.example");
    expect({ status: refused.status, body: await refused.json() }).toEqual({ status: 403, body: { code: 4, message: "Cross-site request refused" } });
    expect((await polling(server.url)).status).toBe(200);
  });
});

describe("a group conversation", () => {
  let group: Summary;

  test("the owner creates a team; members see it with the personal-data reminder flag and are told live", async () => {
    const added = live.helsesykepleier!.until((a) => a.some((e) => e.type === "conversation.added"));
    group = await http.koordinator!.mutationOk<Summary>("conversations.createGroup", {
      groupKind: "team",
      title: "Team Fjellheim",
      memberIds: [ids.helsesykepleier, ids.nav],
    });
    expect(group).toMatchObject({ kind: "group", personalDataWarning: true, unread: 0, title: "Team Fjellheim" });
    await added;
    const list = await http.nav!.queryOk<Summary[]>("conversations.list");
    expect(list.map((c) => c.id)).toContain(group.id);
    expect((await http.leder!.queryOk<Summary[]>("conversations.list")).map((c) => c.id)).not.toContain(group.id);
  });

  test("a message is acked with its sequence number and delivered live to every member once; a retry never duplicates", async () => {
    const id = randomUUID();
    const payload = { id, conversationId: group.id, body: "Møte torsdag kl. 10?" };
    const ack = await live.koordinator!.request<Sent>("message:send", payload);
    expect(ack).toMatchObject({ ok: true, duplicate: false, message: { seq: 1, body: "Møte torsdag kl. 10?" } });
    const retry = await live.koordinator!.request<Sent>("message:send", payload);
    expect(retry).toMatchObject({ ok: true, duplicate: true, message: { id, seq: 1 } });
    for (const who of ["helsesykepleier", "nav", "koordinator"]) {
      await live[who]!.until((a) => a.some((e) => e.message?.id === id));
    }
    await send("nav", group.id, "Passer fint");
    await live.helsesykepleier!.until((a) => a.some((e) => e.message?.seq === 2));
    expect(live.helsesykepleier!.applied.filter((e) => e.message?.id === id)).toHaveLength(1);
    expect(live.leder!.applied.some((e) => e.conversationId === group.id)).toBe(false);
    // Unread from the counters: the nurse has read nothing, NAV's own message counts as read.
    const nurse = (await http.helsesykepleier!.queryOk<Summary[]>("conversations.list")).find((c) => c.id === group.id)!;
    expect(nurse).toMatchObject({ lastSeq: 2, unread: 2 });
    const nav = (await http.nav!.queryOk<Summary[]>("conversations.list")).find((c) => c.id === group.id)!;
    expect(nav.unread).toBe(0);
  });

  test("history pages by keyset, before and after a sequence number", async () => {
    for (let i = 3; i <= 7; i++) expect((await send("koordinator", group.id, `Melding ${i}`)).ok).toBe(true);
    type Page = { messages: MessageView[]; hasMore: boolean };
    const latest = await http.nav!.queryOk<Page>("messages.history", { conversationId: group.id, limit: 3 });
    expect(latest.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(latest.hasMore).toBe(true);
    const older = await http.nav!.queryOk<Page>("messages.history", { conversationId: group.id, before: 5, limit: 3 });
    expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
    const newer = await http.nav!.queryOk<Page>("messages.history", { conversationId: group.id, after: 5, limit: 200 });
    expect(newer).toMatchObject({ hasMore: false });
    expect(newer.messages.map((m) => m.seq)).toEqual([6, 7]);
    const tooMany = await http.nav!.query("messages.history", { conversationId: group.id, limit: 201 });
    expect(!tooMany.ok && tooMany.error.data.appCode).toBe("VALIDATION");
  });

  test("reply, edit with history kept, delete as a tombstone; only the author may change a message", async () => {
    const reply = await send("helsesykepleier", group.id, "Svar på første", { replyToSeq: 1 });
    expect(reply.ok && reply.message.replyToSeq).toBe(1);
    const messageId = reply.ok ? reply.message.id : "";
    const notMine = await live.nav!.request("message:edit", { messageId, body: "Nei" });
    expect(!notMine.ok && notMine.error.code).toBe("NOT_AUTHOR");
    const edited = await live.helsesykepleier!.request<Sent>("message:edit", { messageId, body: "Svar på første (rettet)" });
    expect(edited.ok && edited.message).toMatchObject({ body: "Svar på første (rettet)", editedAt: expect.any(String) });
    await live.nav!.until((a) => a.some((e) => e.type === "message.edited" && e.message?.id === messageId));
    expect(await http.nav!.queryOk("messages.edits", { messageId })).toEqual([{ body: "Svar på første", replacedAt: expect.any(Date) }]);

    const deleted = await live.helsesykepleier!.request<Sent>("message:delete", { messageId });
    expect(deleted.ok && deleted.message).toMatchObject({ body: null, deletedAt: expect.any(String) });
    await live.nav!.until((a) => a.some((e) => e.type === "message.deleted" && e.message?.body === null));
    const page = await http.nav!.queryOk<{ messages: MessageView[] }>("messages.history", { conversationId: group.id, after: 7 });
    expect(page.messages[0]).toMatchObject({ id: messageId, body: null });
    // Kept for audit.
    const row = await server.db.selectFrom("messages").select("body").where("id", "=", messageId).executeTakeFirstOrThrow();
    expect(row.body).toBe("Svar på første (rettet)");
    expect(await http.nav!.queryOk("messages.edits", { messageId })).toEqual([]);
  });

  test("a mention counts on the mentioned member, notifies neutrally (live badge too), and reading clears it", async () => {
    const badge = live.nav!.next<{ type: string; data: { kind: string } }>("event", (e) => e.type === "notification");
    const ack = await send("koordinator", group.id, "@Nils kan du ta denne?", { mentions: { userIds: [ids.nav, ids.leder] } });
    expect(ack.ok).toBe(true);
    expect((await badge).data).toEqual({ kind: "mention" });
    const before = (await http.nav!.queryOk<Summary[]>("conversations.list")).find((c) => c.id === group.id)!;
    expect(before.mentionCount).toBe(1);
    const notes = await http.nav!.queryOk<{ kind: string; caseId: string | null; conversationId: string | null }[]>("notifications.list");
    expect(notes[0]).toEqual(expect.objectContaining({ kind: "mention", caseId: null, conversationId: group.id }));
    // Not a member: never told.
    expect((await http.leder!.queryOk<{ kind: string }[]>("notifications.list")).some((n) => n.kind === "mention")).toBe(false);

    const read = await live.nav!.request<{ unread: number; mentionCount: number }>("conversation:read", { conversationId: group.id, seq: before.lastSeq });
    expect(read).toMatchObject({ ok: true, unread: 0, mentionCount: 0 });
    const after = (await http.nav!.queryOk<Summary[]>("conversations.list")).find((c) => c.id === group.id)!;
    expect(after).toMatchObject({ unread: 0, mentionCount: 0 });
  });

  test("typing reaches the other members of the room, and presence goes online → away → offline", async () => {
    const typing = live.nav!.next<{ userId: string; typing: boolean }>("typing");
    live.helsesykepleier!.socket.emit("typing", { conversationId: group.id, typing: true });
    expect(await typing).toMatchObject({ userId: ids.helsesykepleier, typing: true });

    const query = () => live.koordinator!.request<{ presence: Record<string, string> }>("presence:query", { userIds: [ids.nav, ids.leder] });
    expect(await query()).toMatchObject({ presence: { [ids.nav!]: "online", [ids.leder!]: "online" } });
    const away = live.koordinator!.next<{ userId: string; status: string }>("presence", (p) => p.userId === ids.nav);
    await live.nav!.request("presence:set", { status: "away" });
    expect(await away).toMatchObject({ status: "away" });
    const offline = live.koordinator!.next<{ userId: string; status: string }>("presence", (p) => p.userId === ids.nav && p.status === "offline");
    live.nav!.close();
    await offline;
    live.nav = await connectLive(server.url, http.nav!.cookie!);
  });

  test("members are managed by the owner only", async () => {
    const refused = await http.nav!.mutation("conversations.addMembers", { conversationId: group.id, userIds: [ids.leder] });
    expect(!refused.ok && refused.error.data.appCode).toBe("NOT_GROUP_OWNER");
    await http.koordinator!.mutationOk("conversations.addMembers", { conversationId: group.id, userIds: [ids.leder] });
    expect((await http.leder!.queryOk<Summary[]>("conversations.list")).map((c) => c.id)).toContain(group.id);
    const removed = live.leder!.until((a) => a.some((e) => e.type === "conversation.removed"));
    await http.koordinator!.mutationOk("conversations.removeMembers", { conversationId: group.id, userIds: [ids.leder] });
    await removed;
    const res = await http.leder!.query("messages.history", { conversationId: group.id });
    expect(!res.ok && res.error.data.appCode).toBe("NOT_FOUND");
    const members = await http.koordinator!.queryOk<{ displayName: string }[]>("conversations.members", { conversationId: group.id });
    expect(members).toHaveLength(3);
  });
});

describe("direct messages", () => {
  test("between two users of the same municipality; never across municipalities", async () => {
    const dm = await http.koordinator!.mutationOk<Summary>("conversations.direct", { userId: ids.leder });
    expect(dm).toMatchObject({ kind: "direct", personalDataWarning: false });
    expect((await http.leder!.mutationOk<Summary>("conversations.direct", { userId: ids.koordinator })).id).toBe(dm.id);
    const ack = await send("leder", dm.id, "Hei!");
    expect(ack.ok).toBe(true);
    await live.koordinator!.until((a) => a.some((e) => e.conversationId === dm.id && e.message?.body === "Hei!"));

    const other = await createMunicipality(server.db, "Annen kommune", DEMO_PASSWORD, [{ email: "ola@annen.no", unit: "Skolen", role: "caseworker" }]);
    const res = await http.koordinator!.mutation("conversations.direct", { userId: other.userIds["ola@annen.no"] });
    expect(!res.ok && res.error.data.appCode).toBe("NOT_FOUND");
  });
});

describe("bad input and flooding", () => {
  let conversationId: string;
  beforeAll(async () => {
    conversationId = (await http.koordinator!.mutationOk<Summary>("conversations.direct", { userId: ids.helsesykepleier })).id;
  });

  test("empty, oversized, malformed and unknown get clear errors over the ack", async () => {
    const code = async (payload: unknown) => {
      const res = await live.koordinator!.request("message:send", payload);
      return res.ok ? "ok" : res.error.code;
    };
    expect(await code({ id: randomUUID(), conversationId, body: "   " })).toBe("MESSAGE_EMPTY");
    expect(await code({ id: randomUUID(), conversationId, body: "x".repeat(10_001) })).toBe("MESSAGE_TOO_LONG");
    expect(await code({ id: randomUUID(), conversationId, body: "x".repeat(10_000) })).toBe("ok");
    expect(await code({ id: "not-a-uuid", conversationId, body: "Hei" })).toBe("VALIDATION");
    expect(await code(null)).toBe("VALIDATION");
    expect(await code({ id: randomUUID(), conversationId: randomUUID(), body: "Hei" })).toBe("NOT_FOUND");
    // Someone else's conversation is just as unknown.
    const theirs = (await http.nav!.mutationOk<Summary>("conversations.direct", { userId: ids.leder })).id;
    expect(await code({ id: randomUUID(), conversationId: theirs, body: "Hei" })).toBe("NOT_FOUND");
  });

  test("a reply to a message that does not exist and a message id already used are refused, leaving no gap", async () => {
    const code = async (res: Promise<{ ok: boolean; error?: { code: string } }>) => ((await res).ok ? "ok" : (await res).error!.code);
    const first = await send("koordinator", conversationId, "Første");
    const { id, seq } = first.ok ? first.message : { id: "", seq: 0 };
    expect(await code(send("koordinator", conversationId, "Svar", { replyToSeq: seq + 1 }))).toBe("VALIDATION");
    // The same id from the other member, or in another conversation: answered like a
    // conversation one cannot see, so an id never tells whether its message exists.
    expect(await code(live.helsesykepleier!.request("message:send", { id, conversationId, body: "Kopi" }))).toBe("NOT_FOUND");
    const other = (await http.koordinator!.mutationOk<Summary>("conversations.direct", { userId: ids.nav })).id;
    expect(await code(live.koordinator!.request("message:send", { id, conversationId: other, body: "Kopi" }))).toBe("NOT_FOUND");
    const next = await send("koordinator", conversationId, "Neste", { replyToSeq: seq });
    expect(next.ok && next.message.seq).toBe(seq + 1);
  });

  test("a flooding client is rate limited while another is served promptly", async () => {
    const flood = await Promise.all(Array.from({ length: 60 }, (_, i) => send("helsesykepleier", conversationId, `spam ${i}`)));
    const limited = flood.filter((r) => !r.ok && r.error.code === "RATE_LIMITED").length;
    expect(limited).toBeGreaterThan(25);
    const started = performance.now();
    const ack = await send("koordinator", conversationId, "Fortsatt her");
    expect(ack.ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
