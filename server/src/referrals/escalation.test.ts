import { afterAll, beforeAll, expect, test } from "vitest";
import { createEventBus } from "../events/bus.ts";
import { createLogger } from "../log.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { runReferralEscalation } from "./escalation.ts";
import { insertReferral, referralWorld, type ReferralWorld } from "./insights-fixtures.ts";

// The response deadline escalates an unanswered referral to the case's coordinator once,
// however many scans (on however many nodes) see it at the same moment.

let app: TestApp;
let world: ReferralWorld;
const now = new Date("2027-03-10T12:00:00Z");
const past = new Date("2027-03-10T11:59:00Z");
const future = new Date("2027-03-10T12:01:00Z");
const sentAt = new Date("2027-03-03T12:00:00Z");

beforeAll(async () => {
  app = await startTestApp();
  world = await referralWorld(app.db, await app.signedIn("koordinator@demo.laget.no"));
});
afterAll(() => app?.stop());

const unanswered = () => app.db.selectFrom("notifications").select(["user_id", "case_id", "kind"]).where("kind", "=", "referral_unanswered").execute();

test("past its deadline and still unanswered: two nodes scanning at once stamp it and notify the coordinator exactly once; answered, not yet due or already escalated ones stay quiet", async () => {
  const due = await insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", status: "sent", sentAt, responseDueAt: past });
  const notYet = await insertReferral(app.db, world, { recipient: "Fjellheim idrettslag", status: "sent", sentAt, responseDueAt: future });
  const claimed = await insertReferral(app.db, world, { recipient: "Røde Kors Fjellheim", status: "received", sentAt, firstResponseAt: new Date("2027-03-04T09:00:00Z"), responseDueAt: past });
  const before = new Date("2027-03-09T12:00:00Z");
  const already = await insertReferral(app.db, world, { recipient: "Røde Kors Fjellheim", status: "sent", sentAt, responseDueAt: past, escalatedAt: before });

  const second = await createEventBus({ log: createLogger("silent") });
  try {
    const results = await Promise.all([
      runReferralEscalation({ db: app.db, bus: app.bus, now }),
      runReferralEscalation({ db: app.db, bus: second, now }),
      runReferralEscalation({ db: app.db, bus: app.bus, now }),
    ]);
    expect(results.reduce((n, r) => n + r.escalated, 0)).toBe(1);
  } finally {
    await second.close();
  }
  expect(await unanswered()).toEqual([{ user_id: world.users.koordinator, case_id: world.caseId, kind: "referral_unanswered" }]);
  const stamps = Object.fromEntries(
    (await app.db.selectFrom("referrals").select(["id", "escalated_at"]).where("id", "in", [due, notYet, claimed, already]).execute()).map((r) => [r.id, r.escalated_at]),
  );
  expect(stamps).toEqual({ [due]: now, [notYet]: null, [claimed]: null, [already]: before });

  // A later scan, past the second one's deadline too, escalates only that one; the first is not told again.
  const later = new Date("2027-03-10T13:00:00Z");
  expect(await runReferralEscalation({ db: app.db, bus: app.bus, now: later })).toEqual({ escalated: 1 });
  expect((await unanswered()).length).toBe(2);
  expect(await runReferralEscalation({ db: app.db, bus: app.bus, now: later })).toEqual({ escalated: 0 });
  expect((await unanswered()).length).toBe(2);
});
