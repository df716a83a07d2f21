import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CallerClient } from "../testing/caller-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import type { AgendaItemView } from "./agenda-views.ts";
import type { PrintedMinutes } from "./print.ts";
import { agendaWorld, type AgendaWorld } from "./testing.ts";

// The agenda through its procedures, in process (no live documents here: minutes-live.test.ts).

let app: TestApp;
let w: AgendaWorld;
const c = {} as Record<"koordinator" | "helsesykepleier" | "nav" | "barnevern" | "slt" | "leder", CallerClient>;

beforeAll(async () => {
  app = await startTestApp();
  for (const who of ["koordinator", "helsesykepleier", "nav", "barnevern", "slt", "leder"] as const) c[who] = await app.signedIn(`${who}@demo.laget.no`);
  w = await agendaWorld(app.db, c.koordinator);
}, 60_000);
afterAll(() => app?.stop());

const list = async (who: CallerClient, meetingId = w.meetingId) => (await who.queryOk<{ items: AgendaItemView[] }>("agenda.list", { meetingId })).items;
const appCode = (r: { ok: boolean; error?: { data: { appCode: string | null } } }) => (r.ok ? "ok" : r.error!.data.appCode);

let namedId: string;
let anonymousId: string;
let topicId: string;
let nextMeetingId: string;

describe("consent gates a named case on the agenda", () => {
  test("a case whose consent does not cover Barneverntjenesten for purpose meeting cannot be named: eligibility names the unit, add refuses", async () => {
    const eligibility = await c.koordinator.queryOk<{ allowed: boolean; lackingUnits: { id: string; name: string }[] }>("agenda.eligibility", { meetingId: w.meetingId, caseId: w.partial.caseId });
    expect(eligibility).toEqual({ allowed: false, lackingUnits: [{ id: w.units.barnevern, name: "Barneverntjenesten" }] });
    const refused = await c.koordinator.mutation("agenda.add", { meetingId: w.meetingId, item: { kind: "case", caseId: w.partial.caseId } });
    expect(appCode(refused)).toBe("MEETING_CONSENT_MISSING");
    expect((await list(c.koordinator)).filter((i) => i.kind === "case")).toEqual([]);
    // The refusal is in the case's access log.
    const denied = await app.db.selectFrom("audit_events").select("action").where("case_id", "=", w.partial.caseId).where("action", "=", "denied:agenda.add_case").execute();
    expect(denied).toHaveLength(1);
  });

  test("the same case may be discussed anonymously, linked for its coordinator only", async () => {
    ({ agendaItemId: anonymousId } = await c.koordinator.mutationOk<{ agendaItemId: string }>("agenda.add", {
      meetingId: w.meetingId,
      item: { kind: "anonymous", pseudonym: "Gutt, 14 år", description: "Skolevegring", linkedCaseId: w.partial.caseId },
    }));
    const mine = (await list(c.koordinator)).find((i) => i.id === anonymousId)!;
    expect(mine).toMatchObject({ kind: "anonymous", pseudonym: "Gutt, 14 år", linkedCaseId: w.partial.caseId, caseId: null, caseLabel: null, abilities: { followCaseLink: true, promote: true } });
    for (const who of [c.helsesykepleier, c.nav, c.barnevern, c.slt]) {
      const theirs = (await list(who)).find((i) => i.id === anonymousId)!;
      expect(theirs).toMatchObject({ pseudonym: "Gutt, 14 år", linkedCaseId: null, caseId: null });
      expect(JSON.stringify(theirs)).not.toContain(w.partial.caseId);
    }
  });

  test("a case whose consent covers every unit of the meeting is named; the adder's access is audited against the case", async () => {
    expect(await c.koordinator.queryOk("agenda.eligibility", { meetingId: w.meetingId, caseId: w.full.caseId })).toEqual({ allowed: true, lackingUnits: [] });
    ({ agendaItemId: namedId } = await c.koordinator.mutationOk<{ agendaItemId: string }>("agenda.add", { meetingId: w.meetingId, item: { kind: "case", caseId: w.full.caseId }, plannedMinutes: 15 }));
    const audited = await app.db.selectFrom("audit_events").select(["action", "purpose", "resource_id", "basis"]).where("case_id", "=", w.full.caseId).where("action", "=", "agenda.add_case").execute();
    expect(audited).toEqual([{ action: "agenda.add_case", purpose: "meeting", resource_id: namedId, basis: expect.objectContaining({ kind: "own_unit" }) }]);
    ({ agendaItemId: topicId } = await c.nav.mutationOk<{ agendaItemId: string }>("agenda.add", { meetingId: w.meetingId, item: { kind: "topic", title: "Nytt lavterskeltilbud", description: "" } }));
  });

  test("one who cannot see the case cannot name it, whatever the consent; one who sees it but does not run it may not either", async () => {
    // SLT is invited by name, but takes no part in the case.
    expect(appCode(await c.slt.mutation("agenda.add", { meetingId: w.meetingId, item: { kind: "case", caseId: w.full.caseId } }))).toBe("NOT_FOUND");
    // NAV takes part in the case: asking would tell it which units have a basis (Barneverntjenesten's is confidential).
    expect(appCode(await c.nav.mutation("agenda.add", { meetingId: w.meetingId, item: { kind: "case", caseId: w.full.caseId } }))).toBe("NOT_COORDINATOR");
    expect(appCode(await c.nav.query("agenda.eligibility", { meetingId: w.meetingId, caseId: w.partial.caseId }))).toBe("NOT_COORDINATOR");
  });
});

describe("each reader sees only what the policy lets them", () => {
  test("every unit of the meeting sees the named item with its label; the SLT coordinator, invited by name, sees neither it nor that it exists", async () => {
    for (const who of [c.koordinator, c.helsesykepleier, c.nav, c.barnevern]) {
      const items = await list(who);
      expect(items.map((i) => i.kind)).toEqual(["general", "anonymous", "case", "topic"]);
      expect(items.find((i) => i.id === namedId)).toMatchObject({ caseId: w.full.caseId, caseLabel: "Emma Samtykke", documentName: `minutes:${namedId}`, plannedMinutes: 15 });
    }
    const slt = await list(c.slt);
    expect(slt.map((i) => i.kind)).toEqual(["general", "anonymous", "topic"]);
    expect(JSON.stringify(slt)).not.toContain("Emma Samtykke");
    expect(JSON.stringify(slt)).not.toContain(w.full.caseId);
    // A leader of the school's unit (organiser) is a party too, and the school owns the case.
    expect((await list(c.leder)).map((i) => i.kind)).toContain("case");
    // The named item read is in the case's access log, on the unit's basis, for purpose meeting.
    const reads = await app.db.selectFrom("audit_events").select(["actor_user_id", "basis"]).where("case_id", "=", w.full.caseId).where("action", "=", "agenda.read").where("actor_user_id", "=", w.users.barnevern).execute();
    expect(reads[0]!.basis).toMatchObject({ kind: "consent", unitId: w.units.barnevern });
  });

  test("hidden items are NOT_FOUND for every item procedure, exactly like a random id", async () => {
    const random = crypto.randomUUID();
    for (const [path, input] of [
      ["agenda.update", (id: string) => ({ agendaItemId: id, description: "x" })],
      ["agenda.remove", (id: string) => ({ agendaItemId: id })],
      ["agenda.addOutcome", (id: string) => ({ agendaItemId: id, kind: "information", text: "x" })],
    ] as const) {
      expect(appCode(await c.slt.mutation(path, input(namedId))), path).toBe("NOT_FOUND");
      expect(appCode(await c.slt.mutation(path, input(random))), path).toBe("NOT_FOUND");
    }
  });

  test("abilities: the chair and minute-taker write minutes; the creator and the meeting's runners edit", async () => {
    const byWho = async (who: CallerClient, id: string) => (await list(who)).find((i) => i.id === id)!.abilities;
    expect(await byWho(c.koordinator, namedId)).toEqual({ writeMinutes: true, edit: true, followCaseLink: true, promote: false });
    expect(await byWho(c.helsesykepleier, namedId)).toMatchObject({ writeMinutes: true, edit: true });
    expect(await byWho(c.nav, namedId)).toMatchObject({ writeMinutes: false, edit: false });
    expect(await byWho(c.nav, topicId)).toMatchObject({ writeMinutes: false, edit: true });
    expect(appCode(await c.barnevern.mutation("agenda.update", { agendaItemId: topicId, description: "Endret" }))).toBe("FORBIDDEN");
    expect(appCode(await c.nav.mutation("agenda.update", { agendaItemId: topicId, description: "Mer om tilbudet" }))).toBe("ok");
  });

  test("print per reader: the SLT coordinator's print leaves out the named item; the others get it with outcomes", async () => {
    await c.koordinator.mutationOk("agenda.addOutcome", { agendaItemId: namedId, kind: "action", text: "NAV følger opp bolig", responsibleUnitId: w.units.nav, responsibleUserId: w.users.nav, deadline: "2026-04-01" });
    await c.koordinator.mutationOk("agenda.addOutcome", { agendaItemId: namedId, kind: "action", text: "Barnevernet tar kontakt", responsibleUserId: w.users.barnevern });
    const printed = await c.slt.queryOk<PrintedMinutes>("agenda.print", { meetingId: w.meetingId });
    expect(printed.items.map((i) => i.kind)).toEqual(["general", "anonymous", "topic"]);
    expect(JSON.stringify(printed)).not.toContain("NAV følger opp bolig");
    const theirs = await c.barnevern.queryOk<PrintedMinutes>("agenda.print", { meetingId: w.meetingId });
    const named = theirs.items.find((i) => i.id === namedId)!;
    expect(named.outcomes.map((o) => [o.text, o.responsibleMaySeePlan])).toEqual([
      ["NAV følger opp bolig", true],
      // Barneverntjenesten has identity and minutes, not the plan: the UI warns.
      ["Barnevernet tar kontakt", false],
    ]);
    expect(named.minutesText).toBe("");
  });

  test("ofCase lists the meeting to those who may see the named item, and to no one else", async () => {
    const seen = await c.barnevern.queryOk<{ meetings: { meetingId: string; agendaItemId: string; start: string }[] }>("agenda.ofCase", { caseId: w.full.caseId });
    expect(seen.meetings).toEqual([expect.objectContaining({ meetingId: w.meetingId, agendaItemId: namedId, start: "2026-03-05T08:00:00.000Z" })]);
    expect(appCode(await c.slt.query("agenda.ofCase", { caseId: w.full.caseId }))).toBe("NOT_FOUND");
    // The partial case was only discussed anonymously: no meeting to show.
    expect((await c.koordinator.queryOk<{ meetings: unknown[] }>("agenda.ofCase", { caseId: w.partial.caseId })).meetings).toEqual([]);
  });
});

describe("order, promotion and carry-over", () => {
  test("reorder moves the items the reader sees; the general section stays first; a list that is not the agenda is refused", async () => {
    await c.koordinator.mutationOk("agenda.reorder", { meetingId: w.meetingId, orderedIds: [topicId, namedId, anonymousId] });
    expect((await list(c.koordinator)).map((i) => i.id).slice(1)).toEqual([topicId, namedId, anonymousId]);
    expect(appCode(await c.koordinator.mutation("agenda.reorder", { meetingId: w.meetingId, orderedIds: [topicId, namedId] }))).toBe("VALIDATION");
    expect(appCode(await c.nav.mutation("agenda.reorder", { meetingId: w.meetingId, orderedIds: [topicId, namedId, anonymousId] }))).toBe("FORBIDDEN");
  });

  test("promoting the anonymous item to the partial case needs consent of every unit; to another case than its link, never", async () => {
    expect(appCode(await c.koordinator.mutation("agenda.promote", { agendaItemId: anonymousId, caseId: w.partial.caseId }))).toBe("MEETING_CONSENT_MISSING");
    expect(appCode(await c.koordinator.mutation("agenda.promote", { agendaItemId: anonymousId, caseId: w.full.caseId }))).toBe("FORBIDDEN");
    expect((await list(c.koordinator)).find((i) => i.id === anonymousId)!.kind).toBe("anonymous");
  });

  test("carry-over moves the open items to the next occurrence (made on demand), keeping their history", async () => {
    await c.koordinator.mutationOk("agenda.update", { agendaItemId: topicId, status: "done" });
    const carried = await c.koordinator.mutationOk<{ meetingId: string; carried: number }>("agenda.carryOver", { meetingId: w.meetingId });
    expect(carried.carried).toBe(2);
    nextMeetingId = carried.meetingId;
    const next = await app.db.selectFrom("meetings").select(["recurrence_id", "series_id"]).where("id", "=", carried.meetingId).executeTakeFirstOrThrow();
    // Biweekly from Thursday 5 March 2026.
    expect(next).toEqual({ series_id: w.seriesId, recurrence_id: "2026-03-19T09:00:00" });
    const there = await list(c.koordinator, carried.meetingId);
    expect(there.map((i) => [i.kind, i.carriedFromId])).toEqual([
      ["general", null],
      ["case", namedId],
      ["anonymous", anonymousId],
    ]);
    const here = await list(c.koordinator);
    expect(Object.fromEntries(here.map((i) => [i.id, i.status]))).toMatchObject({ [namedId]: "carried", [anonymousId]: "carried", [topicId]: "done" });
    // Carried once: a second carry-over finds nothing open.
    const again = await c.koordinator.mutationOk<{ carried: number }>("agenda.carryOver", { meetingId: w.meetingId });
    expect(again.carried).toBe(0);
    expect((await list(c.slt, carried.meetingId)).map((i) => i.kind)).toEqual(["general", "anonymous"]);
  });
});

describe("minutes state", () => {
  test("only the chair approves; approval locks outcomes and the agenda; a correction needs a reason and makes version 2 with it", async () => {
    expect(appCode(await c.helsesykepleier.mutation("agenda.setMinutesState", { meetingId: w.meetingId, to: "review" }))).toBe("ok");
    // In review only the chair still writes.
    expect(appCode(await c.helsesykepleier.mutation("agenda.addOutcome", { agendaItemId: namedId, kind: "information", text: "Etter gjennomgang" }))).toBe("MINUTES_LOCKED");
    expect(appCode(await c.koordinator.mutation("agenda.addOutcome", { agendaItemId: namedId, kind: "decision", text: "Vedtatt av møteleder" }))).toBe("ok");
    expect(appCode(await c.helsesykepleier.mutation("agenda.setMinutesState", { meetingId: w.meetingId, to: "approved" }))).toBe("FORBIDDEN");
    expect(await c.koordinator.mutationOk("agenda.setMinutesState", { meetingId: w.meetingId, to: "approved" })).toEqual({ minutesState: "approved", minutesVersion: 1 });
    expect(appCode(await c.koordinator.mutation("agenda.addOutcome", { agendaItemId: namedId, kind: "information", text: "For sent" }))).toBe("MINUTES_LOCKED");
    expect(appCode(await c.koordinator.mutation("agenda.add", { meetingId: w.meetingId, item: { kind: "topic", title: "For sent", description: "" } }))).toBe("MINUTES_LOCKED");
    expect(appCode(await c.koordinator.mutation("agenda.update", { agendaItemId: anonymousId, description: "For sent" }))).toBe("MINUTES_LOCKED");
    expect((await list(c.koordinator)).every((i) => !i.abilities.writeMinutes && !i.abilities.edit)).toBe(true);
    expect(appCode(await c.koordinator.mutation("agenda.setMinutesState", { meetingId: w.meetingId, to: "review" }))).toBe("INVALID_STATE");
    expect(appCode(await c.koordinator.mutation("agenda.setMinutesState", { meetingId: w.meetingId, to: "draft" }))).toBe("VALIDATION");
    await c.koordinator.mutationOk("agenda.setMinutesState", { meetingId: w.meetingId, to: "draft", reason: "Feil frist for NAV" });
    expect(await c.koordinator.mutationOk("agenda.setMinutesState", { meetingId: w.meetingId, to: "approved" })).toEqual({ minutesState: "approved", minutesVersion: 2 });
    const versions = await c.koordinator.queryOk<{ versions: { version: number; reason: string | null; items: { agendaItemId: string }[] }[] }>("agenda.minutesVersions", { meetingId: w.meetingId });
    expect(versions.versions.map((v) => [v.version, v.reason])).toEqual([
      [2, "Feil frist for NAV"],
      [1, null],
    ]);
    expect(versions.versions[0]!.items.map((i) => i.agendaItemId)).toContain(namedId);
    const slt = await c.slt.queryOk<{ versions: { items: { agendaItemId: string }[] }[] }>("agenda.minutesVersions", { meetingId: w.meetingId });
    expect(slt.versions[0]!.items.map((i) => i.agendaItemId)).not.toContain(namedId);
  });
});

describe("a consent withdrawn", () => {
  test("hides the named item from the units that lost it, and it is not carried on (it stays open, to be discussed anonymously)", async () => {
    await c.koordinator.mutationOk("consents.withdraw", { consentId: w.full.consentId, reason: "Foreldrene trakk samtykket" });
    expect((await list(c.nav, nextMeetingId)).map((i) => i.kind)).toEqual(["general", "anonymous"]);
    const carried = await c.koordinator.mutationOk<{ meetingId: string; carried: number }>("agenda.carryOver", { meetingId: nextMeetingId });
    expect(carried.carried).toBe(1);
    expect((await list(c.koordinator, carried.meetingId)).map((i) => i.kind)).toEqual(["general", "anonymous"]);
    const here = await list(c.koordinator, nextMeetingId);
    expect(here.find((i) => i.kind === "case")!.status).toBe("open");
  });
});
