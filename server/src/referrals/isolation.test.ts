import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadActor, type Actor } from "../auth/actor.ts";
import { AppError } from "../errors.ts";
import { flytInput } from "../meetings/testing.ts";
import type { CallerClient } from "../testing/caller-client.ts";
import type { TrpcResult } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { appRouter } from "../trpc/router.ts";
import { authorizeReferral, visibleReferralIds } from "./access.ts";
import { insertReferral, offerIdsByTitle, referralWorld, type ReferralWorld } from "./insights-fixtures.ts";

// A volunteer contact's whole reach (issue 12, item 5): the referrals to their own unit and
// nothing else. Not the case a referral comes from (though their unit is named in its
// consent for purpose referral), not its plan, notes, thread, messages or meetings, and not
// a referral to another organisation. Each of those answers exactly like an id that does
// not exist (same code, same message), and no list holds any of them.

let app: TestApp;
let world: ReferralWorld;
let coordinator: CallerClient;
let volunteer: CallerClient;
let volunteerActor: Actor;
const ids = {} as Record<"caseId" | "subjectId" | "noteId" | "threadId" | "messageId" | "seriesId" | "meetingId" | "otherReferral" | "otherCompleted" | "ownReferral", string>;

beforeAll(async () => {
  app = await startTestApp();
  coordinator = await app.signedIn("koordinator@demo.laget.no");
  volunteer = await app.signedIn("frivillig@demo.laget.no");
  const nav = await app.signedIn("nav@demo.laget.no");
  // The school's case; its one consent names Røde Kors Fjellheim and Fjellheim idrettslag for purpose referral only.
  world = await referralWorld(app.db, coordinator, "Ida Isolert");
  ids.caseId = world.caseId;
  ids.subjectId = world.subjectId;
  ids.noteId = (await coordinator.mutationOk<{ noteId: string }>("cases.addNote", { caseId: world.caseId, category: "school", kind: "observation", body: "Ida trives i friminuttene." })).noteId;
  ids.threadId = (await coordinator.mutationOk<{ id: string }>("conversations.ofCase", { caseId: world.caseId })).id;
  ids.messageId = randomUUID();
  await coordinator.mutationOk("messages.send", { id: ids.messageId, conversationId: ids.threadId, body: "Ida har begynt på fotball." });
  const users = world.users;
  ids.seriesId = (await nav.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(world.units, users, { title: "Flyt-møte om Ida" }))).seriesId;
  ids.meetingId = (await nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId: ids.seriesId, recurrenceId: "2027-01-14T09:00:00" })).meetingId;
  // A referral from the case to the other organisation (one open, one completed), and one to the volunteer's own unit.
  const offers = await offerIdsByTitle(app.db);
  ids.otherReferral = await insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", offerId: offers["Fotball for 8–12 år"], status: "received", firstName: "Ida" });
  ids.otherCompleted = await insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", status: "completed", firstName: "Ida" });
  ids.ownReferral = await insertReferral(app.db, world, { recipient: "Røde Kors Fjellheim", offerId: offers["Leksehjelp"], status: "sent", firstName: "Ida" });
  volunteerActor = (await loadActor(app.db, world.users.frivillig!))!;
});
afterAll(() => app?.stop());

type Ids = typeof ids;
const shape = (r: TrpcResult) => (r.ok ? { ok: true, data: r.data } : { status: r.status, code: r.error.data.code, appCode: r.error.data.appCode, message: r.error.message });
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } }>;
const call = (client: CallerClient, path: string, input: unknown) => (procedures[path]!._def.type === "query" ? client.query(path, input) : client.mutation(path, input));
const randomIds = (): Ids => new Proxy({} as Ids, { get: () => randomUUID() });

/** Every way to fetch one thing by its id: the case and its parts, the thread and its messages, the meeting, another unit's referral. */
const byId: Record<string, (i: Ids) => unknown> = {
  "cases.get": (i) => ({ caseId: i.caseId }),
  "cases.notes": (i) => ({ caseId: i.caseId }),
  "cases.noteHistory": (i) => ({ noteId: i.noteId }),
  "cases.audience": (i) => ({ caseId: i.caseId, category: "identity" }),
  "cases.handoverHistory": (i) => ({ caseId: i.caseId }),
  "consents.list": (i) => ({ caseId: i.caseId }),
  "disclosures.forCase": (i) => ({ caseId: i.caseId }),
  "plans.connection": (i) => ({ caseId: i.caseId }),
  "plans.revisions": (i) => ({ caseId: i.caseId }),
  "conversations.ofCase": (i) => ({ caseId: i.caseId }),
  "conversations.get": (i) => ({ conversationId: i.threadId }),
  "conversations.members": (i) => ({ conversationId: i.threadId }),
  "messages.history": (i) => ({ conversationId: i.threadId }),
  "messages.edits": (i) => ({ messageId: i.messageId }),
  "meetings.getSeries": (i) => ({ seriesId: i.seriesId }),
  "meetings.get": (i) => ({ meetingId: i.meetingId }),
  "agenda.list": (i) => ({ meetingId: i.meetingId }),
  "agenda.ofCase": (i) => ({ caseId: i.caseId }),
  "referralInsights.recordFeedback": (i) => ({ referralId: i.otherCompleted, rating: "good", words: "" }),
  // The referrals router's own reads, once it is part of the app.
  ...(procedures["referrals.get"] ? { "referrals.get": (i: Ids) => ({ referralId: i.otherReferral }) } : {}),
  ...(procedures["referrals.forCase"] ? { "referrals.forCase": (i: Ids) => ({ caseId: i.caseId }) } : {}),
};

describe("a volunteer contact (Røde Kors Fjellheim) reaches nothing but its own referrals", () => {
  for (const [path, input] of Object.entries(byId)) {
    test(`${path}: the same NOT_FOUND as for an id that does not exist`, async () => {
      const real = await call(volunteer, path, input(ids));
      const random = await call(volunteer, path, input(randomIds()));
      expect(shape(real)).toEqual(shape(random));
      expect(shape(real)).toMatchObject({ code: "NOT_FOUND", appCode: "NOT_FOUND" });
      // The coordinator reaches each of them: the refusal is about who asks, not a broken id.
      if (path !== "referralInsights.recordFeedback" && !path.startsWith("referrals.")) {
        expect((await call(coordinator, path, input(ids))).ok, `${path} as the coordinator`).toBe(true);
      }
    });
  }

  test("another unit's referral through the one access loader: NOT_FOUND like a missing one, whatever the action; its own unit's referral is read", async () => {
    for (const action of ["read", "respond", "update", "recordFeedback"] as const) {
      for (const referralId of [ids.otherReferral, ids.otherCompleted, randomUUID()]) {
        const refused = await authorizeReferral({ db: app.db, actor: volunteerActor, referralId, action }).then(() => null, (e: unknown) => e);
        expect(refused).toBeInstanceOf(AppError);
        expect({ code: (refused as AppError).code, message: (refused as AppError).message }).toEqual({ code: "NOT_FOUND", message: "NOT_FOUND" });
      }
    }
    const own = await authorizeReferral({ db: app.db, actor: volunteerActor, referralId: ids.ownReferral, action: "read" });
    expect(own.referral.id).toBe(ids.ownReferral);
  });

  test("lists give nothing of it: no case, thread, meeting, measure, or referral but its own unit's", async () => {
    expect(await volunteer.queryOk<unknown[]>("cases.list", {})).toEqual([]);
    expect(await volunteer.queryOk<unknown[]>("cases.list", { search: "Ida" })).toEqual([]);
    const conversations = await volunteer.queryOk<{ id: string }[]>("conversations.list");
    expect(conversations.map((c) => c.id)).not.toContain(ids.threadId);
    const { occurrences } = await volunteer.queryOk<{ occurrences: { seriesId: string }[] }>("meetings.list", { from: "2027-01-01T00:00:00Z", to: "2027-03-01T00:00:00Z" });
    expect(occurrences.map((o) => o.seriesId)).not.toContain(ids.seriesId);
    // The sentinel: the same list as the coordinator's holds the series, so the volunteer's is not empty by accident.
    expect((await coordinator.queryOk<{ occurrences: { seriesId: string }[] }>("meetings.list", { from: "2027-01-01T00:00:00Z", to: "2027-03-01T00:00:00Z" })).occurrences.map((o) => o.seriesId)).toContain(ids.seriesId);
    expect(await volunteer.queryOk<unknown[]>("plans.myMeasures", { filter: "all" })).toEqual([]);
    const visible = (await visibleReferralIds({ db: app.db, actor: volunteerActor }).execute()).map((r) => r.id);
    expect(visible).toEqual([ids.ownReferral]);
    // Figures: its own unit's rows only, and feedback on the other organisation's offers is not for it.
    const figures = await volunteer.queryOk<{ units: { id: string }[] }>("referralInsights.figures");
    expect(figures.units.map((u) => u.id)).toEqual([world.units["Røde Kors Fjellheim"]]);
    if (procedures["referrals.list"]) {
      for (const box of ["inbox", "sent"]) {
        const listed = await volunteer.queryOk<{ id: string }[]>("referrals.list", { box });
        expect(listed.map((r) => r.id), box).toEqual(box === "inbox" ? [ids.ownReferral] : []);
      }
    }
    // Nothing it holds names the child's surname, the case or the other organisation's referral.
    const everything = JSON.stringify([conversations, occurrences, figures, await volunteer.queryOk("notifications.list")]);
    for (const leak of ["Isolert", ids.caseId, ids.otherReferral, ids.threadId]) expect(everything).not.toContain(leak);
  });
});
