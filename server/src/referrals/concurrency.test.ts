import { afterAll, beforeAll, expect, test } from "vitest";
import type { TrpcClient, TrpcResult } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { IDRETTSLAG, KOORDINATOR, referralCase, sendReferral, type ReferralCase } from "./testing.ts";

// Two answers to one referral at once: the guarded update lets exactly one through; the
// other is told it was already answered, and the history holds one row for it.

let app: TestApp;
let kari: TrpcClient;
let ivar: TrpcClient;
let ivar2: TrpcClient;
let world: ReferralCase;

beforeAll(async () => {
  app = await startTestApp();
  kari = await app.signedIn(KOORDINATOR);
  ivar = await app.signedIn(IDRETTSLAG);
  // A second volunteer contact of the idrettslag, to claim against Ivar.
  const unit = await app.db.selectFrom("units").select("id").where("name", "=", "Fjellheim idrettslag").executeTakeFirstOrThrow();
  const ivarRow = await app.db.selectFrom("users").select(["municipality_id", "password_hash"]).where("email", "=", IDRETTSLAG).executeTakeFirstOrThrow();
  const second = await app.db
    .insertInto("users")
    .values({ municipality_id: ivarRow.municipality_id, email: "trener@demo.laget.no", display_name: "Tina Trener", password_hash: ivarRow.password_hash, must_change_password: false })
    .returning("id")
    .executeTakeFirstOrThrow();
  await app.db.insertInto("memberships").values({ user_id: second.id, unit_id: unit.id, role: "volunteer_contact" }).execute();
  ivar2 = await app.signedIn("trener@demo.laget.no");
  world = await referralCase(kari, "Kai Samtidig");
});
afterAll(() => app?.stop());

const outcome = (r: TrpcResult) => (r.ok ? "ok" : (r.error.data.appCode ?? String(r.status)));
const events = (referralId: string, to: string) => app.db.selectFrom("referral_events").selectAll().where("referral_id", "=", referralId).where("to_status", "=", to).execute();

test("accept and decline at once: exactly one applies, the other is REFERRAL_ALREADY_ANSWERED", async () => {
  for (let round = 0; round < 5; round++) {
    const referralId = await sendReferral(kari, world, "Kai");
    await ivar.mutationOk("referrals.move", { referralId, move: { to: "received" } });
    const [accept, decline] = await Promise.all([
      ivar.mutation("referrals.move", { referralId, move: { to: "accepted" } }),
      ivar2.mutation("referrals.move", { referralId, move: { to: "declined", reason: "no_capacity" } }),
    ]);
    const outcomes = [outcome(accept), outcome(decline)].sort();
    expect(outcomes, `round ${round}`).toEqual(["REFERRAL_ALREADY_ANSWERED", "ok"].sort());
    const row = await app.db.selectFrom("referrals").select("status").where("id", "=", referralId).executeTakeFirstOrThrow();
    expect(row.status).toBe(accept.ok ? "accepted" : "declined");
    const answers = [...(await events(referralId, "accepted")), ...(await events(referralId, "declined"))];
    expect(answers).toHaveLength(1);
    expect(answers[0]!.to_status).toBe(row.status);
  }
});

test("two contacts claim at once: one holds it, named; the other is REFERRAL_ALREADY_ANSWERED", async () => {
  for (let round = 0; round < 5; round++) {
    const referralId = await sendReferral(kari, world, "Kai");
    const [a, b] = await Promise.all([
      ivar.mutation("referrals.move", { referralId, move: { to: "received" } }),
      ivar2.mutation("referrals.move", { referralId, move: { to: "received" } }),
    ]);
    expect([outcome(a), outcome(b)].sort(), `round ${round}`).toEqual(["REFERRAL_ALREADY_ANSWERED", "ok"].sort());
    const claims = await events(referralId, "received");
    expect(claims).toHaveLength(1);
    const row = await app.db.selectFrom("referrals").select(["claimed_by", "first_response_at"]).where("id", "=", referralId).executeTakeFirstOrThrow();
    expect(row.claimed_by).toBe(claims[0]!.actor_user_id);
    expect(row.first_response_at).not.toBeNull();
  }
});
