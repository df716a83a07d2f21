import {
  categories,
  decide,
  mayCoordinate,
  mayReadAccessLog,
  qualifyingUnits,
  type Action,
  type Basis,
  type CaseFacts,
  type Category,
  type PolicyActor,
  type Purpose,
  type RuleDenyReason,
  type RuleVerdict,
} from "@laget/policy";
import type { Actor } from "../auth/actor.ts";
import { appendAudit, type AuditEvent } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { loadCaseFacts } from "./facts.ts";

/**
 * The one enforcement point for case data: every case procedure, list, search and count
 * asks here, and here every decision is audited. A case the actor may not see at all
 * is NOT_FOUND, exactly like a case that does not exist; a visible case whose data in
 * some category is not covered is FORBIDDEN with NO_BASIS, so the UI can say why.
 */

export function policyActor(actor: Actor): PolicyActor {
  return {
    userId: actor.id,
    municipalityId: actor.municipalityId,
    unitIds: [...new Set(actor.memberships.map((m) => m.unitId))],
    roles: actor.memberships.map((m) => ({ unitId: m.unitId, role: m.role })),
  };
}

export type AccessRequest = {
  category: Category;
  action: Action;
  purpose: Purpose;
  /** What is audited: e.g. "case.read", "note.create". */
  auditAction: string;
  resourceType: string;
  resourceId?: string;
  /** For a note: its author unit. Defaults to the case's owning unit. */
  dataOwnerUnitId?: string;
  /**
   * A role rule of the policy the step must also pass: `coordinate` (the coordinator, on a
   * case not closed) or `readAccessLog` (the coordinator). A refusal is NOT_COORDINATOR or
   * CASE_CLOSED, audited as refused, so the log never records an access that did not happen.
   */
  rule?: CaseRule;
  /**
   * False when the caller records the step itself once it has happened (e.g. a consent
   * change, in its transaction): then only a refusal is audited here, never a step that
   * might still fail.
   */
  recordAllowed?: boolean;
};

export type CaseAccess = { facts: CaseFacts; basis: Basis };

/** The role rules a step on a case can name (the policy's case-rules). */
const caseRules = { coordinate: mayCoordinate, readAccessLog: mayReadAccessLog } satisfies Record<string, (actor: PolicyActor, facts: CaseFacts) => RuleVerdict>;
export type CaseRule = keyof typeof caseRules;

function auditEvent(actor: Actor, caseId: string | null, req: AccessRequest, basis: Basis | null): AuditEvent {
  return {
    actorUserId: actor.id,
    actorUnitId: basis?.unitId ?? null,
    action: basis ? req.auditAction : `denied:${req.auditAction}`,
    resourceType: req.resourceType,
    resourceId: req.resourceId ?? caseId,
    caseId,
    basis,
    purpose: req.purpose,
  };
}

/**
 * Authorizes one access to one case and audits it (allowed or denied). The case must
 * first be visible (identity, for the same purpose); then the requested category.
 */
export async function authorizeCase(db: Db, actor: Actor, caseId: string, req: AccessRequest): Promise<CaseAccess> {
  const facts = (await loadCaseFacts(db, [caseId])).get(caseId);
  const subject = policyActor(actor);
  const visible = facts && decide(subject, { case: facts, category: "identity" }, "read", req.purpose);
  if (!facts || !visible || !visible.allow) {
    // Audited without naming the case, whether it exists or not: a refused lookup of a
    // hidden case and a guessed id leave the same trace (nothing a review could list).
    await appendAudit(db, actor.municipalityId, [{ ...auditEvent(actor, null, req, null), resourceId: null }]);
    throw new AppError("NOT_FOUND");
  }
  const decision =
    req.category === "identity" && req.action === "read" && !req.dataOwnerUnitId
      ? visible
      : decide(subject, { case: facts, category: req.category, dataOwnerUnitId: req.dataOwnerUnitId }, req.action, req.purpose);
  if (!decision.allow && decision.reason !== "case_closed") {
    await appendAudit(db, actor.municipalityId, [auditEvent(actor, caseId, req, null)]);
    throw new AppError("NO_BASIS", decision.reason);
  }
  // The role rule first, so one who may never do this hears so (NOT_COORDINATOR) even on a closed case.
  const verdict = req.rule ? caseRules[req.rule](subject, facts) : null;
  const refusal = verdict && !verdict.allow ? verdict.reason : decision.allow ? null : "case_closed";
  if (refusal || !decision.allow) {
    await appendAudit(db, actor.municipalityId, [auditEvent(actor, caseId, req, null)]);
    throw ruleRefusal(refusal ?? "case_closed");
  }
  if (req.recordAllowed !== false) await appendAudit(db, actor.municipalityId, [auditEvent(actor, caseId, req, decision.basis)]);
  return { facts, basis: decision.basis };
}

/** The one mapping of a role or state rule's refusal to the API's error codes. */
export function ruleRefusal(reason: RuleDenyReason): AppError {
  const code = { not_coordinator: "NOT_COORDINATOR", case_closed: "CASE_CLOSED", not_party: "NOT_FOUND", wrong_party: "FORBIDDEN" } as const;
  return new AppError(code[reason]);
}

/**
 * Reads a case as a whole (its identity, for coordination), audited as `auditAction`:
 * the first step of every read that then decides its own categories.
 */
export function readCase({ db, actor, caseId, auditAction, resourceType = "case" }: { db: Db; actor: Actor; caseId: string; auditAction: string; resourceType?: string }): Promise<CaseAccess> {
  return authorizeCase(db, actor, caseId, { category: "identity", action: "read", purpose: "coordination", auditAction, resourceType });
}

/** Records an access allowed earlier with `recordAllowed: false`, once the step has happened. */
export async function recordAccess({ db, actor, caseId, req, basis }: { db: Db; actor: Actor; caseId: string; req: AccessRequest; basis: Basis }): Promise<void> {
  await appendAudit(db, actor.municipalityId, [auditEvent(actor, caseId, req, basis)]);
}

/**
 * The basis on which the actor sees the case at all (identity, coordination), decided on
 * fresh facts and not audited: for a step whose own access is audited next (the unit a
 * note is written for, the basis a decline is recorded with). Null when not visible.
 */
export async function visibilityBasis(db: Db, actor: Actor, caseId: string): Promise<Basis | null> {
  const facts = (await loadCaseFacts(db, [caseId])).get(caseId);
  if (!facts) return null;
  const d = decide(policyActor(actor), { case: facts, category: "identity" }, "read", "coordination");
  return d.allow ? d.basis : null;
}

/**
 * Filters many cases down to those the actor may see, auditing each one seen (one
 * append for the lot). Cases not visible are dropped silently: lists and counts never
 * reveal them. With `limit`, only the first that many visible cases (in the order of
 * `caseIds`) are kept and audited.
 */
export async function listVisibleCasesAudited({
  db,
  actor,
  caseIds,
  purpose,
  auditAction,
  limit = Infinity,
}: {
  db: Db;
  actor: Actor;
  caseIds: readonly string[];
  purpose: Purpose;
  auditAction: string;
  limit?: number;
}): Promise<Map<string, CaseAccess>> {
  const facts = await loadCaseFacts(db, caseIds);
  const ordered = caseIds.flatMap((id) => facts.get(id) ?? []);
  return judgeVisibleCasesAudited({ db, actor, facts: ordered, purpose, auditAction, limit });
}

/**
 * listVisibleCasesAudited on facts already loaded (in the order to keep), for a list that
 * loads its candidates' facts with the candidates: every case judged by decide(), each one
 * seen audited, the limit applied to the visible ones.
 */
export async function judgeVisibleCasesAudited({
  db,
  actor,
  facts,
  purpose,
  auditAction,
  limit = Infinity,
}: {
  db: Db;
  actor: Actor;
  facts: Iterable<CaseFacts>;
  purpose: Purpose;
  auditAction: string;
  limit?: number;
}): Promise<Map<string, CaseAccess>> {
  const subject = policyActor(actor);
  const visible = new Map<string, CaseAccess>();
  const events: AuditEvent[] = [];
  for (const f of facts) {
    const caseId = f.caseId;
    if (visible.has(caseId)) continue;
    if (visible.size >= limit) break;
    const d = decide(subject, { case: f, category: "identity" }, "read", purpose);
    if (!d.allow) continue;
    visible.set(caseId, { facts: f, basis: d.basis });
    events.push(
      auditEvent(actor, caseId, { category: "identity", action: "read", purpose, auditAction, resourceType: "case" }, d.basis),
    );
  }
  await appendAudit(db, actor.municipalityId, events);
  return visible;
}

/**
 * The categories the actor may read of one unit's data in a visible case (by default the
 * case's own data: its owner's plan, identity and thread): what the UI explains, without
 * revealing what exists.
 */
export function readableCategories(actor: Actor, facts: CaseFacts, purpose: Purpose, dataOwnerUnitId?: string): Category[] {
  const subject = policyActor(actor);
  return categories.filter((category) => decide(subject, { case: facts, category, dataOwnerUnitId }, "read", purpose).allow);
}

/**
 * The categories the actor may read of what other units write in a visible case (their
 * notes): those decide() allows from at least one unit that could own data here (the
 * case's owner, a participant, a unit in a consent's circle, a discloser) other than the
 * units the actor takes part through, whose own notes they always read. For the
 * coordinator's unit this is every category a provision of the consent shares (the
 * consent circle); for a recipient unit its own provision and what is disclosed to it.
 * What the Notater tab states, without naming any unit.
 */
export function readableFromOtherUnits(actor: Actor, facts: CaseFacts, purpose: Purpose): Category[] {
  const subject = policyActor(actor);
  const own = new Set(qualifyingUnits(subject, facts));
  const owners = new Set([
    facts.owningUnitId,
    ...facts.participants.map((p) => p.unitId),
    ...facts.consents.flatMap((c) => [c.managingUnitId, ...c.provisions.map((p) => p.unitId)]),
    ...facts.disclosures.map((d) => d.disclosingUnitId),
  ]);
  const others = [...owners].filter((u) => !own.has(u));
  return categories.filter((category) =>
    others.some((dataOwnerUnitId) => decide(subject, { case: facts, category, dataOwnerUnitId }, "read", purpose).allow),
  );
}

/**
 * The decision on one more category of a case already loaded (e.g. per note in a list),
 * without I/O and without auditing: the caller audits what it shows.
 */
export function decisionFor(actor: Actor, facts: CaseFacts, category: Category, action: Action, purpose: Purpose, dataOwnerUnitId?: string) {
  return decide(policyActor(actor), { case: facts, category, dataOwnerUnitId }, action, purpose);
}
