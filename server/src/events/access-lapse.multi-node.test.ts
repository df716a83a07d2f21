import { randomUUID } from "node:crypto";
import { addMeasure, readPlan } from "@laget/plan";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashPassword } from "../auth/passwords.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { connectPlan, eventually, type PlanClient } from "../plans/test-client.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { startChildServer, stopChildServer, type ChildServer } from "../testing/child-server.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { createTestDb, type TestDb } from "../testing/test-db.ts";

// DESIGN.md §4.3 "When a basis lapses": two server processes (the real entry point) over
// one PostgreSQL database and one Redis. In every test a health nurse of a unit of her own
// has the case's plan open and sits in its thread's room on node B, and the case's
// coordinator edits on node A and watches on node B; then her basis lapses. Her plan
// connection and room must close within 1 s, and nothing the coordinator does after the
// lapsing call returned (a plan edit, typing, a message) may reach her: the sentinel is
// the same things arriving at the coordinator's own connections on node B. Each scene
// has a coordinator of its own (typing is rate-limited per user), and a unit of its own.

const redisUrl = process.env.REDIS_URL;
const WITHIN_MS = 1_000;

describe.runIf(process.env.DATABASE_URL && redisUrl)("a user whose access ends loses it on every node within 1 s", () => {
  let testDb: TestDb;
  let nodeA: ChildServer;
  let nodeB: ChildServer;
  let adminA: HttpClient;
  let units: Record<string, string>;
  let municipalityId: string;
  const cleanup: (() => void)[] = [];

  beforeAll(async () => {
    testDb = await createTestDb("postgres");
    const env = { DATABASE_URL: testDb.url!, REDIS_URL: redisUrl, NODE_ENV: "test", LOG_LEVEL: "info" };
    // One after the other: the first seeds the demo municipality.
    nodeA = await startChildServer({ ...env, LAGET_DEMO: "on" });
    nodeB = await startChildServer({ ...env, LAGET_DEMO: "off" });
    adminA = await signedIn(nodeA.url, "admin@demo.laget.no", DEMO_PASSWORD);
    units = await unitIdsByName(adminA);
    municipalityId = (await testDb.db.selectFrom("units").select("municipality_id").where("id", "=", units["Fjellheim skole"]!).executeTakeFirstOrThrow()).municipality_id;
  }, 60_000);
  afterAll(async () => {
    for (const c of cleanup) c();
    await Promise.all([nodeA && stopChildServer(nodeA.child), nodeB && stopChildServer(nodeB.child)]);
    await testDb?.close();
  });

  let people = 0;
  let passwordHash: Promise<string> | undefined;
  /** A member of the unit, straight into the database, signed in on the given nodes. */
  async function member(unitId: string, role: "caseworker" | "coordinator", nodes: ChildServer[]) {
    const email = `person${++people}@demo.laget.no`;
    const user = await testDb.db
      .insertInto("users")
      .values({ municipality_id: municipalityId, email, display_name: `Person ${people}`, password_hash: await (passwordHash ??= hashPassword(DEMO_PASSWORD)), must_change_password: false })
      .returning("id")
      .executeTakeFirstOrThrow();
    const membership = await testDb.db.insertInto("memberships").values({ user_id: user.id, unit_id: unitId, role }).returning("id").executeTakeFirstOrThrow();
    const http = await Promise.all(nodes.map((node) => signedIn(node.url, email, DEMO_PASSWORD)));
    return { userId: user.id, membershipId: membership.id, http };
  }

  /** A health unit of its own with `count` caseworkers (signed in on node B), so each test's lapse touches nothing else. */
  async function healthUnit(count = 1) {
    const unit = await testDb.db
      .insertInto("units")
      .values({ municipality_id: municipalityId, name: `Helsestasjon ${people}`, kind: "health_station" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const staff: { userId: string; membershipId: string; http: HttpClient }[] = [];
    for (let i = 0; i < count; i++) {
      const m = await member(unit.id, "caseworker", [nodeB]);
      staff.push({ ...m, http: m.http[0]! });
    }
    return { unitId: unit.id, staff };
  }

  type Scene = {
    /** The case's coordinator, signed in on node A. */
    coordinator: HttpClient;
    writerUserId: string;
    caseId: string;
    subjectId: string;
    conversationId: string;
    consentId: string | null;
    writer: { plan: PlanClient; live: LiveClient };
    observer: { plan: PlanClient; live: LiveClient };
    victim: { plan: PlanClient; live: LiveClient; typing: string[]; revoked: Promise<unknown> };
  };

  /** A case of the school's with the unit in it (by consent unless `basis` gives it otherwise), everyone connected. */
  async function scene(
    unitId: string,
    victimHttp: HttpClient,
    basis?: (coordinator: HttpClient, caseId: string, subjectId: string) => Promise<void>,
    /** Where the coordinator edits from. */
    writerOn: "A" | "B" = "A",
  ): Promise<Scene> {
    const { http, userId: writerUserId } = await member(units["Fjellheim skole"]!, "coordinator", [nodeA, nodeB]);
    const [teacherA, teacherB] = http as [HttpClient, HttpClient];
    const { caseId, subjectId } = await createChildCase(teacherA, units["Fjellheim skole"]!);
    let consentId: string | null = null;
    if (basis) await basis(teacherA, caseId, subjectId);
    else {
      ({ consentId } = await teacherA.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [unitId]) }));
      await teacherA.mutationOk("consents.activate", { consentId });
    }
    const { id: conversationId } = await teacherA.mutationOk<{ id: string }>("conversations.ofCase", { caseId });
    const connect = async (url: string, http: HttpClient) => {
      const plan = connectPlan(url, http.cookie, caseId);
      const live = await connectLive(url, http.cookie!);
      cleanup.push(() => plan.destroy(), () => live.close());
      await plan.ready;
      expect((await live.request("conversation:join", { conversationId })).ok).toBe(true);
      return { plan, live };
    };
    const [writer, observer, victim] = await Promise.all([
      writerOn === "A" ? connect(nodeA.url, teacherA) : connect(nodeB.url, teacherB),
      connect(nodeB.url, teacherB),
      connect(nodeB.url, victimHttp),
    ]);
    const typing: string[] = [];
    victim.live.socket.on("typing", (p: { conversationId: string }) => void typing.push(p.conversationId));
    const revoked = victim.live.next("conversation:revoked", (p: { conversationId: string }) => p.conversationId === conversationId, 15_000);
    revoked.catch(() => {});
    // She is live in the case until now: a measure from node A reaches her on node B.
    const title = `Før ${randomUUID()}`;
    addMeasure(writer.plan.doc, { title });
    await eventually(() => expect(readPlan(victim.plan.doc).measures.map((m) => m.title)).toContain(title));
    return { coordinator: teacherA, writerUserId, caseId, subjectId, conversationId, consentId, writer, observer, victim: { ...victim, typing, revoked } };
  }

  /** Resolves once her plan connection is closed for revoked access and her room is gone; returns when (ms since epoch). */
  async function lapsed(s: Scene): Promise<number> {
    await Promise.all([s.victim.revoked, eventually(() => expect(s.victim.plan.closeReasons).toContain("access-revoked"), 15_000, 10)]);
    return Date.now();
  }

  /**
   * Right after the lapse: the coordinator edits the plan, types and writes on node A;
   * once all of it has reached her own connections on node B (and the nurse's socket has
   * answered a request sent after that), nothing of it may have reached the nurse.
   */
  async function assertNothingReaches(s: Scene) {
    const sentinel = `Etter ${randomUUID()}`;
    const typed = s.observer.live.next("typing", (p: { conversationId: string }) => p.conversationId === s.conversationId);
    addMeasure(s.writer.plan.doc, { title: sentinel });
    s.writer.live.socket.emit("typing", { conversationId: s.conversationId, typing: true });
    expect((await s.writer.live.request("message:send", { id: randomUUID(), conversationId: s.conversationId, body: sentinel })).ok).toBe(true);
    await Promise.all([
      typed,
      s.observer.live.until((a) => a.some((e) => e.message?.body === sentinel)),
      eventually(() => expect(readPlan(s.observer.plan.doc).measures.map((m) => m.title)).toContain(sentinel)),
    ]);
    // Anything the node sent her before this answer has arrived by now.
    expect((await s.victim.live.request("presence:query", { userIds: [] })).ok).toBe(true);
    expect(readPlan(s.victim.plan.doc).measures.map((m) => m.title)).not.toContain(sentinel);
    expect(s.victim.typing).toEqual([]);
    expect(s.victim.live.applied.some((e) => e.message?.body === sentinel)).toBe(false);
  }

  /** Runs the lapsing call on node A and checks that her live access closed within 1 s of it returning. */
  async function lapseBy(s: Scene, call: () => Promise<unknown>) {
    await call();
    const returned = Date.now();
    const nothing = assertNothingReaches(s);
    expect((await lapsed(s)) - returned).toBeLessThan(WITHIN_MS);
    await nothing;
  }

  async function accessEndedNotices(http: HttpClient, caseId: string) {
    const list = await http.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list");
    return list.filter((n) => n.kind === "case_access_ended" && n.caseId === caseId).length;
  }

  test("consent withdrawn on node A", async () => {
    const { unitId, staff } = await healthUnit();
    const s = await scene(unitId, staff[0]!.http);
    await lapseBy(s, () => s.coordinator.mutationOk("consents.withdraw", { consentId: s.consentId, reason: "Foreldrene trakk samtykket" }));
    expect(await accessEndedNotices(staff[0]!.http, s.caseId)).toBe(1);
    expect(await accessEndedNotices(s.coordinator, s.caseId)).toBe(0);
  });

  test("consent period ends: closed at the end moment, not when the expiry job next runs", async () => {
    const { unitId, staff } = await healthUnit();
    const periodEnd = new Date(Date.now() + 4_000);
    const s = await scene(unitId, staff[0]!.http, async (teacherA, caseId, subjectId) => {
      const { consentId } = await teacherA.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [unitId], { periodEnd }) });
      await teacherA.mutationOk("consents.activate", { consentId });
    });
    const at = await lapsed(s);
    expect(at - periodEnd.getTime()).toBeLessThan(WITHIN_MS);
    await assertNothingReaches(s);
  });

  test("a disclosure's validUntil passes: closed at that moment", async () => {
    const { unitId, staff } = await healthUnit();
    const validUntil = new Date(Date.now() + 4_000);
    const s = await scene(unitId, staff[0]!.http, async (teacherA, caseId) => {
      const statutes = await teacherA.queryOk<{ id: string; key: string }[]>("disclosures.statutes");
      await teacherA.mutationOk("disclosures.create", {
        caseId,
        statuteId: statutes[0]!.id,
        recipientUnitId: unitId,
        categories: ["identity", "plan", "conversation"],
        justification: "Samarbeid etter lovhjemmel",
        validUntil,
      });
    });
    const at = await lapsed(s);
    expect(at - validUntil.getTime()).toBeLessThan(WITHIN_MS);
    await assertNothingReaches(s);
  });

  test("her membership of the unit removed on node A", async () => {
    const { unitId, staff } = await healthUnit();
    const s = await scene(unitId, staff[0]!.http);
    await lapseBy(s, () => adminA.mutationOk("users.removeMembership", { membershipId: staff[0]!.membershipId }));
    expect(await accessEndedNotices(staff[0]!.http, s.caseId)).toBe(1);
  });

  test("her unit deactivated on node A", async () => {
    const { unitId, staff } = await healthUnit();
    const s = await scene(unitId, staff[0]!.http);
    await lapseBy(s, () => adminA.mutationOk("units.deactivate", { unitId }));
    expect(await accessEndedNotices(staff[0]!.http, s.caseId)).toBe(1);
  });

  test("her unit removed from the case's participants on node A", async () => {
    const { unitId, staff } = await healthUnit();
    const s = await scene(unitId, staff[0]!.http);
    const c = await s.coordinator.queryOk<{ participants: { id: string; unitId: string }[] }>("cases.get", { caseId: s.caseId });
    const participantId = c.participants.find((p) => p.unitId === unitId)!.id;
    await lapseBy(s, () => s.coordinator.mutationOk("cases.removeParticipant", { caseId: s.caseId, participantId }));
    expect(await accessEndedNotices(staff[0]!.http, s.caseId)).toBe(1);
  });

  test("a colleague of her unit named as the participant: the unit narrows to named people, she is out", async () => {
    const { unitId, staff } = await healthUnit(2);
    const s = await scene(unitId, staff[0]!.http);
    await lapseBy(s, () => s.coordinator.mutationOk("cases.addParticipant", { caseId: s.caseId, unitId, userId: staff[1]!.userId }));
    expect(await accessEndedNotices(staff[0]!.http, s.caseId)).toBe(1);
    expect(await accessEndedNotices(staff[1]!.http, s.caseId)).toBe(0);
  });

  test("withdrawn again and again: nothing sent just after withdraw returned reaches her, from either node", async () => {
    const { unitId, staff } = await healthUnit();
    for (let round = 0; round < 10; round++) {
      const s = await scene(unitId, staff[0]!.http, undefined, round % 2 === 0 ? "A" : "B");
      await lapseBy(s, () => s.coordinator.mutationOk("consents.withdraw", { consentId: s.consentId, reason: `Runde ${round}` }));
    }
  });

  test("her socket dropped during the withdrawal is not recovered into the thread's room: nothing is replayed to her", async () => {
    const { unitId, staff } = await healthUnit();
    const s = await scene(unitId, staff[0]!.http);
    const socket = s.victim.live.socket;
    socket.io.reconnection(false);
    // Node B has stored a session for recovery once it announces its user's presence (it does so after).
    const presenceOf = (observed: LiveClient, userId: string) => observed.next("presence", (p: { userId: string }) => p.userId === userId);
    const stored = presenceOf(s.observer.live, staff[0]!.userId);
    // The transport dies without a goodbye: socket.io keeps her session (rooms, missed packets) for recovery.
    socket.io.engine.close();
    await stored;
    await s.coordinator.mutationOk("consents.withdraw", { consentId: s.consentId, reason: "Trukket mens hun var borte" });
    const typed = s.observer.live.next("typing", (p: { conversationId: string }) => p.conversationId === s.conversationId);
    s.writer.live.socket.emit("typing", { conversationId: s.conversationId, typing: true });
    await typed;
    // Replayed packets would arrive before hello, which comes from the connection handler.
    const hello = s.victim.live.next<{ recovered: boolean }>("hello");
    socket.io.reconnection(true);
    socket.connect();
    const { recovered } = await hello;
    expect(s.victim.typing).toEqual([]);
    expect(recovered).toBe(false);
    // An allowed user's dropped socket still recovers.
    const observer = s.observer.live.socket;
    observer.io.reconnection(false);
    const observerStored = presenceOf(s.writer.live, s.writerUserId);
    observer.io.engine.close();
    await observerStored;
    const observerHello = s.observer.live.next<{ recovered: boolean }>("hello");
    observer.io.reconnection(true);
    observer.connect();
    expect((await observerHello).recovered).toBe(true);
  });

  test("a plan is open under its one name only: another spelling is refused before authentication", async () => {
    const { unitId, staff } = await healthUnit();
    const nurse = staff[0]!.http;
    const s = await scene(unitId, nurse);
    for (const name of [`plan:${s.caseId.toUpperCase()}`, `PLAN:${s.caseId}`, `slt-plan:${s.caseId}`]) {
      for (const cookie of [nurse.cookie, null]) {
        // Without a cookie the refusal would say "unauthenticated" had authentication run first.
        const other = connectPlan(nodeB.url, cookie, s.caseId, { name });
        cleanup.push(() => other.destroy());
        await expect(other.ready).rejects.toThrow("authentication failed: not-found");
      }
    }
    await lapseBy(s, () => s.coordinator.mutationOk("consents.withdraw", { consentId: s.consentId, reason: "Trukket" }));
    for (const name of [`plan:${s.caseId}`, `plan:${s.caseId.toUpperCase()}`]) {
      const again = connectPlan(nodeB.url, nurse.cookie, s.caseId, { name });
      cleanup.push(() => again.destroy());
      await expect(again.ready).rejects.toThrow("authentication failed");
    }
  });

  test("she is deactivated on node A", async () => {
    const { unitId, staff } = await healthUnit();
    const s = await scene(unitId, staff[0]!.http);
    const closed = eventually(() => expect(s.victim.plan.closeReasons).toContain("access-revoked"), 15_000, 10);
    const disconnected = s.victim.live.next("disconnect");
    await adminA.mutationOk("users.deactivate", { userId: staff[0]!.userId });
    const returned = Date.now();
    await Promise.all([closed, disconnected]);
    expect(Date.now() - returned).toBeLessThan(WITHIN_MS);
  });
});
