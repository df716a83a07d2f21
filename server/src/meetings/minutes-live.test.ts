import { readPlan } from "@laget/plan";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { connectPlan, eventually, type PlanClient } from "../plans/test-client.ts";
import { demoActor } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import type { AgendaItemView } from "./agenda-views.ts";
import { minutesFragment, minutesText } from "./minutes-kind.ts";
import type { PrintedMinutes } from "./print.ts";
import { agendaWorld, type AgendaWorld } from "./testing.ts";

// Minutes as live documents over the real /collab endpoint, with Node clients holding
// session cookies: who may open them, live writing, approval making them read-only at
// once, a consent withdrawal closing them for the units that lost their basis, and an
// action becoming a measure in the case's plan while it is open.

let server: TestServer;
let w: AgendaWorld;
const c = {} as Record<"koordinator" | "helsesykepleier" | "nav" | "barnevern" | "slt", HttpClient>;
const clients: PlanClient[] = [];
let namedId: string;
let generalId: string;
let writers: PlanClient[] = [];
let promotedId: string;
let promotedReader: PlanClient;

const open = (who: HttpClient, name: string) => {
  const client = connectPlan(server.url, who.cookie, "", { name });
  clients.push(client);
  return client;
};
const write = (doc: Y.Doc, text: string) => {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  const fragment = minutesFragment(doc);
  fragment.insert(fragment.length, [p]);
};
const notices = (client: PlanClient) => client.stateless.map((s) => JSON.parse(s) as { type: string; reason: string });

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ["koordinator", "helsesykepleier", "nav", "barnevern", "slt"] as const) c[who] = await signedIn(server.url, `${who}@demo.laget.no`, DEMO_PASSWORD);
  w = await agendaWorld(server.db, c.koordinator);
  ({ agendaItemId: namedId } = await c.koordinator.mutationOk<{ agendaItemId: string }>("agenda.add", { meetingId: w.meetingId, item: { kind: "case", caseId: w.full.caseId } }));
  const items = (await c.koordinator.queryOk<{ items: AgendaItemView[] }>("agenda.list", { meetingId: w.meetingId })).items;
  generalId = items.find((i) => i.kind === "general")!.id;
}, 60_000);
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

describe("minutes per agenda item, live", () => {
  test("a participant whose unit lacks the basis is refused the named item's minutes, but opens the general section (read-only)", async () => {
    await expect(open(c.slt, `minutes:${namedId}`).ready).rejects.toThrow(/not-found/);
    expect(await open(c.slt, `minutes:${generalId}`).ready).toEqual({ readOnly: true });
    // Not a canonical name: refused before anything else.
    await expect(open(c.koordinator, `minutes:${namedId.toUpperCase()}`).ready).rejects.toThrow(/not-found/);
  });

  test("the chair and the minute-taker write live; the other units read; the text is what print and approval see", async () => {
    const taker = open(c.helsesykepleier, `minutes:${namedId}`);
    const chair = open(c.koordinator, `minutes:${namedId}`);
    const nav = open(c.nav, `minutes:${namedId}`);
    const barnevern = open(c.barnevern, `minutes:${namedId}`);
    expect(await taker.ready).toEqual({ readOnly: false });
    expect(await chair.ready).toEqual({ readOnly: false });
    expect(await nav.ready).toEqual({ readOnly: true });
    expect(await barnevern.ready).toEqual({ readOnly: true });
    writers = [taker, chair];
    write(taker.doc, "Mor er bekymret for skolen.");
    write(chair.doc, "Enighet om tett oppfølging.");
    await eventually(() => {
      for (const x of [taker, chair, nav, barnevern]) expect(minutesText(x.doc).split("\n").sort()).toEqual(["Enighet om tett oppfølging.", "Mor er bekymret for skolen."]);
    });
    await eventually(() => expect(taker.provider.hasUnsyncedChanges || chair.provider.hasUnsyncedChanges).toBe(false));
    const printed = await c.barnevern.queryOk<PrintedMinutes>("agenda.print", { meetingId: w.meetingId });
    expect(printed.items.find((i) => i.id === namedId)!.minutesText).toContain("Mor er bekymret for skolen.");
    const sltPrint = await c.slt.queryOk<PrintedMinutes>("agenda.print", { meetingId: w.meetingId });
    expect(JSON.stringify(sltPrint)).not.toContain("Mor er bekymret");
    // The connection is in the case's access log, for purpose meeting.
    const connects = await server.db.selectFrom("audit_events").select(["actor_user_id", "purpose"]).where("case_id", "=", w.full.caseId).where("action", "=", "minutes.connect").execute();
    expect(new Set(connects.map((e) => e.actor_user_id))).toEqual(new Set([w.users.helsesykepleier, w.users.koordinator, w.users.nav, w.users.barnevern]));
  });

  test("an action becomes a measure in the case's open plan at once, linked both ways", async () => {
    const plan = connectPlan(server.url, c.koordinator.cookie, w.full.caseId);
    clients.push(plan);
    await plan.ready;
    const { outcomeId } = await c.koordinator.mutationOk<{ outcomeId: string }>("agenda.addOutcome", {
      agendaItemId: namedId,
      kind: "action",
      text: "NAV søker om kommunal bolig",
      responsibleUnitId: w.units.nav,
      responsibleUserId: w.users.nav,
      deadline: "2026-05-01",
    });
    const made = await c.koordinator.mutationOk<{ caseId: string; measureId: string }>("agenda.toMeasure", { outcomeId });
    expect(made.caseId).toBe(w.full.caseId);
    await eventually(() =>
      expect(readPlan(plan.doc).measures.find((m) => m.id === made.measureId)).toMatchObject({
        title: "NAV søker om kommunal bolig",
        responsibleUnitId: w.units.nav,
        responsiblePersonId: w.users.nav,
        deadline: "2026-05-01",
        source: { meetingId: w.meetingId, agendaItemId: namedId, outcomeId },
      }),
    );
    // Once: a second click returns the same measure.
    expect(await c.koordinator.mutationOk("agenda.toMeasure", { outcomeId })).toEqual(made);
    expect(readPlan(plan.doc).measures.filter((m) => m.source?.outcomeId === outcomeId)).toHaveLength(1);
    const view = (await c.koordinator.queryOk<{ items: AgendaItemView[] }>("agenda.list", { meetingId: w.meetingId })).items.find((i) => i.id === namedId)!;
    expect(view.outcomes.find((o) => o.id === outcomeId)).toMatchObject({ planCaseId: w.full.caseId, planMeasureId: made.measureId, responsibleMaySeePlan: true });
    // Barneverntjenesten may not write the plan (no plan category): the plan's own judge refuses.
    const other = await c.koordinator.mutationOk<{ outcomeId: string }>("agenda.addOutcome", { agendaItemId: namedId, kind: "action", text: "Barnevernet" });
    expect((await c.barnevern.mutation("agenda.toMeasure", { outcomeId: other.outcomeId })).ok).toBe(false);
  });

  test("an anonymous item moved to named follow-up: its open minutes become the case's (a later withdrawal reaches them)", async () => {
    ({ agendaItemId: promotedId } = await c.koordinator.mutationOk<{ agendaItemId: string }>("agenda.add", { meetingId: w.meetingId, item: { kind: "anonymous", pseudonym: "Jente, 9 år", description: "" } }));
    promotedReader = open(c.nav, `minutes:${promotedId}`);
    expect(await promotedReader.ready).toEqual({ readOnly: true });
    await c.koordinator.mutationOk("agenda.promote", { agendaItemId: promotedId, caseId: w.full.caseId });
    const item = (await c.nav.queryOk<{ items: AgendaItemView[] }>("agenda.list", { meetingId: w.meetingId })).items.find((i) => i.id === promotedId)!;
    expect(item).toMatchObject({ kind: "case", caseId: w.full.caseId, pseudonym: null });
    // Still open for NAV, who has the consent.
    expect(promotedReader.closeReasons).toEqual([]);
  });

  test("approved minutes are read-only at once (open connections told so), and a server-side change is refused", async () => {
    await c.koordinator.mutationOk("agenda.setMinutesState", { meetingId: w.meetingId, to: "approved" });
    // Judged again before the call returned (on every node); the notice is on its way to each client.
    await eventually(() => {
      for (const x of writers) expect(notices(x)).toContainEqual({ type: "laget:read-only", reason: "minutes_approved" });
    });
    // A write the former writer makes now is refused by the server, not stored.
    const answered = writers[0]!.syncAnswers.length;
    write(writers[0]!.doc, "Skrevet etter godkjenning");
    await eventually(() => expect(writers[0]!.syncAnswers.slice(answered)).toEqual([false]));
    const chair = await demoActor(server.db, "koordinator@demo.laget.no");
    await expect(server.liveDocuments.transact({ documentName: `minutes:${namedId}`, actor: chair, change: (doc) => write(doc, "Etter godkjenning") })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const fresh = open(c.koordinator, `minutes:${namedId}`);
    expect(await fresh.ready).toEqual({ readOnly: true });
    expect(minutesText(fresh.doc)).not.toContain("Skrevet etter godkjenning");
    const versions = await server.db.selectFrom("meeting_minutes_versions").select(["version", "content"]).where("meeting_id", "=", w.meetingId).execute();
    expect(versions).toHaveLength(1);
    const approved = (versions[0]!.content as Record<string, string>)[namedId]!;
    expect(approved).toContain("Enighet om tett oppfølging.");
    expect(approved).not.toContain("Skrevet etter godkjenning");
  });

  test("withdrawing the consent closes the named item's minutes for the units that lost their basis at once; the owner unit keeps them", async () => {
    const byUser = {
      helsesykepleier: open(c.helsesykepleier, `minutes:${namedId}`),
      nav: open(c.nav, `minutes:${namedId}`),
      barnevern: open(c.barnevern, `minutes:${namedId}`),
      koordinator: open(c.koordinator, `minutes:${namedId}`),
    };
    await Promise.all(Object.values(byUser).map((x) => x.ready));
    await c.koordinator.mutationOk("consents.withdraw", { consentId: w.full.consentId, reason: "Foreldrene trakk samtykket" });
    await eventually(() => {
      for (const who of ["helsesykepleier", "nav", "barnevern"] as const) {
        expect(notices(byUser[who]), who).toContainEqual({ type: "laget:access-revoked", reason: "consent_withdrawn" });
        expect(byUser[who].closeReasons, who).toContain("access-revoked");
      }
      // The item named after its minutes were opened is the case's now: closed too.
      expect(promotedReader.closeReasons).toContain("access-revoked");
    });
    // The owner unit's coordinator keeps them: a message broadcast after the withdrawal reaches
    // them on the same socket that any closing would have come on first.
    server.liveDocuments.hocuspocus.documents.get(`minutes:${namedId}`)!.broadcastStateless(JSON.stringify({ type: "test:sentinel", reason: "" }));
    await eventually(() => expect(notices(byUser.koordinator)).toContainEqual({ type: "test:sentinel", reason: "" }));
    expect(byUser.koordinator.closeReasons).toEqual([]);
    expect(notices(byUser.koordinator).filter((n) => n.type === "laget:access-revoked")).toEqual([]);
    // And through the API and print: the item is gone for them, not counted.
    for (const who of ["helsesykepleier", "nav", "barnevern"] as const) {
      const items = (await c[who].queryOk<{ items: AgendaItemView[] }>("agenda.list", { meetingId: w.meetingId })).items;
      expect(items.map((i) => i.id), who).not.toContain(namedId);
      expect(JSON.stringify(await c[who].queryOk("agenda.print", { meetingId: w.meetingId })), who).not.toContain("Mor er bekymret");
    }
    await expect(open(c.nav, `minutes:${namedId}`).ready).rejects.toThrow(/not-found/);
  });

  test("a person taken out of the series loses the open minutes of its meetings at once; those still in keep them", async () => {
    const sltReader = open(c.slt, `minutes:${generalId}`);
    const navReader = open(c.nav, `minutes:${generalId}`);
    await Promise.all([sltReader.ready, navReader.ready]);
    await c.koordinator.mutationOk("meetings.updateSeries", { seriesId: w.seriesId, scope: "all", changes: { participantUserIds: [] } });
    await eventually(() => expect(sltReader.closeReasons).toContain("access-revoked"));
    // NAV is still a participating unit: a message broadcast after the change reaches its connection.
    server.liveDocuments.hocuspocus.documents.get(`minutes:${generalId}`)!.broadcastStateless(JSON.stringify({ type: "test:sentinel", reason: "" }));
    await eventually(() => expect(notices(navReader)).toContainEqual({ type: "test:sentinel", reason: "" }));
    expect(navReader.closeReasons).toEqual([]);
    await expect(open(c.slt, `minutes:${generalId}`).ready).rejects.toThrow(/not-found/);
  });
});
