import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashPassword } from "../auth/passwords.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import type { RunningServer } from "../server.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";
import { startServerOn, startTestServer, type TestServer } from "../testing/test-server.ts";
import type { CaseAccessEnded } from "./case-watch.ts";

// An open case page watches its case over the socket: the watch is decided like a read,
// and when access ends the page is told at once, in words that reveal nothing more.

let server: TestServer;
const http: Record<string, HttpClient> = {};
const live: Record<string, LiveClient> = {};
const ended: Record<string, CaseAccessEnded[]> = {};
let caseId: string;
let consentId: string;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const user of ["koordinator", "helsesykepleier", "barnevern"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
    live[user] = await connectLive(server.url, http[user].cookie!);
    ended[user] = [];
    live[user].socket.on("case:accessEnded", (p: CaseAccessEnded) => ended[user]!.push(p));
  }
  const units = await unitIdsByName(http.koordinator!);
  let subjectId: string;
  ({ caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!));
  ({ consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", {
    caseId,
    ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
  }));
  await http.koordinator!.mutationOk("consents.activate", { consentId });
});
afterAll(async () => {
  for (const c of cleanup) c();
  for (const c of Object.values(live)) c.close();
  await server?.stop();
});

test("a watch is decided like a read: one the user may not see answers exactly like a missing case, and is audited", async () => {
  expect((await live.koordinator!.request("case:watch", { caseId })).ok).toBe(true);
  expect((await live.helsesykepleier!.request("case:watch", { caseId })).ok).toBe(true);
  expect((await live.helsesykepleier!.request("case:watch", { caseId, scope: "plan" })).ok).toBe(true);

  const hidden = await live.barnevern!.request("case:watch", { caseId });
  const missing = await live.barnevern!.request("case:watch", { caseId: randomUUID() });
  expect(hidden).toEqual(missing);
  expect(!hidden.ok && hidden.error.code).toBe("NOT_FOUND");
  const bad = await live.barnevern!.request("case:watch", { caseId: "not-an-id" });
  expect(!bad.ok && bad.error.code).toBe("VALIDATION");

  const log = await http.koordinator!.queryOk<{ actorName: string; action: string; basis: { kind: string } | null }[]>("audit.caseLog", { caseId });
  expect(log.some((e) => e.actorName === "Hanne Helsesykepleier" && e.action === "case.watch" && e.basis?.kind === "consent")).toBe(true);
  expect(log.some((e) => e.actorName === "Hanne Helsesykepleier" && e.action === "plan.watch" && e.basis?.kind === "consent")).toBe(true);
  // A refused watch is audited, but like a guessed id: naming no case (so not in this case's log).
  expect(log.some((e) => e.actorName === "Berit Barnevern")).toBe(false);
  const refused = await server.db.selectFrom("audit_events").select(["case_id", "resource_id"]).where("action", "=", "denied:case.watch").execute();
  expect(refused.length).toBeGreaterThanOrEqual(2);
  expect(refused.every((e) => e.case_id === null && e.resource_id === null)).toBe(true);
});

test("on withdrawal the nurse's watches end with a neutral reason; the coordinator keeps hers, and barnevern was never in the room", async () => {
  const caseEnded = live.helsesykepleier!.next<CaseAccessEnded>("case:accessEnded", (p) => p.scope === "case");
  const planEnded = live.helsesykepleier!.next<CaseAccessEnded>("case:accessEnded", (p) => p.scope === "plan");
  await http.koordinator!.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket" });
  expect(await caseEnded).toEqual({ caseId, scope: "case", reason: "consent_withdrawn" });
  expect(await planEnded).toEqual({ caseId, scope: "plan", reason: "consent_withdrawn" });

  // Sentinel: every socket of the room was told in the same pass as the nurse; an acked
  // round trip on each other socket comes after anything that pass sent it.
  expect((await live.koordinator!.request("presence:query", { userIds: [] })).ok).toBe(true);
  expect((await live.barnevern!.request("presence:query", { userIds: [] })).ok).toBe(true);
  expect(ended.koordinator).toEqual([]);
  expect(ended.barnevern).toEqual([]);

  // Out of the room: watching again is refused, and a later narrowing tells her nothing twice.
  const again = await live.helsesykepleier!.request("case:watch", { caseId });
  expect(!again.ok && again.error.code).toBe("NOT_FOUND");
  expect(ended.helsesykepleier).toHaveLength(2);
});

/** A caseworker of Helsestasjonen of her own (the demo staff stay as they are), signed in and live. */
let people = 0;
async function nurseOfHelsestasjonen() {
  const units = await unitIdsByName(http.koordinator!);
  const admin = await server.db.selectFrom("users").select("municipality_id").where("email", "=", "admin@demo.laget.no").executeTakeFirstOrThrow();
  const email = `watcher${++people}@demo.laget.no`;
  const user = await server.db
    .insertInto("users")
    .values({ municipality_id: admin.municipality_id, email, display_name: `Watcher ${people}`, password_hash: await hashPassword(DEMO_PASSWORD), must_change_password: false })
    .returning("id")
    .executeTakeFirstOrThrow();
  const membership = await server.db.insertInto("memberships").values({ user_id: user.id, unit_id: units["Helsestasjonen"]!, role: "caseworker" }).returning("id").executeTakeFirstOrThrow();
  const nurseHttp = await signedIn(server.url, email, DEMO_PASSWORD);
  const nurseLive = await connectLive(server.url, nurseHttp.cookie!);
  cleanup.push(() => nurseLive.close());
  return { userId: user.id, membershipId: membership.id, http: nurseHttp, live: nurseLive, units };
}

/** A case of Fjellheim skole shared with Helsestasjonen by consent (no thread: only watches are live). */
async function sharedCase(units: Record<string, string>, overrides: Record<string, unknown> = {}) {
  const { caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!);
  const { consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", {
    caseId,
    ...consentTerms(subjectId, [units["Helsestasjonen"]!], overrides),
  });
  await http.koordinator!.mutationOk("consents.activate", { consentId });
  return { caseId, consentId };
}

test("her membership of the unit removed: her watches of the case and its plan end before the call returns", async () => {
  const nurse = await nurseOfHelsestasjonen();
  const { caseId } = await sharedCase(nurse.units);
  expect((await nurse.live.request("case:watch", { caseId })).ok).toBe(true);
  expect((await nurse.live.request("case:watch", { caseId, scope: "plan" })).ok).toBe(true);
  const seen: CaseAccessEnded[] = [];
  nurse.live.socket.on("case:accessEnded", (p: CaseAccessEnded) => seen.push(p));
  const admin = await signedIn(server.url, "admin@demo.laget.no", DEMO_PASSWORD);
  await admin.mutationOk("users.removeMembership", { membershipId: nurse.membershipId });
  // An answer on her socket comes after anything the server sent it before the call returned.
  expect((await nurse.live.request("presence:query", { userIds: [] })).ok).toBe(true);
  expect(seen).toEqual([
    { caseId, scope: "case", reason: "access_ended" },
    { caseId, scope: "plan", reason: "access_ended" },
  ]);
});

test("a consent's period ends: the watch ends at that moment, though the case has no thread and the expiry job runs later", async () => {
  const nurse = await nurseOfHelsestasjonen();
  const periodEnd = new Date(Date.now() + 3_000);
  const { caseId } = await sharedCase(nurse.units, { periodEnd });
  expect((await nurse.live.request("case:watch", { caseId })).ok).toBe(true);
  const ended = await nurse.live.next<CaseAccessEnded>("case:accessEnded", (p) => p.caseId === caseId, 8_000);
  expect(Date.now() - periodEnd.getTime()).toBeLessThan(1_000);
  expect(ended).toEqual({ caseId, scope: "case", reason: "consent_expired" });
}, 15_000);

const redisUrl = process.env.REDIS_URL;
describe.runIf(process.env.DATABASE_URL && redisUrl)("two nodes sharing PostgreSQL and Redis", () => {
  let testDb: TestDb;
  let nodes: RunningServer[] = [];
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    testDb = await createTestDb("postgres");
    nodes = [await startServerOn(testDb, { redisUrl }), await startServerOn(testDb, { redisUrl })];
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const n of nodes) await n.close();
    await testDb?.close();
  });

  test("a withdrawal decided on node A ends the watch of a page connected to node B", async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const teacher = await signedIn(a.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
    const nurse = await signedIn(b.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
    const units = await unitIdsByName(teacher);
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!);
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
    await teacher.mutationOk("consents.activate", { consentId });
    const watcher = await connectLive(b.url, nurse.cookie!);
    clients.push(watcher);
    expect((await watcher.request("case:watch", { caseId })).ok).toBe(true);

    const ended = watcher.next<CaseAccessEnded>("case:accessEnded", (p) => p.caseId === caseId, 1_000);
    await teacher.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket" });
    expect(await ended).toEqual({ caseId, scope: "case", reason: "consent_withdrawn" });
  });
});
