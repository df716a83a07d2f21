import { io } from "socket.io-client";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { hashPassword } from "../auth/passwords.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import type { CaseAccessEnded } from "../messaging/case-watch.ts";
import { connectPlan, eventually } from "../plans/test-client.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { accessChanged } from "./bus.ts";

// DESIGN.md §4.3 "when a basis lapses", at its seams: a live connection judged while a
// narrowing is handled (the narrowing cannot see a connection that is not there yet), and
// a node that must have acted before it acknowledges the event. The server runs in this
// process; the seams are held open on purpose (`hold`), never waited out with a sleep.

const seams = vi.hoisted(() => ({
  /** authorizeCase calls for this audit action wait, once the decision is made, until released. */
  holds: new Map<string, { reached: () => void; released: Promise<void> }>(),
  /** loadActor takes this long more (a slow database), to tell "acted before acking" from "acted soon". */
  slowActorMs: 0,
}));

vi.mock(import("../cases/access.ts"), async (importOriginal) => {
  const mod = await importOriginal();
  return {
    ...mod,
    authorizeCase: async (...args: Parameters<typeof mod.authorizeCase>) => {
      const decided = await mod.authorizeCase(...args);
      const hold = seams.holds.get(args[3].auditAction);
      if (hold) {
        seams.holds.delete(args[3].auditAction);
        hold.reached();
        await hold.released;
      }
      return decided;
    },
  };
});
vi.mock(import("../auth/sessions.ts"), async (importOriginal) => {
  const mod = await importOriginal();
  return {
    ...mod,
    validateSessionToken: async (...args: Parameters<typeof mod.validateSessionToken>) => {
      const validated = await mod.validateSessionToken(...args);
      const hold = seams.holds.get("session");
      if (hold) {
        seams.holds.delete("session");
        hold.reached();
        await hold.released;
      }
      return validated;
    },
  };
});
vi.mock(import("../auth/actor.ts"), async (importOriginal) => {
  const mod = await importOriginal();
  return {
    ...mod,
    loadSessionWithActor: async (...args: Parameters<typeof mod.loadSessionWithActor>) => {
      if (seams.slowActorMs) await new Promise((r) => setTimeout(r, seams.slowActorMs));
      return mod.loadSessionWithActor(...args);
    },
  };
});

/** Holds the next decision for `auditAction` (or the next session check, "session") after it is made: `reached` resolves then, `release()` lets it go on. */
function hold(auditAction: string) {
  let reached!: () => void;
  let release!: () => void;
  const reachedP = new Promise<void>((r) => (reached = r));
  seams.holds.set(auditAction, { reached, released: new Promise<void>((r) => (release = r)) });
  return { reached: reachedP, release };
}

let server: TestServer;
let coordinator: HttpClient;
let units: Record<string, string>;
let municipalityId: string;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  units = await unitIdsByName(coordinator);
  municipalityId = (await server.db.selectFrom("units").select("municipality_id").where("id", "=", units["Helsestasjonen"]!).executeTakeFirstOrThrow()).municipality_id;
});
afterAll(async () => {
  for (const c of cleanup) c();
  await server?.stop();
});

let people = 0;
/** A caseworker of Helsestasjonen of her own, signed in. */
async function nurse() {
  const email = `seam${++people}@demo.laget.no`;
  const user = await server.db
    .insertInto("users")
    .values({ municipality_id: municipalityId, email, display_name: `Seam ${people}`, password_hash: await hashPassword(DEMO_PASSWORD), must_change_password: false })
    .returning("id")
    .executeTakeFirstOrThrow();
  await server.db.insertInto("memberships").values({ user_id: user.id, unit_id: units["Helsestasjonen"]!, role: "caseworker" }).execute();
  return signedIn(server.url, email, DEMO_PASSWORD);
}

/** A case of the school's shared with Helsestasjonen by consent. */
async function sharedCase() {
  const { caseId, subjectId } = await createChildCase(coordinator, units["Fjellheim skole"]!);
  const { consentId } = await coordinator.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
  await coordinator.mutationOk("consents.activate", { consentId });
  return { caseId, consentId };
}

test("a plan connection authorised just before the consent is withdrawn is judged again once connected, and closed", async () => {
  const http = await nurse();
  const { caseId, consentId } = await sharedCase();
  const held = hold("plan.connect");
  const plan = connectPlan(server.url, http.cookie, caseId);
  cleanup.push(() => plan.destroy());
  // Her connection is allowed but not yet open when the withdrawal is handled.
  await held.reached;
  await coordinator.mutationOk("consents.withdraw", { consentId, reason: "Trukket mens planen åpnet seg" });
  held.release();
  await eventually(() => expect(plan.closeReasons).toContain("access-revoked"), 5_000, 10);
});

test("a plan connection authorised just before its session ends is closed once connected, though the user still has access", async () => {
  const http = await nurse();
  const { caseId } = await sharedCase();
  const held = hold("plan.connect");
  const plan = connectPlan(server.url, http.cookie, caseId);
  cleanup.push(() => plan.destroy());
  await held.reached;
  await http.mutationOk("auth.logout");
  held.release();
  await eventually(() => expect(plan.closeReasons).toContain("access-revoked"), 5_000, 10);
});

test("a case watch decided just before the consent is withdrawn is judged again once in its room, and ended", async () => {
  const http = await nurse();
  const { caseId, consentId } = await sharedCase();
  const live = await connectLive(server.url, http.cookie!);
  cleanup.push(() => live.close());
  const ended = live.next<CaseAccessEnded>("case:accessEnded", (p) => p.caseId === caseId, 5_000);
  const held = hold("case.watch");
  const watched = live.request("case:watch", { caseId });
  await held.reached;
  await coordinator.mutationOk("consents.withdraw", { consentId, reason: "Trukket mens saken åpnet seg" });
  held.release();
  await watched;
  expect(await ended).toEqual({ caseId, scope: "case", reason: "access_ended" });
});

test("a node has ended the watches a narrowing touches before it has handled the event, even on a slow database", async () => {
  const http = await nurse();
  const { caseId, consentId } = await sharedCase();
  const live = await connectLive(server.url, http.cookie!);
  cleanup.push(() => live.close());
  expect((await live.request("case:watch", { caseId })).ok).toBe(true);
  const seen: CaseAccessEnded[] = [];
  live.socket.on("case:accessEnded", (p: CaseAccessEnded) => seen.push(p));
  // The change straight in the database, then the event: once publish returns, the node has acted.
  await server.db.updateTable("consents").set({ status: "withdrawn", ended_at: new Date() }).where("id", "=", consentId).execute();
  seams.slowActorMs = 300;
  try {
    await server.bus.publish(accessChanged(caseId, municipalityId, "consent_withdrawn"));
  } finally {
    seams.slowActorMs = 0;
  }
  // An answer on her socket comes after anything the server sent it before publish returned.
  expect((await live.request("presence:query", { userIds: [] })).ok).toBe(true);
  expect(seen).toEqual([{ caseId, scope: "case", reason: "consent_withdrawn" }]);
});

test("a socket whose session ends during its handshake is told so and closed, and never says hello", async () => {
  const http = await nurse();
  const held = hold("session");
  const socket = io(server.url, { transports: ["websocket"], extraHeaders: { cookie: http.cookie!, origin: server.url }, reconnection: false });
  cleanup.push(() => socket.close());
  let greeted = false;
  socket.on("hello", () => (greeted = true));
  const ended = new Promise<void>((resolve, reject) => {
    socket.once("session:ended", () => resolve());
    setTimeout(() => reject(new Error("no session:ended within 5000 ms")), 5_000).unref();
  });
  const disconnected = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
  // Her session is found valid, then ends before the node has the socket among its own.
  await held.reached;
  await http.mutationOk("auth.logout");
  held.release();
  await ended;
  expect(await disconnected).toBe("io server disconnect");
  expect(greeted).toBe(false);
});
