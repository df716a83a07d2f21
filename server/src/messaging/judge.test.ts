import type { CaseFacts } from "@laget/policy";
import { describe, expect, test } from "vitest";
import type { Actor } from "../auth/actor.ts";
import { judgeConversation, judgeLoaded, mayReadConversation, type ConversationFacts } from "./judge.ts";

// The one judge of reading a conversation, on plain data: every path that asks (opening,
// rooms, lists, replay, recovery, revocation) gets these answers.

const M = "m1";
const actor = (id: string, unitIds: string[], municipalityId = M): Actor => ({
  id,
  municipalityId,
  municipalityName: "Demo",
  consentMaxMonths: 12,
  email: `${id}@example.org`,
  displayName: id,
  mustChangePassword: false,
  memberships: unitIds.map((unitId, i) => ({ id: `${id}-${i}`, unitId, unitName: unitId, unitKind: "school", role: "caseworker" }) as Actor["memberships"][number]),
});
const facts: CaseFacts = {
  caseId: "case1",
  municipalityId: M,
  owningUnitId: "school",
  coordinatorUserId: "coordinator",
  participants: [{ unitId: "school", userIds: [] }, { unitId: "health", userIds: [] }],
  consents: [],
  disclosures: [],
  volunteerUnitIds: [],
  status: "open",
};
const group = { id: "g1", municipality_id: M, kind: "group" as const, case_id: null };
const thread = { id: "t1", municipality_id: M, kind: "case" as const, case_id: "case1" };

describe("a group or direct conversation", () => {
  test("is read by its current members only", () => {
    expect(mayReadConversation({ actor: actor("ann", []), conversation: group, facts: null, members: ["ann", "bo"] })).toEqual({ allow: true, via: "membership" });
    expect(mayReadConversation({ actor: actor("cy", []), conversation: group, facts: null, members: new Set(["ann"]) })).toEqual({ allow: false, reason: "not_member" });
  });
  test("never across a municipality border, whatever the member rows say", () => {
    expect(mayReadConversation({ actor: actor("ann", [], "m2"), conversation: group, facts: null, members: ["ann"] })).toEqual({ allow: false, reason: "other_municipality" });
  });
});

describe("a case thread", () => {
  test("is read by whom decide() allows category conversation for coordination", () => {
    expect(mayReadConversation({ actor: actor("coordinator", ["school"]), conversation: thread, facts, members: null })).toMatchObject({ allow: true, via: "case", basis: { kind: "own_unit", unitId: "school" } });
    // A participating unit without consent has no basis for the thread.
    expect(mayReadConversation({ actor: actor("nurse", ["health"]), conversation: thread, facts, members: null }).allow).toBe(false);
  });
  test("membership rows never open a case thread", () => {
    expect(mayReadConversation({ actor: actor("nurse", ["health"]), conversation: thread, facts, members: ["nurse"] }).allow).toBe(false);
  });
  test("without its case's facts (or another case's) nobody reads it", () => {
    expect(judgeConversation({ actor: actor("coordinator", ["school"]), conversation: thread, facts: undefined, members: null })).toEqual({ allow: false, reason: "unknown_case" });
    expect(judgeConversation({ actor: actor("coordinator", ["school"]), conversation: { ...thread, case_id: "case2" }, facts, members: null })).toEqual({ allow: false, reason: "unknown_case" });
  });
});

test("over loaded facts, an unknown conversation is never readable", () => {
  const loaded: ConversationFacts = { conversations: new Map([[group.id, group]]), caseFacts: new Map(), members: new Map([[group.id, new Set(["ann"])]]) };
  expect(judgeLoaded(loaded, actor("ann", []), group.id).allow).toBe(true);
  expect(judgeLoaded(loaded, actor("ann", []), "missing").allow).toBe(false);
});
