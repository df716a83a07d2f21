import { categories, decide, type Action, type Basis, type CaseFacts, type Category, type PolicyActor, type Purpose } from "@laget/policy";
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
};

export type CaseAccess = { facts: CaseFacts; basis: Basis };

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
    // Audited without naming the case when it is unknown, so a guess leaves no trace of existence.
    await appendAudit(db, actor.municipalityId, [auditEvent(actor, facts ? caseId : null, { ...req, resourceId: caseId }, null)]);
    throw new AppError("NOT_FOUND");
  }
  const decision =
    req.category === "identity" && req.action === "read" && !req.dataOwnerUnitId
      ? visible
      : decide(subject, { case: facts, category: req.category, dataOwnerUnitId: req.dataOwnerUnitId }, req.action, req.purpose);
  if (!decision.allow) {
    await appendAudit(db, actor.municipalityId, [auditEvent(actor, caseId, req, null)]);
    throw new AppError("NO_BASIS", decision.reason);
  }
  await appendAudit(db, actor.municipalityId, [auditEvent(actor, caseId, req, decision.basis)]);
  return { facts, basis: decision.basis };
}

/**
 * Filters many cases down to those the actor may see, auditing each one seen (one
 * append for the lot). Cases not visible are dropped silently: lists and counts never
 * reveal them. With `limit`, only the first that many visible cases (in the order of
 * `caseIds`) are kept and audited.
 */
export async function visibleCases(
  db: Db,
  actor: Actor,
  caseIds: readonly string[],
  purpose: Purpose,
  auditAction: string,
  limit = Infinity,
): Promise<Map<string, CaseAccess>> {
  const facts = await loadCaseFacts(db, caseIds);
  const subject = policyActor(actor);
  const visible = new Map<string, CaseAccess>();
  const events: AuditEvent[] = [];
  for (const caseId of caseIds) {
    const f = facts.get(caseId);
    if (!f || visible.has(caseId)) continue;
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

/** The categories the actor may read in a visible case: what the UI explains, without revealing what exists. */
export function readableCategories(actor: Actor, facts: CaseFacts, purpose: Purpose, dataOwnerUnitId?: string): Category[] {
  const subject = policyActor(actor);
  return categories.filter((category) => decide(subject, { case: facts, category, dataOwnerUnitId }, "read", purpose).allow);
}

/** Decides one more category for a case already loaded (e.g. per note in a list), without I/O. */
export function allows(actor: Actor, facts: CaseFacts, category: Category, action: Action, purpose: Purpose, dataOwnerUnitId?: string) {
  return decide(policyActor(actor), { case: facts, category, dataOwnerUnitId }, action, purpose);
}
