import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as Y from "yjs";
import type { Actor } from "../auth/actor.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { connectPlan, eventually, type PlanClient } from "../plans/test-client.ts";
import type { RunningServer } from "../server.ts";
import { demoActor } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startServerOn, startTestServer, type TestServer } from "../testing/test-server.ts";
import { encodeState } from "./store.ts";
import { DocumentRefusal, type DocumentKind } from "./kinds.ts";

// A new kind of live document is one registration: a throwaway `scratch:<uuid>` judged by
// a rule of this test gets authentication, persistence (the write-ahead log, snapshots,
// its projection, audit), revocation and replay from the generic server.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The test's rule: document id → user id → what they may do. */
const rule = new Map<string, Map<string, "read" | "write">>();
const projected: { id: string; note: unknown }[] = [];
let municipalityId: string;

const scratchKind: DocumentKind = {
  prefix: "scratch",
  parse: (tail) => (UUID.test(tail) ? tail : null),
  async authorise({ actor, id }: { actor: Actor; id: string }) {
    const may = rule.get(id)?.get(actor.id);
    if (!may) throw new DocumentRefusal("not-found");
    return { readOnly: may === "read", basis: null, municipalityId: actor.municipalityId, caseId: null };
  },
  municipalityOf: async ({ id }) => (rule.has(id) ? municipalityId : null),
  async initialise({ doc }) {
    doc.getMap("scratch").set("created", true);
  },
  async project({ id, doc }) {
    projected.push({ id, note: doc.getMap("scratch").get("note") });
    return null;
  },
  auditTarget: (id) => ({ resourceType: "scratch", resourceId: id, caseId: null, purpose: "coordination" }),
  auditActions: { update: "scratch.update", transact: "scratch.transact" },
};

let server: TestServer;
let restarted: RunningServer | null = null;
let writer: HttpClient;
let reader: HttpClient;
let writerActor: Actor;
let readerActor: Actor;
const clients: PlanClient[] = [];
const live = () => restarted ?? server;
const open = (who: HttpClient | null, name: string) => {
  const c = connectPlan(live().url, who?.cookie ?? null, "", { name });
  clients.push(c);
  return c;
};
const note = (c: PlanClient) => c.doc.getMap("scratch").get("note");

beforeAll(async () => {
  server = await startTestServer();
  server.liveDocuments.kinds.register(scratchKind);
  writer = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  reader = await signedIn(server.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
  writerActor = await demoActor(server.db);
  readerActor = await demoActor(server.db, "helsesykepleier@demo.laget.no");
  municipalityId = writerActor.municipalityId;
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await restarted?.close();
  await server?.stop();
});

const id = randomUUID();
const name = `scratch:${id}`;

test("authentication: no session, no rule, another spelling or an unknown kind are refused; a read rule is read-only", async () => {
  rule.set(id, new Map([[writerActor.id, "write"], [readerActor.id, "read"]]));
  await expect(open(null, name).ready).rejects.toThrow(/unauthenticated/);
  await expect(open(writer, `scratch:${id.toUpperCase()}`).ready).rejects.toThrow(/not-found/);
  await expect(open(writer, `scratches:${id}`).ready).rejects.toThrow(/not-found/);
  await expect(open(writer, `scratch:${randomUUID()}`).ready).rejects.toThrow(/not-found/);
  expect(await open(writer, name).ready).toEqual({ readOnly: false });
  expect(await open(reader, name).ready).toEqual({ readOnly: true });
  // The kind's initial content.
  expect(clients.at(-1)!.doc.getMap("scratch").get("created")).toBe(true);
});

test("persistence: an edit is logged before it is acknowledged, then stored, projected and audited", async () => {
  const [w, r] = clients.slice(-2) as [PlanClient, PlanClient];
  w.doc.getMap("scratch").set("note", "hei");
  await eventually(() => expect(w.provider.hasUnsyncedChanges).toBe(false));
  const logged = await server.db.selectFrom("live_document_updates").select("user_id").where("document_name", "=", name).execute();
  expect(logged.map((l) => l.user_id)).toContain(writerActor.id);
  await eventually(() => expect(note(r)).toBe("hei"));
  await server.liveDocuments.flush();
  expect(projected.at(-1)).toEqual({ id, note: "hei" });
  expect(await server.db.selectFrom("live_document_updates").select("id").where("document_name", "=", name).execute()).toEqual([]);
  const audited = await server.db.selectFrom("audit_events").select(["actor_user_id", "resource_type", "resource_id"]).where("action", "=", "scratch.update").execute();
  expect(audited).toEqual([{ actor_user_id: writerActor.id, resource_type: "scratch", resource_id: id }]);
});

test("revocation: invalidate() re-judges with the kind's own authorise, closing or narrowing each connection", async () => {
  const [w, r] = clients.slice(-2) as [PlanClient, PlanClient];
  rule.get(id)!.delete(readerActor.id);
  rule.get(id)!.set(writerActor.id, "read");
  await server.liveDocuments.invalidate({ documentName: name }, "scratch_changed");
  // Sent by every node before invalidate returns; the clients read it soon after.
  await eventually(() => {
    expect(r.stateless.map((s) => JSON.parse(s))).toContainEqual({ type: "laget:access-revoked", reason: "scratch_changed" });
    expect(w.stateless.map((s) => JSON.parse(s))).toContainEqual({ type: "laget:read-only", reason: "scratch_changed" });
    expect(r.closeReasons).toContain("access-revoked");
  });
  expect(w.closeReasons).toEqual([]);
  await expect(open(reader, name).ready).rejects.toThrow(/not-found/);
  rule.get(id)!.set(writerActor.id, "write");
});

test("a server restart brings the content back, and logged edits no snapshot holds are replayed", async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server.close();
  // An edit logged but never folded (a crash between the log and the snapshot).
  const stored = (await server.db.selectFrom("live_documents").select("state").where("document_name", "=", name).executeTakeFirstOrThrow()).state;
  const replica = new Y.Doc();
  Y.applyUpdate(replica, new Uint8Array(Buffer.from(stored, "base64")));
  const before = Y.encodeStateVector(replica);
  replica.getMap("scratch").set("after", "fra loggen");
  await server.db.insertInto("live_document_updates").values({ document_name: name, update: encodeState(Y.encodeStateAsUpdate(replica, before)), user_id: writerActor.id, basis: null }).execute();

  restarted = await startServerOn(server.testDb, { demo: false });
  restarted.liveDocuments.kinds.register(scratchKind);
  writer = await signedIn(restarted.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const again = open(writer, name);
  await again.ready;
  expect(note(again)).toBe("hei");
  expect(again.doc.getMap("scratch").get("after")).toBe("fra loggen");
  // Loading folds the replayed edit into a snapshot: the projection catches up.
  await eventually(() => expect(projected.at(-1)).toEqual({ id, note: "hei" }), 10_000);
  await eventually(async () => expect(await restarted!.db.selectFrom("live_document_updates").select("id").where("document_name", "=", name).execute()).toEqual([]), 10_000);
});
