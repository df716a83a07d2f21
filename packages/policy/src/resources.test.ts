import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseAbilities, mayAnswerHandover, mayCoordinate, mayReadAccessLog } from "./case-rules.ts";
import { decide, unitMaySee, unitsLacking } from "./decide.ts";
import {
  AGENDA_ITEM_CATEGORIES,
  AGENDA_ITEM_CATEGORY,
  agendaUnitsLacking,
  judge,
  mayNameOnAgenda,
  mayReadReferralFigures,
  meetingUnitIds,
  minutesStates,
  referralStatuses,
  type AgendaItemResource,
  type MeetingResource,
  type ReferralResource,
  type Resource,
  type ResourceActions,
} from "./resources.ts";
import { actions, categories, purposes, type CaseFacts, type ConsentSnapshot, type PolicyActor, type Provision } from "./types.ts";

// A small world, as in decide.test.ts: few units and users, so that overlaps occur. The
// oracles below are written from the rules in DESIGN.md §4.6, §6, §7, not from the judges.

const M = "m-oslo";
const UNITS = ["u-school", "u-health", "u-nav", "u-slt", "u-volunteer"] as const;
const USERS = ["ana", "bo", "cai", "dag"] as const;
const VOLUNTEER = "u-volunteer";
const AT = new Date(Date.UTC(2025, 5, 1));
const RUNS = { numRuns: 500 };

const roleArb = fc.constantFrom("coordinator", "caseworker", "leader", "slt_coordinator", "volunteer_contact", "admin");
const actorArb: fc.Arbitrary<PolicyActor> = fc
  .record({
    userId: fc.constantFrom(...USERS),
    municipalityId: fc.oneof({ weight: 9, arbitrary: fc.constant(M) }, { weight: 1, arbitrary: fc.constant("m-bergen") }),
    unitIds: fc.subarray([...UNITS], { minLength: 0, maxLength: 2 }),
    role: roleArb,
  })
  .map(({ role, ...a }) => ({ ...a, roles: a.unitIds.map((unitId) => ({ unitId, role })) }));

const provisionArb: fc.Arbitrary<Provision> = fc.record({
  unitId: fc.constantFrom(...UNITS),
  actions: fc.subarray(["access", "disclose"] as const, { minLength: 1 }),
  purposes: fc.subarray([...purposes], { minLength: 1 }),
  categories: fc.subarray([...categories], { minLength: 1 }),
  denies: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.constant([{ purposes: ["meeting" as const] }]) }),
});
const consentArb = (owner: string): fc.Arbitrary<ConsentSnapshot> =>
  fc.record({
    id: fc.constantFrom("c1", "c2"),
    version: fc.integer({ min: 1, max: 2 }),
    status: fc.constantFrom("active" as const, "active" as const, "withdrawn" as const),
    managingUnitId: fc.constant(owner),
    periodStart: fc.constant(new Date(Date.UTC(2025, 0, 1))),
    periodEnd: fc.constantFrom(new Date(Date.UTC(2025, 11, 31)), new Date(Date.UTC(2025, 2, 1))),
    provisions: fc.array(provisionArb, { maxLength: 3 }),
  });

const caseArb: fc.Arbitrary<CaseFacts> = fc.constantFrom(...UNITS.filter((u) => u !== VOLUNTEER)).chain((owner) =>
  fc.record({
    caseId: fc.constant("case-1"),
    municipalityId: fc.constant(M),
    owningUnitId: fc.constant(owner),
    coordinatorUserId: fc.constantFrom(...USERS),
    status: fc.constantFrom("open" as const, "paused" as const, "closed" as const),
    participants: fc.array(
      fc.record({ unitId: fc.constantFrom(...UNITS), userIds: fc.oneof(fc.constant([]), fc.subarray([...USERS], { minLength: 1 })) }),
      { maxLength: 3 },
    ),
    consents: fc.uniqueArray(consentArb(owner), { maxLength: 2, selector: (c) => `${c.id}#${c.version}` }),
    disclosures: fc.constant([]),
    volunteerUnitIds: fc.constant([VOLUNTEER]),
  }),
);

const meetingArb: fc.Arbitrary<MeetingResource> = fc.record({
  kind: fc.constant("meeting" as const),
  meetingId: fc.constant("meeting-1"),
  municipalityId: fc.constant(M),
  organiserUnitId: fc.constantFrom(...UNITS),
  participantUnitIds: fc.subarray([...UNITS], { maxLength: 3 }),
  participantUserIds: fc.subarray([...USERS], { maxLength: 2 }),
  chairUserId: fc.option(fc.constantFrom(...USERS), { nil: null }),
  minuteTakerUserId: fc.option(fc.constantFrom(...USERS), { nil: null }),
  minutesState: fc.option(fc.constantFrom(...minutesStates), { nil: undefined }),
});

const agendaItemArb: fc.Arbitrary<AgendaItemResource> = fc.record({
  kind: fc.constant("agenda_item" as const),
  agendaItemId: fc.constant("item-1"),
  meeting: meetingArb,
  subject: fc.oneof(
    caseArb.map((c) => ({ kind: "case" as const, caseId: c.caseId, case: c })),
    fc.record({
      kind: fc.constant("anonymous" as const),
      pseudonym: fc.constant("Gutt, 14 år"),
      linkedCase: fc.option(caseArb, { nil: null }),
    }),
    fc.constant({ kind: "topic" as const }),
    fc.constant({ kind: "general" as const }),
  ),
  createdByUserId: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
});

const referralArb: fc.Arbitrary<ReferralResource> = caseArb.chain((c) =>
  fc.record({
    kind: fc.constant("referral" as const),
    referralId: fc.constant("ref-1"),
    municipalityId: fc.constant(M),
    referringUnitId: fc.constant(c.owningUnitId),
    referredByUserId: fc.constantFrom(...USERS),
    recipientUnitId: fc.constantFrom(VOLUNTEER, "u-nav"),
    caseCoordinatorUserId: fc.constant(c.coordinatorUserId),
    consentId: fc.constant("c1"),
    consentVersion: fc.constant(1),
    consent: fc.option(consentArb(c.owningUnitId).map((x) => ({ ...x, id: "c1", version: 1 })), { nil: undefined }),
    status: fc.constantFrom(...referralStatuses),
    // Drawn apart from the status: a cancelled draft is never sent, and the rule holds whatever the pair.
    sent: fc.boolean(),
  }),
);

const resourceArb: fc.Arbitrary<Resource> = fc.oneof(
  meetingArb,
  agendaItemArb,
  referralArb,
  fc.record({
    kind: fc.constant("offer" as const),
    offerId: fc.constant("offer-1"),
    municipalityId: fc.constant(M),
    ownerUnitId: fc.constantFrom(...UNITS),
    published: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("slt_plan" as const),
    planId: fc.constant("slt-1"),
    municipalityId: fc.constant(M),
    ownerUnitId: fc.constant("u-slt"),
    participantUnitIds: fc.subarray([...UNITS], { maxLength: 3 }),
  }),
);

const actionsOf: { [K in Resource["kind"]]: readonly ResourceActions[K][] } = {
  meeting: ["read", "edit", "writeAgenda", "submitMinutes", "approveMinutes"],
  agenda_item: ["read", "writeMinutes", "edit", "followCaseLink"],
  referral: ["read", "send", "update", "respond", "recordFeedback"],
  offer: ["read", "edit"],
  slt_plan: ["read", "write", "manage"],
};

/** Who is party to a resource at all, straight from the rules. */
function oracleParty(actor: PolicyActor, r: Resource): boolean {
  const inUnits = (units: readonly string[]) => actor.unitIds.some((u) => units.includes(u));
  switch (r.kind) {
    case "meeting":
      return inUnits([r.organiserUnitId, ...r.participantUnitIds]) || [...r.participantUserIds, r.chairUserId, r.minuteTakerUserId].includes(actor.userId);
    case "agenda_item":
      return oracleParty(actor, r.meeting);
    case "referral":
      return inUnits([r.referringUnitId]) || actor.userId === r.caseCoordinatorUserId || (inUnits([r.recipientUnitId]) && r.sent && r.status !== "draft");
    case "offer":
      return r.published || inUnits([r.ownerUnitId]);
    case "slt_plan":
      return inUnits(r.participantUnitIds) || (actor.roles ?? []).some((x) => x.unitId === r.ownerUnitId && x.role === "slt_coordinator");
  }
}

const stranger = (actor: PolicyActor): PolicyActor => ({ ...actor, userId: "stranger", unitIds: ["u-elsewhere"], roles: [{ unitId: "u-elsewhere", role: "leader" }] });

describe("resources beside the case (properties)", () => {
  it("deny by default: a stranger, or anyone from another municipality, gets no action on any kind", () => {
    fc.assert(
      fc.property(actorArb, resourceArb, (actor, resource) => {
        for (const action of actionsOf[resource.kind]) {
          const strangerJudged = judge(stranger(actor), resource, action as never, AT);
          // An offer in the directory is for every staff user of the municipality: reading it is the one exception.
          if (!(resource.kind === "offer" && resource.published && action === "read")) expect(strangerJudged.allow).toBe(false);
          expect(judge({ ...actor, municipalityId: "m-bergen" }, resource, action as never, AT).allow).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it("nothing is allowed to one who is not a party to it", () => {
    fc.assert(
      fc.property(actorArb, resourceArb, (actor, resource) => {
        const allowed = actionsOf[resource.kind].some((a) => judge(actor, resource, a as never, AT).allow);
        if (allowed) expect(actor.municipalityId === M && oracleParty(actor, resource)).toBe(true);
      }),
      RUNS,
    );
  });

  it("a named agenda item is visible iff a unit of the actor may see the case's identity and minutes for purpose meeting, and the actor is at the meeting", () => {
    fc.assert(
      fc.property(actorArb, agendaItemArb, (actor, item) => {
        fc.pre(item.subject.kind === "case");
        const facts = (item.subject as { case: CaseFacts }).case;
        const expected =
          actor.municipalityId === M &&
          oracleParty(actor, item.meeting) &&
          actor.unitIds.some(
            (u) => unitMaySee(facts, u, { purpose: "meeting", category: AGENDA_ITEM_CATEGORY, at: AT }) && unitMaySee(facts, u, { purpose: "meeting", category: "identity", at: AT }),
          );
        expect(judge(actor, item, "read", AT).allow).toBe(expected);
      }),
      RUNS,
    );
  });

  it("an anonymous item shows to every participant, and links to the case only for its coordinator", () => {
    fc.assert(
      fc.property(actorArb, agendaItemArb, (actor, item) => {
        fc.pre(item.subject.kind === "anonymous");
        const party = actor.municipalityId === M && oracleParty(actor, item.meeting);
        expect(judge(actor, item, "read", AT).allow).toBe(party);
        const linked = item.subject.kind === "anonymous" ? item.subject.linkedCase : null;
        expect(judge(actor, item, "followCaseLink", AT).allow).toBe(party && linked !== null && linked.coordinatorUserId === actor.userId);
      }),
      RUNS,
    );
  });

  it("minutes are written by the chair or minute-taker who may read the item: in draft both, in review the chair, approved (or a series without minutes) nobody", () => {
    fc.assert(
      fc.property(actorArb, agendaItemArb, (actor, item) => {
        const reads = judge(actor, item, "read", AT).allow;
        const chair = actor.userId === item.meeting.chairUserId;
        const taker = actor.userId === item.meeting.minuteTakerUserId;
        const state = item.meeting.minutesState;
        const expected = reads && ((state === "draft" && (chair || taker)) || (state === "review" && chair));
        expect(judge(actor, item, "writeMinutes", AT).allow).toBe(expected);
        if (state === "approved" || state === undefined) expect(judge(actor, item, "writeMinutes", AT).allow).toBe(false);
      }),
      RUNS,
    );
  });

  it("an item is changed only by one who reads it and runs the meeting or put it there, never once approved, and the general section never", () => {
    fc.assert(
      fc.property(actorArb, agendaItemArb, (actor, item) => {
        const m = item.meeting;
        const runs = actor.unitIds.includes(m.organiserUnitId) || actor.userId === m.chairUserId || actor.userId === m.minuteTakerUserId;
        const expected =
          judge(actor, item, "read", AT).allow &&
          (runs || item.createdByUserId === actor.userId) &&
          item.subject.kind !== "general" &&
          (m.minutesState === "draft" || m.minutesState === "review");
        expect(judge(actor, item, "edit", AT).allow).toBe(expected);
      }),
      RUNS,
    );
  });

  it("the general section is judged like a topic (read, minutes, links)", () => {
    fc.assert(
      fc.property(actorArb, agendaItemArb, (actor, item) => {
        const general: AgendaItemResource = { ...item, subject: { kind: "general" } };
        const topic: AgendaItemResource = { ...item, subject: { kind: "topic" } };
        for (const action of ["read", "writeMinutes", "followCaseLink"] as const) expect(judge(actor, general, action, AT)).toEqual(judge(actor, topic, action, AT));
      }),
      RUNS,
    );
  });

  it("a meeting's agenda is written by its parties until the minutes are approved; only the chair approves, the chair and minute-taker submit", () => {
    fc.assert(
      fc.property(actorArb, meetingArb, (actor, meeting) => {
        const party = actor.municipalityId === M && oracleParty(actor, meeting);
        expect(judge(actor, meeting, "writeAgenda", AT).allow).toBe(party && meeting.minutesState !== "approved");
        expect(judge(actor, meeting, "approveMinutes", AT).allow).toBe(party && actor.userId === meeting.chairUserId);
        expect(judge(actor, meeting, "submitMinutes", AT).allow).toBe(party && [meeting.chairUserId, meeting.minuteTakerUserId].includes(actor.userId));
      }),
      RUNS,
    );
  });

  it("a case may be named on an agenda iff no unit of the meeting lacks it; then every party in those units reads the item, and a lacking unit's members (alone) do not", () => {
    fc.assert(
      fc.property(actorArb, meetingArb, caseArb, (actor, meeting, facts) => {
        const lacking = agendaUnitsLacking(facts, meeting, AT);
        const units = meetingUnitIds(meeting);
        for (const u of lacking) expect(units).toContain(u);
        const everyone = units.every((u) => (["identity", "minutes"] as const).every((category) => unitMaySee(facts, u, { purpose: "meeting", category, at: AT })));
        expect(lacking.length === 0).toBe(everyone);
        const item: AgendaItemResource = { kind: "agenda_item", agendaItemId: "i", meeting, subject: { kind: "case", caseId: facts.caseId, case: facts } };
        const inUnits = actor.unitIds.filter((u) => units.includes(u));
        if (actor.municipalityId === M && lacking.length === 0 && inUnits.length > 0) expect(judge(actor, item, "read", AT).allow).toBe(true);
        if (actor.unitIds.length > 0 && actor.unitIds.every((u) => lacking.includes(u))) expect(judge(actor, item, "read", AT).allow).toBe(false);
      }),
      RUNS,
    );
  });

  it("a case is named on an agenda only by one who runs it: its coordinator, or a participant through its owning unit", () => {
    fc.assert(
      fc.property(actorArb, caseArb, (actor, facts) => {
        const runs =
          actor.municipalityId === M &&
          (actor.userId === facts.coordinatorUserId ||
            (actor.unitIds.includes(facts.owningUnitId) && facts.participants.some((p) => p.unitId === facts.owningUnitId && (p.userIds.length === 0 || p.userIds.includes(actor.userId)))));
        expect(mayNameOnAgenda(actor, facts).allow).toBe(runs);
      }),
      RUNS,
    );
  });

  it("the volunteer unit never reads a case through any kind: not as a unit, not in a meeting, not through a referral", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...purposes), fc.constantFrom(...categories), fc.constantFrom(...USERS), (facts, purpose, category, userId) => {
        expect(unitMaySee(facts, VOLUNTEER, { purpose, category, at: AT })).toBe(false);
        const volunteer: PolicyActor = { userId, municipalityId: M, unitIds: [VOLUNTEER], roles: [{ unitId: VOLUNTEER, role: "volunteer_contact" }] };
        // Even named as the coordinator and as a participant, the volunteer unit does not qualify.
        const named = { ...facts, coordinatorUserId: userId, participants: [...facts.participants, { unitId: VOLUNTEER, userIds: [] }] };
        for (const action of actions) expect(decide(volunteer, { case: named, category }, action, purpose, AT).allow).toBe(false);
        const item: AgendaItemResource = {
          kind: "agenda_item",
          agendaItemId: "i",
          meeting: { kind: "meeting", meetingId: "m", municipalityId: M, organiserUnitId: VOLUNTEER, participantUnitIds: [VOLUNTEER], participantUserIds: [], chairUserId: userId, minuteTakerUserId: userId },
          subject: { kind: "case", caseId: facts.caseId, case: { ...facts, coordinatorUserId: "someone-else" } },
        };
        expect(judge(volunteer, item, "read", AT).allow).toBe(false);
        expect(unitsLacking(facts, [VOLUNTEER, facts.owningUnitId], "meeting")).toContain(VOLUNTEER);
      }),
      RUNS,
    );
  });

  it("a referral never reveals the case: purpose referral opens nothing, and its recipient gets no more of the case than without it", () => {
    fc.assert(
      fc.property(actorArb, referralArb, caseArb, fc.constantFrom(...categories), (actor, referral, facts, category) => {
        const recipient: PolicyActor = { ...actor, municipalityId: M, unitIds: [referral.recipientUnitId] };
        for (const action of actions) expect(decide(recipient, { case: facts, category }, action, "referral", AT).allow).toBe(false);
        if (referral.recipientUnitId === VOLUNTEER) {
          for (const purpose of purposes) expect(decide(recipient, { case: facts, category }, "read", purpose, AT).allow).toBe(false);
        }
        // A send needs the consent it names, in force, covering the recipient for purpose referral.
        if (judge(actor, referral, "send", AT).allow) {
          const c = referral.consent!;
          expect(c.status).toBe("active");
          expect(c.provisions.some((p) => p.unitId === referral.recipientUnitId && p.purposes.includes("referral"))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("a referral is read by its maker in the referring unit, the case's coordinator, and the recipient unit only once it was sent (never a draft, nor a draft cancelled unsent)", () => {
    fc.assert(
      fc.property(actorArb, referralArb, (actor, referral) => {
        const referrer = (actor.userId === referral.referredByUserId && actor.unitIds.includes(referral.referringUnitId)) || actor.userId === referral.caseCoordinatorUserId;
        const recipient = actor.unitIds.includes(referral.recipientUnitId) && referral.sent && referral.status !== "draft";
        expect(judge(actor, referral, "read", AT).allow).toBe(actor.municipalityId === M && (referrer || recipient));
        // The recipient side alone moves it, so only once sent.
        if (actor.municipalityId === M && !referrer && actor.unitIds.includes(referral.recipientUnitId) && !referral.sent) {
          for (const action of actionsOf.referral) expect(judge(actor, referral, action, AT)).toEqual({ allow: false, reason: "not_party" });
        }
      }),
      RUNS,
    );
  });

  it("feedback is recorded only by the referring side (its maker in the referring unit, or the case's coordinator), only once completed", () => {
    fc.assert(
      fc.property(actorArb, referralArb, (actor, referral) => {
        const referrer =
          actor.municipalityId === M &&
          ((actor.userId === referral.referredByUserId && actor.unitIds.includes(referral.referringUnitId)) || actor.userId === referral.caseCoordinatorUserId);
        expect(judge(actor, referral, "recordFeedback", AT).allow).toBe(referrer && referral.status === "completed");
        // The recipient alone never records it, and a referrer is told it is the wrong moment, not that it is hidden.
        if (referrer && referral.status !== "completed") expect(judge(actor, referral, "recordFeedback", AT)).toEqual({ allow: false, reason: "wrong_state" });
        if (!referrer && judge(actor, referral, "read", AT).allow) expect(judge(actor, referral, "recordFeedback", AT)).toEqual({ allow: false, reason: "wrong_role" });
      }),
      RUNS,
    );
  });

  it("a unit's referral figures are read by its own members and by the municipality's leaders and admins, nobody else", () => {
    fc.assert(
      fc.property(actorArb, fc.constantFrom(...UNITS), fc.constantFrom(M, "m-bergen"), (actor, unitId, municipalityId) => {
        const leads = (actor.roles ?? []).some((r) => r.role === "leader" || r.role === "admin");
        const expected = actor.municipalityId === municipalityId && (actor.unitIds.includes(unitId) || leads);
        expect(mayReadReferralFigures(actor, { municipalityId, unitId }).allow).toBe(expected);
      }),
      RUNS,
    );
  });

  it("unitsLacking is empty exactly when every unit may see the case for the purpose", () => {
    fc.assert(
      fc.property(caseArb, fc.subarray([...UNITS]), fc.constantFrom(...purposes), (facts, unitIds, purpose) => {
        const lacking = unitsLacking(facts, unitIds, purpose, { at: AT });
        expect(lacking.length === 0).toBe(unitIds.every((u) => unitMaySee(facts, u, { purpose, at: AT })));
        for (const u of lacking) expect(unitIds).toContain(u);
      }),
      RUNS,
    );
  });
});

describe("case state and roles (properties)", () => {
  it("a closed case is never writable, in any category, for any purpose, by anyone; it stays readable as before", () => {
    fc.assert(
      fc.property(actorArb, caseArb, fc.constantFrom(...categories), fc.constantFrom(...purposes), (actor, facts, category, purpose) => {
        const closed = { ...facts, status: "closed" as const };
        expect(decide(actor, { case: closed, category }, "write", purpose, AT).allow).toBe(false);
        expect(decide(actor, { case: closed, category }, "disclose", purpose, AT).allow).toBe(false);
        const open = { ...facts, status: "open" as const };
        expect(decide(actor, { case: closed, category }, "read", purpose, AT)).toEqual(decide(actor, { case: open, category }, "read", purpose, AT));
        // Where the open case would allow, the closed one says why it does not.
        if (decide(actor, { case: open, category }, "write", purpose, AT).allow) {
          expect(decide(actor, { case: closed, category }, "write", purpose, AT)).toEqual({ allow: false, reason: "case_closed" });
        }
        const abilities = caseAbilities(actor, closed, { at: AT });
        expect([abilities.edit, abilities.manageConsent, abilities.handover, abilities.addNote, abilities.editPlan, abilities.disclose]).toEqual([false, false, false, false, false, false]);
      }),
      RUNS,
    );
  });

  it("only the coordinator coordinates, reads the access log and proposes; abilities never exceed what decide() allows", () => {
    fc.assert(
      fc.property(actorArb, caseArb, (actor, facts) => {
        const isCoordinator = actor.municipalityId === M && actor.userId === facts.coordinatorUserId;
        expect(mayCoordinate(actor, facts).allow).toBe(isCoordinator && facts.status !== "closed");
        expect(mayReadAccessLog(actor, facts).allow).toBe(isCoordinator);
        const abilities = caseAbilities(actor, facts, { at: AT });
        const sees = decide(actor, { case: facts, category: "identity" }, "read", "coordination", AT).allow;
        if (!sees) expect(Object.values(abilities).every((v) => !v)).toBe(true);
        if (abilities.editPlan) expect(decide(actor, { case: facts, category: "plan" }, "write", "coordination", AT).allow).toBe(true);
        if (abilities.edit || abilities.readAccessLog) expect(isCoordinator && sees).toBe(true);
      }),
      RUNS,
    );
  });

  it("a handover is answered by its target and withdrawn by its proposer; anyone else is not told of it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...USERS), fc.constantFrom(...USERS), fc.constantFrom(...USERS), (me, from, to) => {
        const actor: PolicyActor = { userId: me, municipalityId: M, unitIds: [] };
        for (const answer of ["accept", "decline", "withdraw"] as const) {
          const verdict = mayAnswerHandover(actor, { fromUserId: from, toUserId: to }, answer);
          const party = answer === "withdraw" ? from : to;
          expect(verdict.allow).toBe(me === party);
          if (me !== from && me !== to) expect(verdict).toEqual({ allow: false, reason: "not_party" });
        }
      }),
    );
  });
});

describe("resources (examples)", () => {
  const facts: CaseFacts = {
    caseId: "case-1",
    municipalityId: M,
    owningUnitId: "u-school",
    coordinatorUserId: "ana",
    status: "open",
    participants: [{ unitId: "u-school", userIds: ["ana"] }],
    consents: [
      {
        id: "c1",
        version: 1,
        status: "active",
        managingUnitId: "u-school",
        periodStart: new Date(Date.UTC(2025, 0, 1)),
        periodEnd: new Date(Date.UTC(2025, 11, 31)),
        provisions: [
          { unitId: "u-health", actions: ["access"], purposes: ["meeting"], categories: ["identity", "minutes"], denies: [] },
          { unitId: "u-nav", actions: ["access"], purposes: ["coordination"], categories: ["identity", "minutes"], denies: [] },
          { unitId: VOLUNTEER, actions: ["access"], purposes: ["referral"], categories: ["identity"], denies: [] },
        ],
      },
    ],
    disclosures: [],
    volunteerUnitIds: [VOLUNTEER],
  };

  it("a named item needs both who it is about and what is said: minutes without identity for purpose meeting is not enough", () => {
    const meeting: MeetingResource = { kind: "meeting", meetingId: "m", municipalityId: M, organiserUnitId: "u-school", participantUnitIds: ["u-health", "u-nav"], participantUserIds: [], chairUserId: "ana", minuteTakerUserId: null, minutesState: "draft" };
    const minutesOnly: CaseFacts = {
      ...facts,
      consents: [{ ...facts.consents[0]!, provisions: [{ unitId: "u-health", actions: ["access"], purposes: ["meeting"], categories: ["minutes"], denies: [] }] }],
    };
    expect(agendaUnitsLacking(minutesOnly, meeting, AT)).toEqual(["u-health", "u-nav"]);
    const bo: PolicyActor = { userId: "bo", municipalityId: M, unitIds: ["u-health"] };
    const item: AgendaItemResource = { kind: "agenda_item", agendaItemId: "i", meeting, subject: { kind: "case", caseId: "case-1", case: minutesOnly } };
    expect(judge(bo, item, "read", AT)).toEqual({ allow: false, reason: "no_basis" });
    expect(judge(bo, { ...item, subject: { kind: "case", caseId: "case-1", case: facts } }, "read", AT)).toEqual({ allow: true });
    expect(AGENDA_ITEM_CATEGORIES).toEqual(["identity", "minutes"]);
  });

  it("consent for purpose meeting covers the health station but not NAV, whose consent is for coordination only", () => {
    expect(unitsLacking(facts, ["u-school", "u-health", "u-nav"], "meeting", { at: AT })).toEqual(["u-nav"]);
    expect(unitMaySee(facts, "u-nav", { purpose: "coordination", at: AT })).toBe(true);
  });

  it("a referral to the volunteer unit under that consent can be sent, is read by the volunteer once sent, and opens no case", () => {
    const referral: ReferralResource = {
      kind: "referral",
      referralId: "r",
      municipalityId: M,
      referringUnitId: "u-school",
      referredByUserId: "ana",
      recipientUnitId: VOLUNTEER,
      caseCoordinatorUserId: "ana",
      consentId: "c1",
      consentVersion: 1,
      consent: facts.consents[0]!,
      status: "draft",
      sent: false,
    };
    const ana: PolicyActor = { userId: "ana", municipalityId: M, unitIds: ["u-school"] };
    const vera: PolicyActor = { userId: "vera", municipalityId: M, unitIds: [VOLUNTEER] };
    expect(judge(ana, referral, "send", AT).allow).toBe(true);
    expect(judge(vera, referral, "read", AT).allow).toBe(false);
    expect(judge(vera, { ...referral, status: "sent", sent: true }, "read", AT).allow).toBe(true);
    expect(judge(vera, { ...referral, status: "sent", sent: true }, "respond", AT).allow).toBe(true);
    expect(judge(vera, { ...referral, status: "completed", sent: true }, "respond", AT)).toEqual({ allow: false, reason: "wrong_state" });
    // A draft cancelled before it was sent stays the referring side's: the volunteer never learns of it.
    expect(judge(vera, { ...referral, status: "cancelled" }, "read", AT)).toEqual({ allow: false, reason: "not_party" });
    expect(judge(ana, { ...referral, status: "cancelled" }, "read", AT)).toEqual({ allow: true });
    expect(decide(vera, { case: facts, category: "identity" }, "read", "referral", AT).allow).toBe(false);
    expect(judge(ana, { ...referral, consent: { ...facts.consents[0]!, status: "withdrawn" } }, "send", AT)).toEqual({ allow: false, reason: "no_basis" });
    // Feedback: the referrer once completed; the volunteer reads it but never records it.
    expect(judge(ana, { ...referral, status: "completed", sent: true }, "recordFeedback", AT)).toEqual({ allow: true });
    expect(judge(ana, { ...referral, status: "in_progress", sent: true }, "recordFeedback", AT)).toEqual({ allow: false, reason: "wrong_state" });
    expect(judge(vera, { ...referral, status: "completed", sent: true }, "recordFeedback", AT)).toEqual({ allow: false, reason: "wrong_role" });
  });

  it("the volunteer unit's figures: its own members and the leaders, not the school's coordinator", () => {
    const unit = { municipalityId: M, unitId: VOLUNTEER };
    expect(mayReadReferralFigures({ userId: "vera", municipalityId: M, unitIds: [VOLUNTEER], roles: [{ unitId: VOLUNTEER, role: "volunteer_contact" }] }, unit).allow).toBe(true);
    expect(mayReadReferralFigures({ userId: "lars", municipalityId: M, unitIds: ["u-school"], roles: [{ unitId: "u-school", role: "leader" }] }, unit).allow).toBe(true);
    expect(mayReadReferralFigures({ userId: "kari", municipalityId: M, unitIds: ["u-school"], roles: [{ unitId: "u-school", role: "coordinator" }] }, unit)).toEqual({ allow: false, reason: "not_party" });
    expect(mayReadReferralFigures({ userId: "lars", municipalityId: "m-bergen", unitIds: [VOLUNTEER], roles: [{ unitId: VOLUNTEER, role: "leader" }] }, unit)).toEqual({ allow: false, reason: "other_municipality" });
  });
});
