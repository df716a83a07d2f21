/**
 * The role and state rules of a case, beside the consent decision (DESIGN.md §3, §4.3):
 * who holds the baton and may change the case, who answers a handover, who reads the
 * access log, who reviews a disclosure. Pure, like decide(): the server asks here and
 * maps a refusal to its error code; the client gets the answers as `abilities`.
 *
 * Every rule presumes the actor may see the case at all (decide() on identity, which
 * the server checks first); each denies by default.
 */
import { decide } from "./decide.ts";
import type { Basis, CaseFacts, Category, PolicyActor, Purpose } from "./types.ts";

/** Why a role rule refused: each maps to one error code the API already has. */
export type RuleDenyReason =
  /** Not the case's coordinator (NOT_COORDINATOR). */
  | "not_coordinator"
  /** The case is closed, so read-only (CASE_CLOSED). */
  | "case_closed"
  /** Not a party to it: the thing is not revealed (NOT_FOUND). */
  | "not_party"
  /** A party, but not the one who may take this step (FORBIDDEN). */
  | "wrong_party";

export type RuleVerdict = { allow: true } | { allow: false; reason: RuleDenyReason };

const allowed: RuleVerdict = { allow: true };
const refuse = (reason: RuleDenyReason): RuleVerdict => ({ allow: false, reason });

/** Roles that work on cases; volunteer contacts and SLT coordinators never see named cases. */
export const caseWorkRoles: readonly string[] = ["coordinator", "caseworker", "leader"];

export function isCaseCoordinator(actor: PolicyActor, facts: CaseFacts): boolean {
  return actor.municipalityId === facts.municipalityId && actor.userId === facts.coordinatorUserId;
}

/**
 * The coordinator's changes to the case: its subjects, participants, level and status,
 * closing it, its consents, proposing a handover. Only the coordinator, only while the
 * case is not closed (checked in that order, so a non-coordinator hears NOT_COORDINATOR).
 */
export function mayCoordinate(actor: PolicyActor, facts: CaseFacts): RuleVerdict {
  if (!isCaseCoordinator(actor, facts)) return refuse("not_coordinator");
  if (facts.status === "closed") return refuse("case_closed");
  return allowed;
}

/** Consent is managed by the coordinator, on a case that is not closed. */
export const mayManageConsent = mayCoordinate;
/** Only the coordinator proposes a new coordinator, on a case that is not closed. */
export const mayProposeHandover = mayCoordinate;

/** "Who has seen this case" is for its coordinator (who answers the family), closed or not. */
export function mayReadAccessLog(actor: PolicyActor, facts: CaseFacts): RuleVerdict {
  return isCaseCoordinator(actor, facts) ? allowed : refuse("not_coordinator");
}

/** A proposed handover, as the rules need it. */
export type HandoverParties = { fromUserId: string; toUserId: string };
export type HandoverAnswer = "accept" | "decline" | "withdraw";

/**
 * Who answers a proposed handover: its target accepts or declines, its proposer
 * withdraws. Only those two know it exists; anyone else is told nothing.
 */
export function mayAnswerHandover(actor: PolicyActor, handover: HandoverParties, answer: HandoverAnswer): RuleVerdict {
  if (actor.userId !== handover.toUserId && actor.userId !== handover.fromUserId) return refuse("not_party");
  const party = answer === "withdraw" ? handover.fromUserId : handover.toUserId;
  return actor.userId === party ? allowed : refuse("wrong_party");
}

/** A note is changed by its author only, and not once the case is closed (closed cases are read-only). */
export function mayEditNote(actor: PolicyActor, facts: CaseFacts, note: { authorUserId: string }): RuleVerdict {
  if (actor.userId !== note.authorUserId) return refuse("wrong_party");
  return facts.status === "closed" ? refuse("case_closed") : allowed;
}

/** The units the actor leads (for disclosure reviews and access reviews). */
export function ledUnitIds(actor: PolicyActor): string[] {
  return [...new Set((actor.roles ?? []).filter((r) => r.role === "leader").map((r) => r.unitId))];
}

/** A disclosure's reviewer is a leader of the unit that disclosed. */
export function mayReviewDisclosure(actor: PolicyActor, disclosure: { discloserUnitId: string }): boolean {
  return ledUnitIds(actor).includes(disclosure.discloserUnitId);
}

/** A disclosure is revoked by the person who made it or a leader of the disclosing unit. */
export function mayRevokeDisclosure(actor: PolicyActor, disclosure: { discloserUserId: string; discloserUnitId: string }): boolean {
  return actor.userId === disclosure.discloserUserId || mayReviewDisclosure(actor, disclosure);
}

/** The municipality's audit chain is verified by its admins and leaders. */
export function mayVerifyAuditChain(actor: PolicyActor): boolean {
  return (actor.roles ?? []).some((r) => r.role === "admin" || r.role === "leader");
}

/**
 * Sharing on a legal basis: only through a unit that owns the case data (the basis on
 * which the actor sees the case is its own unit), and not on a closed case.
 */
export function mayDisclose(facts: CaseFacts, basis: Basis): RuleVerdict {
  if (basis.kind !== "own_unit") return refuse("wrong_party");
  return facts.status === "closed" ? refuse("case_closed") : allowed;
}

/** What the caller may do with a case they see: computed here once, rendered by the client. */
export type CaseAbilities = {
  /** Change subjects, participants, level and status, or close the case. */
  edit: boolean;
  manageConsent: boolean;
  /** Propose a new coordinator (none is pending). */
  handover: boolean;
  /** Accept or decline the pending handover (it names the caller). */
  answerHandover: boolean;
  /** Withdraw the pending handover (the caller proposed it). */
  withdrawHandover: boolean;
  readAccessLog: boolean;
  /** Write a note (in the unit through which they see the case). */
  addNote: boolean;
  readPlan: boolean;
  editPlan: boolean;
  /** Share on a legal basis: only a unit that owns the case data discloses it, on a case not closed. */
  disclose: boolean;
};

export type CaseAbilityContext = {
  pendingHandover?: HandoverParties | null;
  purpose?: Purpose;
  at?: Date;
};

/** The abilities of an actor who sees the case; all false for one who does not. */
export function caseAbilities(actor: PolicyActor, facts: CaseFacts, context: CaseAbilityContext = {}): CaseAbilities {
  const purpose = context.purpose ?? "coordination";
  const can = (category: Category, action: "read" | "write", dataOwnerUnitId?: string) =>
    decide(actor, { case: facts, category, dataOwnerUnitId }, action, purpose, context.at).allow;
  const identity = decide(actor, { case: facts, category: "identity" }, "read", purpose, context.at);
  if (!identity.allow) {
    return { edit: false, manageConsent: false, handover: false, answerHandover: false, withdrawHandover: false, readAccessLog: false, addNote: false, readPlan: false, editPlan: false, disclose: false };
  }
  const pending = context.pendingHandover ?? null;
  const coordinate = mayCoordinate(actor, facts).allow;
  return {
    edit: coordinate,
    manageConsent: mayManageConsent(actor, facts).allow,
    handover: mayProposeHandover(actor, facts).allow && pending === null,
    answerHandover: pending !== null && mayAnswerHandover(actor, pending, "accept").allow,
    withdrawHandover: pending !== null && mayAnswerHandover(actor, pending, "withdraw").allow,
    readAccessLog: mayReadAccessLog(actor, facts).allow,
    // A note is written as the unit's own data: decide() allows it unless the case is closed.
    addNote: can("identity", "write", identity.basis.unitId),
    readPlan: can("plan", "read"),
    editPlan: can("plan", "write"),
    disclose: mayDisclose(facts, identity.basis).allow,
  };
}
