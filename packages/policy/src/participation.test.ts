import { describe, expect, it } from "vitest";
import { consentReadScope, confidentialUnitKinds, mayKnowParticipation, mayReadDisclosure, type ParticipationContext } from "./participation.ts";
import type { CaseFacts, ConsentSnapshot, PolicyActor } from "./types.ts";

const M = "m-1";
const now = new Date("2026-06-01T12:00:00Z");
const consent = (unitIds: string[], status: ConsentSnapshot["status"] = "active"): ConsentSnapshot => ({
  id: `c-${unitIds.join("-")}`,
  version: 1,
  status,
  managingUnitId: "school",
  periodStart: new Date("2026-01-01T00:00:00Z"),
  periodEnd: new Date("2026-12-01T00:00:00Z"),
  provisions: unitIds.map((unitId) => ({ unitId, actions: ["access"], purposes: ["coordination"], categories: ["identity"], denies: [] })),
});
const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  caseId: "case",
  municipalityId: M,
  owningUnitId: "school",
  coordinatorUserId: "kari",
  status: "open",
  participants: [
    { unitId: "school", userIds: ["kari", "lars"] },
    { unitId: "health", userIds: [] },
    { unitId: "nav", userIds: [] },
    { unitId: "cw", userIds: [] },
  ],
  consents: [],
  disclosures: [],
  volunteerUnitIds: [],
  ...over,
});
const actor = (userId: string, ...unitIds: string[]): PolicyActor => ({ userId, municipalityId: M, unitIds });
const ctx = (f: CaseFacts, disclosures: ParticipationContext["disclosures"] = []): ParticipationContext => ({
  case: f,
  confidentialUnitIds: new Set(["cw"]),
  disclosures,
});

describe("confidential participation", () => {
  it("child welfare and police are confidential by default; a municipality adds kinds", () => {
    expect([...confidentialUnitKinds()].sort()).toEqual(["child_welfare", "police"]);
    expect(confidentialUnitKinds(["ppt"]).has("ppt")).toBe(true);
  });

  it("a unit that is not confidential is shown to everyone who sees the case", () => {
    expect(mayKnowParticipation(actor("nina", "nav"), ctx(facts()), "health", now)).toBe(true);
  });

  it("a confidential unit is shown to the coordinator, the owning unit and itself, and hidden from other participants", () => {
    const c = ctx(facts());
    expect(mayKnowParticipation(actor("kari", "school"), c, "cw", now)).toBe(true);
    expect(mayKnowParticipation(actor("lars", "school"), c, "cw", now)).toBe(true);
    expect(mayKnowParticipation(actor("berit", "cw"), c, "cw", now)).toBe(true);
    expect(mayKnowParticipation(actor("hanne", "health"), c, "cw", now)).toBe(false);
    expect(mayKnowParticipation(actor("nina", "nav"), c, "cw", now)).toBe(false);
  });

  it("a unit named with it in an in-force consent knows; an ended consent does not tell", () => {
    expect(mayKnowParticipation(actor("hanne", "health"), ctx(facts({ consents: [consent(["health", "cw"])] })), "cw", now)).toBe(true);
    expect(mayKnowParticipation(actor("hanne", "health"), ctx(facts({ consents: [consent(["health", "cw"], "withdrawn")] })), "cw", now)).toBe(false);
    expect(mayKnowParticipation(actor("nina", "nav"), ctx(facts({ consents: [consent(["health", "cw"])] })), "cw", now)).toBe(false);
  });

  it("each end of a disclosure knows the other", () => {
    const c = ctx(facts(), [{ discloserUnitId: "health", recipientUnitId: "cw" }]);
    expect(mayKnowParticipation(actor("hanne", "health"), c, "cw", now)).toBe(true);
    expect(mayKnowParticipation(actor("nina", "nav"), c, "cw", now)).toBe(false);
  });

  it("a person of the unit who does not take part in the case is not told through their unit", () => {
    // The school takes part through named people only: Ola of the school is not one of them.
    expect(mayKnowParticipation(actor("ola", "school"), ctx(facts()), "cw", now)).toBe(false);
  });
});

describe("disclosure and consent details", () => {
  const d = { discloserUnitId: "health", recipientUnitId: "cw" };
  it("a disclosure is read by its two units, the coordinator and the discloser's leaders only", () => {
    expect(mayReadDisclosure(actor("hanne", "health"), facts(), d)).toBe(true);
    expect(mayReadDisclosure(actor("berit", "cw"), facts(), d)).toBe(true);
    expect(mayReadDisclosure(actor("kari", "school"), facts(), d)).toBe(true);
    expect(mayReadDisclosure({ ...actor("helga", "other"), leaderOf: ["health"] }, facts(), d)).toBe(true);
    expect(mayReadDisclosure(actor("nina", "nav"), facts(), d)).toBe(false);
    expect(mayReadDisclosure(actor("lars", "school"), facts(), d)).toBe(false);
  });

  it("the managing unit and the coordinator read a consent in full; a recipient its own provision; others nothing", () => {
    const c = { managingUnitId: "school", provisionUnitIds: ["health", "nav"] };
    expect(consentReadScope(actor("kari", "school"), facts(), c)).toEqual({ kind: "full" });
    expect(consentReadScope(actor("lars", "school"), facts(), c)).toEqual({ kind: "full" });
    expect(consentReadScope(actor("hanne", "health"), facts(), c)).toEqual({ kind: "own_provisions", unitIds: ["health"] });
    expect(consentReadScope(actor("berit", "cw"), facts(), c)).toEqual({ kind: "none" });
    expect(consentReadScope({ ...actor("kari", "school"), municipalityId: "m-2" }, facts(), c)).toEqual({ kind: "none" });
  });
});
