import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CallerClient } from "../testing/caller-client.ts";
import type { TrpcResult } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import type { Figures, FigureRow } from "./figures.ts";
import { insertReferral, offerIdsByTitle, referralWorld, type ReferralWorld } from "./insights-fixtures.ts";

// What the referral loop adds up to: the family's feedback (recorded once, by the referring
// side, shown to the organisation without a name), the figures per offer and per unit
// (small counts hidden, each row only to whom the policy shows it) and the response deadline.

let app: TestApp;
let world: ReferralWorld;
let offers: Record<string, string>;
const as = {} as Record<"koordinator" | "leder" | "admin" | "idrettslag" | "frivillig" | "nav", CallerClient>;
const FOTBALL = "Fotball for 8–12 år";
const T = new Date("2027-02-01T09:00:00Z");
const hours = (h: number) => new Date(T.getTime() + h * 3600_000);

beforeAll(async () => {
  app = await startTestApp();
  for (const name of Object.keys({ koordinator: 1, leder: 1, admin: 1, idrettslag: 1, frivillig: 1, nav: 1 }) as (keyof typeof as)[]) {
    as[name] = await app.signedIn(`${name}@demo.laget.no`);
  }
  world = await referralWorld(app.db, as.koordinator, "Emma Tallsen");
  offers = await offerIdsByTitle(app.db);
});
afterAll(() => app?.stop());

const appCode = (r: TrpcResult) => (r.ok ? "ok" : r.error.data.appCode);
const shape = (r: TrpcResult) => (r.ok ? { ok: true } : { status: r.status, code: r.error.data.code, appCode: r.error.data.appCode, message: r.error.message });

describe("feedback", () => {
  let completed: string;
  let running: string;
  beforeAll(async () => {
    completed = await insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", offerId: offers[FOTBALL], status: "completed", sentAt: T, firstResponseAt: hours(1), firstName: "Emma" });
    running = await insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", offerId: offers[FOTBALL], status: "in_progress", sentAt: T, firstResponseAt: hours(1) });
  });

  test("the referrer records it once a referral is completed, once; the organisation reads it without a name, the school's others may not", async () => {
    const recorded = await as.koordinator.mutationOk<{ rating: string; words: string; recordedAt: Date }>("referralInsights.recordFeedback", {
      referralId: completed,
      rating: "good",
      words: "  Hun gleder seg til hver trening.  ",
    });
    expect(recorded).toEqual({ rating: "good", words: "Hun gleder seg til hver trening.", recordedAt: expect.any(Date) });
    // Once: the family's words as given stand.
    expect(appCode(await as.koordinator.mutation("referralInsights.recordFeedback", { referralId: completed, rating: "poor", words: "" }))).toBe("INVALID_STATE");
    // Not before it is completed, not by the recipient, and a referral one is not party to is hidden like a missing one.
    expect(appCode(await as.koordinator.mutation("referralInsights.recordFeedback", { referralId: running, rating: "good", words: "" }))).toBe("INVALID_STATE");
    expect(appCode(await as.idrettslag.mutation("referralInsights.recordFeedback", { referralId: completed, rating: "good", words: "" }))).toBe("FORBIDDEN");
    for (const who of [as.frivillig, as.leder, as.nav]) {
      const hidden = await who.mutation("referralInsights.recordFeedback", { referralId: completed, rating: "good", words: "" });
      const random = await who.mutation("referralInsights.recordFeedback", { referralId: randomUUID(), rating: "good", words: "" });
      expect(shape(hidden)).toEqual(shape(random));
      expect(appCode(hidden)).toBe("NOT_FOUND");
    }
    expect(appCode(await as.koordinator.mutation("referralInsights.recordFeedback", { referralId: completed, rating: "great", words: "" }))).toBe("VALIDATION");

    const stored = await app.db.selectFrom("referral_feedback").select(["rating", "recorded_by"]).where("referral_id", "=", completed).execute();
    expect(stored).toEqual([{ rating: "good", recorded_by: world.users.koordinator }]);
    const audited = await app.db.selectFrom("audit_events").select(["actor_user_id", "case_id"]).where("action", "=", "referral.feedback.record").execute();
    expect(audited).toEqual([{ actor_user_id: world.users.koordinator, case_id: world.caseId }]);

    // The offer's unit, and the leaders and admins: a rating, the words and when, nothing else.
    for (const who of [as.idrettslag, as.leder, as.admin]) {
      const list = await who.queryOk<Record<string, unknown>[]>("referralInsights.feedback", { offerId: offers[FOTBALL] });
      expect(list).toEqual([{ rating: "good", words: "Hun gleder seg til hver trening.", recordedAt: recorded.recordedAt }]);
    }
    // Anyone else in the municipality sees the offer, but not the feedback on it; an unknown offer is NOT_FOUND.
    for (const who of [as.koordinator, as.frivillig, as.nav]) expect(appCode(await who.query("referralInsights.feedback", { offerId: offers[FOTBALL] }))).toBe("FORBIDDEN");
    expect(appCode(await as.idrettslag.query("referralInsights.feedback", { offerId: randomUUID() }))).toBe("NOT_FOUND");

    // A referral whose personal data was withdrawn keeps no words.
    await app.db.updateTable("referrals").set({ redacted_at: new Date(), data: null }).where("id", "=", completed).execute();
    expect(await as.idrettslag.queryOk("referralInsights.feedback", { offerId: offers[FOTBALL] })).toEqual([]);
  });
});

describe("figures", () => {
  const LEIR = "Ferie for alle – sommerleir";
  beforeAll(async () => {
    // Start from no referrals, so the rows below are exactly these.
    await app.db.deleteFrom("referral_feedback").execute();
    await app.db.deleteFrom("referral_events").execute();
    await app.db.deleteFrom("referrals").execute();
    const fotball = offers[FOTBALL]!;
    const to = (status: Parameters<typeof insertReferral>[2]["status"], responseHours: number | null, offerId: string | null = fotball) =>
      insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", offerId, status, sentAt: T, firstResponseAt: responseHours === null ? null : hours(responseHours) });
    await to("completed", 2);
    await to("completed", 4);
    await to("declined", 6);
    await to("on_hold", 8);
    await to("in_progress", 10);
    await to("sent", null);
    // Not sent: not counted anywhere.
    await insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", offerId: fotball, status: "draft", sentAt: null });
    // Straight to the unit, no offer: counted for the unit only.
    await to("on_hold", 12, null);
    // Two to one of Røde Kors' offers: too few to show anything but "<5".
    const leir = offers[LEIR]!;
    for (const _ of [1, 2]) await insertReferral(app.db, world, { recipient: "Røde Kors Fjellheim", offerId: leir, status: "accepted", sentAt: T, firstResponseAt: hours(1) });
  });

  const byName = (rows: FigureRow[]) => Object.fromEntries(rows.map((r) => [r.name, r]));

  test("per offer and per receiving unit: sent, median hours to first response, accepted and completed shares, waiting list; under 5 is \"<5\" and hides the shares", async () => {
    const seen = await as.leder.queryOk<Figures>("referralInsights.figures");
    const fotball = byName(seen.offers)[FOTBALL];
    // Six sent (the draft is not); responses after 2, 4, 6, 8 and 10 hours; three ever accepted, two completed; one on hold.
    expect(fotball).toEqual({ id: offers[FOTBALL], name: FOTBALL, sent: 6, medianFirstResponseHours: 6, acceptedShare: 0.5, completedShare: 0.33, waitingList: "<5" });
    const idrettslag = byName(seen.units)["Fjellheim idrettslag"];
    expect(idrettslag).toEqual({ id: world.units["Fjellheim idrettslag"], name: "Fjellheim idrettslag", sent: 7, medianFirstResponseHours: 7, acceptedShare: 0.43, completedShare: 0.29, waitingList: "<5" });
    expect(byName(seen.offers)[LEIR]).toMatchObject({ sent: "<5", acceptedShare: null });
    const redCross = byName(seen.units)["Røde Kors Fjellheim"];
    expect(redCross).toEqual({ id: world.units["Røde Kors Fjellheim"], name: "Røde Kors Fjellheim", sent: "<5", medianFirstResponseHours: null, acceptedShare: null, completedShare: null, waitingList: "<5" });
    // Every offer of the directory has its row; an offer nobody was referred to shows "<5" too.
    expect(seen.offers.map((r) => r.id).sort()).toEqual(Object.values(offers).sort());
    for (const r of seen.offers.filter((r) => r.id !== offers[FOTBALL])) expect([r.sent, r.acceptedShare, r.completedShare, r.medianFirstResponseHours]).toEqual(["<5", null, null, null]);
    // The school sends referrals but receives none: it has no row.
    expect(Object.keys(byName(seen.units))).not.toContain("Fjellheim skole");
    // Counts only: no referral, case or child is named.
    const text = JSON.stringify(seen);
    for (const leak of ["Emma", "Tallsen", world.caseId, world.subjectId]) expect(text).not.toContain(leak);
  });

  test("each unit sees its own rows; leaders and admins all; anyone else none", async () => {
    const ids = async (who: CallerClient) => {
      const f = await who.queryOk<Figures>("referralInsights.figures");
      return { offers: f.offers.map((r) => r.name).sort(), units: f.units.map((r) => r.name).sort() };
    };
    const ownOffers = async (unit: string) =>
      (await app.db.selectFrom("offers").select("title").where("owner_unit_id", "=", world.units[unit]!).execute()).map((o) => o.title).sort();
    expect(await ids(as.idrettslag)).toEqual({ offers: await ownOffers("Fjellheim idrettslag"), units: ["Fjellheim idrettslag"] });
    expect(await ids(as.frivillig)).toEqual({ offers: await ownOffers("Røde Kors Fjellheim"), units: ["Røde Kors Fjellheim"] });
    const all = await ids(as.leder);
    expect(all.units).toEqual(expect.arrayContaining(["Fjellheim idrettslag", "Røde Kors Fjellheim"]));
    expect(all.offers.length).toBe(Object.keys(offers).length);
    expect(await ids(as.admin)).toEqual(all);
    expect(await ids(as.koordinator)).toEqual({ offers: [], units: [] });
    expect(await ids(as.nav)).toEqual({ offers: [], units: [] });
  });
});

describe("response deadline setting", () => {
  test("everyone reads it; only an admin sets it, within 1 to 30 working days, audited", async () => {
    expect(await as.koordinator.queryOk("referralInsights.settings")).toEqual({ responseDays: 5, abilities: { update: false } });
    expect(await as.admin.queryOk("referralInsights.settings")).toEqual({ responseDays: 5, abilities: { update: true } });
    expect(appCode(await as.koordinator.mutation("referralInsights.updateSettings", { responseDays: 7 }))).toBe("FORBIDDEN");
    expect(appCode(await as.leder.mutation("referralInsights.updateSettings", { responseDays: 7 }))).toBe("FORBIDDEN");
    for (const responseDays of [0, 31, 2.5]) expect(appCode(await as.admin.mutation("referralInsights.updateSettings", { responseDays }))).toBe("VALIDATION");
    expect(await as.admin.mutationOk("referralInsights.updateSettings", { responseDays: 7 })).toEqual({ responseDays: 7, abilities: { update: true } });
    expect(await as.idrettslag.queryOk("referralInsights.settings")).toEqual({ responseDays: 7, abilities: { update: false } });
    const audited = await app.db.selectFrom("audit_events").select(["action", "resource_id"]).where("action", "=", "referral.settings.update").execute();
    expect(audited).toEqual([{ action: "referral.settings.update", resource_id: world.municipalityId }]);
  });
});
