import type { ReferralMove } from "@laget/domain";
import { referralStatuses, referralTransition, referralTransitions, type ReferralMover, type ReferralStatus } from "@laget/policy";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { AppError } from "../errors.ts";
import type { TrpcClient, TrpcResult } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { applyMove } from "./lifecycle.ts";
import { IDRETTSLAG, KOORDINATOR, RODE_KORS, referralCase, sendReferral, type ReferralCase } from "./testing.ts";

// The lifecycle table against the real API and database: random sequences of moves by
// random movers never take a referral outside the table, every refused move leaves the
// row as it was, and each target's requirement is enforced.

let app: TestApp;
let clients: Record<"referrer" | "recipient" | "outsider", TrpcClient>;
let world: ReferralCase;

beforeAll(async () => {
  app = await startTestApp();
  clients = { referrer: await app.signedIn(KOORDINATOR), recipient: await app.signedIn(IDRETTSLAG), outsider: await app.signedIn(RODE_KORS) };
  world = await referralCase(clients.referrer, "Pia Egenskap");
});
afterAll(() => app?.stop());

/** A move to `to` with everything it requires. */
function completeMove(to: ReferralStatus): ReferralMove {
  switch (to) {
    case "declined":
      return { to, reason: "no_capacity", reasonText: "" };
    case "on_hold":
      return { to, resumeOn: "2027-03-01" };
    case "completed":
      return { to, outcome: "Begynte på laget og trives" };
    case "failed":
      return { to, reason: "could_not_reach" };
    case "cancelled":
      return { to, reasonText: "" };
    default:
      return { to } as ReferralMove;
  }
}

/** The same move with what it requires left out (as a client might send it), or null when it requires nothing. */
function incompleteMove(to: ReferralStatus): Record<string, unknown> | null {
  switch (to) {
    case "declined":
      return { to, reason: "other", reasonText: "" };
    case "on_hold":
      return { to };
    case "completed":
      return { to, outcome: "" };
    case "failed":
      return { to };
    default:
      return null;
  }
}

const codeOf = (r: TrpcResult) => (r.ok ? "ok" : r.error.data.appCode);
const snapshot = (referralId: string) => app.db.selectFrom("referrals").selectAll().where("id", "=", referralId).executeTakeFirstOrThrow();
const eventCount = async (referralId: string) =>
  Number((await app.db.selectFrom("referral_events").select((eb) => eb.fn.countAll().as("n")).where("referral_id", "=", referralId).executeTakeFirstOrThrow()).n);

/** Every status the table can reach from a draft. */
const reachable = (() => {
  const seen = new Set<ReferralStatus>(["draft"]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of referralTransitions) {
      if (seen.has(t.from) && !seen.has(t.to)) {
        seen.add(t.to);
        grew = true;
      }
    }
  }
  return seen;
})();

const step = fc.record({
  who: fc.constantFrom("referrer", "recipient", "recipient", "recipient", "outsider") as fc.Arbitrary<"referrer" | "recipient" | "outsider">,
  to: fc.constantFrom(...referralStatuses),
  complete: fc.constantFrom(true, true, true, false),
  /** Most of the time the step follows the table (one of the moves open to this mover), so runs reach deep into it. */
  follow: fc.constantFrom(true, true, true, false),
  pick: fc.nat(),
});

const visited = new Set<ReferralStatus>(["draft"]);

/** The shortest way through the table from a draft to each status (by the referrer and the recipient). */
const pathTo = (() => {
  const paths = new Map<ReferralStatus, { to: ReferralStatus; by: ReferralMover }[]>([["draft", []]]);
  const queue: ReferralStatus[] = ["draft"];
  while (queue.length) {
    const from = queue.shift()!;
    for (const t of referralTransitions) {
      if (t.from !== from || t.by === "laget" || paths.has(t.to)) continue;
      paths.set(t.to, [...paths.get(from)!, { to: t.to, by: t.by }]);
      queue.push(t.to);
    }
  }
  return paths;
})();

test("no sequence of moves by any mover, from any status, reaches a status outside the table; a refused move changes nothing", async () => {
  for (const start of referralStatuses) {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const referralId = await sendReferral(clients.referrer, world, "Pia", { send: false });
        // The model: the table's status, and whether the recipient ever got it.
        let status: ReferralStatus = "draft";
        let sent = false;
        let applied = 1;
        const passed: ReferralStatus[] = [];
        for (const { to, by } of pathTo.get(start)!) {
          passed.push(status);
          await clients[by === "referrer" ? "referrer" : "recipient"].mutationOk("referrals.move", { referralId, move: completeMove(to) });
          status = to;
          applied++;
          if (to === "sent") sent = true;
        }
        for (const { who, to: drawn, complete, follow, pick } of steps) {
          const open = referralTransitions.filter((t) => t.from === status && t.by === (who === "referrer" ? "referrer" : "recipient")).map((t) => t.to);
          const to = follow && open.length > 0 ? open[pick % open.length]! : drawn;
          const before = await snapshot(referralId);
          const incomplete = complete ? null : incompleteMove(to);
          const res = await clients[who].mutation("referrals.move", { referralId, move: incomplete ?? completeMove(to) });
          const by: ReferralMover | null = who === "referrer" ? "referrer" : who === "recipient" && sent ? "recipient" : null;
          let expected: string;
          // The input's schema speaks first (most requirements are in it), then who may, then the table, then the rest of what the target requires.
          // (No move goes back to draft: the schema has no such target.)
          if (to === "draft" || (incomplete && to !== "declined")) expected = "VALIDATION";
          else if (by === null) expected = "NOT_FOUND";
          // A move the table allowed from a status passed through earlier was overtaken: someone answered first.
        else if (!referralTransition(status, to, by)) expected = passed.some((p) => referralTransition(p, to, by)) ? "REFERRAL_ALREADY_ANSWERED" : "INVALID_STATE";
          else if (incomplete) expected = "REFERRAL_REASON_REQUIRED";
          else expected = "ok";
          expect(codeOf(res), `${who} moving ${status} → ${to}${incomplete ? " without its requirement" : ""}`).toBe(expected);
          const after = await snapshot(referralId);
          if (expected === "ok") {
            passed.push(status);
            status = to;
            applied++;
            if (to === "sent") sent = true;
            expect(after.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime());
          } else {
            expect(after, "a refused move leaves the row unchanged").toEqual(before);
          }
          expect(after.status).toBe(status);
          visited.add(status);
          expect(reachable.has(after.status as ReferralStatus)).toBe(true);
          expect(await eventCount(referralId), "one history row per applied move").toBe(applied);
        }
      }),
      { numRuns: 10 },
    );
  }
  expect([...visited].sort(), "the runs visited every status").toEqual([...referralStatuses].sort());
}, 300_000);

test("every status of the vocabulary is in the table, and the terminal ones lead nowhere", () => {
  expect([...reachable].sort()).toEqual([...referralStatuses].sort());
  for (const from of ["declined", "completed", "failed", "cancelled"] as const) {
    for (const to of referralStatuses) for (const by of ["referrer", "recipient", "laget"] as const) expect(referralTransition(from, to, by)).toBeNull();
  }
});

test("each requirement is enforced where the table is applied: reason, date, outcome, consent and Laget's cancel reason", async () => {
  const fresh = async (to: "sent" | "received" | "accepted") => {
    const referralId = await sendReferral(clients.referrer, world, "Pia");
    if (to !== "sent") await clients.recipient.mutationOk("referrals.move", { referralId, move: { to: "received" } });
    if (to === "accepted") await clients.recipient.mutationOk("referrals.move", { referralId, move: { to: "accepted" } });
    return referralId;
  };
  const refused = async (options: Omit<Parameters<typeof applyMove>[0], "db">) => {
    const before = await snapshot(options.referralId);
    const e = await applyMove({ db: app.db, ...options }).catch((err: unknown) => err);
    expect(await snapshot(options.referralId)).toEqual(before);
    return e instanceof AppError ? e.code : e;
  };
  const received = await fresh("received");
  const accepted = await fresh("accepted");
  const base = { by: "recipient" as const, actorUserId: null };
  expect(await refused({ ...base, referralId: received, from: "received", move: { to: "declined", reason: "other", reasonText: "  " } })).toBe("REFERRAL_REASON_REQUIRED");
  expect(await refused({ ...base, referralId: received, from: "received", move: { to: "declined", reason: undefined, reasonText: "" } as never })).toBe("REFERRAL_REASON_REQUIRED");
  expect(await refused({ ...base, referralId: received, from: "received", move: { to: "on_hold" } as never })).toBe("REFERRAL_REASON_REQUIRED");
  expect(await refused({ ...base, referralId: accepted, from: "accepted", move: { to: "completed", outcome: " " } })).toBe("REFERRAL_REASON_REQUIRED");
  expect(await refused({ ...base, referralId: accepted, from: "accepted", move: { to: "failed" } as never })).toBe("REFERRAL_REASON_REQUIRED");
  expect(await refused({ referralId: received, from: "received", move: { to: "cancelled", reasonText: "" }, by: "laget", actorUserId: null })).toBe("REFERRAL_REASON_REQUIRED");
  expect(await refused({ referralId: received, from: "received", move: { to: "cancelled", reasonText: "" }, by: "laget", actorUserId: null, cancelReason: "referrer" })).toBe(
    "REFERRAL_REASON_REQUIRED",
  );
  const draft = await sendReferral(clients.referrer, world, "Pia", { send: false });
  expect(await refused({ referralId: draft, from: "draft", move: { to: "sent" }, by: "referrer", actorUserId: null })).toBe("REFERRAL_CONSENT_MISSING");
  // A stale `from` is a lost race, whatever the move.
  expect(await refused({ ...base, referralId: accepted, from: "received", move: { to: "accepted" } })).toBe("REFERRAL_ALREADY_ANSWERED");

  // And with everything given, each is stored beside the status.
  await clients.recipient.mutationOk("referrals.move", { referralId: received, move: { to: "declined", reason: "other", reasonText: "Vi har bare jentelag", suggestedOfferId: world.footballOfferId } });
  expect(await snapshot(received)).toMatchObject({ status: "declined", fhir_status: "rejected", status_reason: "other", status_reason_text: "Vi har bare jentelag", suggested_offer_id: world.footballOfferId });
  const held = await fresh("received");
  await clients.recipient.mutationOk("referrals.move", { referralId: held, move: { to: "on_hold", resumeOn: "2027-08-15" } });
  expect(await snapshot(held)).toMatchObject({ status: "on_hold", fhir_status: "on-hold", resume_on: "2027-08-15" });
  await clients.recipient.mutationOk("referrals.move", { referralId: accepted, move: { to: "completed", outcome: "Går på trening hver uke" } });
  expect(await snapshot(accepted)).toMatchObject({ status: "completed", outcome: "Går på trening hver uke" });
});
