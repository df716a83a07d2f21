import { caseIdOfDocument, defaultDomains, initPlan, PLAN_DOCUMENT_PREFIX, readPlan, type Domain } from "@laget/plan";
import type { CaseFacts } from "@laget/policy";
import type { Actor } from "../auth/actor.ts";
import { authorizeCase, decisionFor, type AccessRequest } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import { DocumentRefusal, type Authorisation, type DocumentKind } from "../collab/kinds.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { writeProjection, type Projection } from "./projection.ts";

/**
 * The plan as a kind of live document: `plan:<case id in lower case>` (planDocumentName),
 * read and written through decide() for the case, category `plan`, purpose coordination;
 * written only while the case is open. Its measure projection (plan_measures) is written
 * with every snapshot; reminders, "Mine tiltak" and reports read that, never Yjs.
 */

export const PLAN_PREFIX = PLAN_DOCUMENT_PREFIX.slice(0, -1);

const planConnect: AccessRequest = { category: "plan", action: "read", purpose: "coordination", auditAction: "plan.connect", resourceType: "plan" };

/** Whether the actor may edit the case's plan now (a closed case is read-only: the policy knows its status). */
export function mayWritePlan(actor: Actor, facts: CaseFacts): boolean {
  return decisionFor(actor, facts, "plan", "write", "coordination").allow;
}

export async function planDomainsFor(db: Db, municipalityId: string): Promise<Domain[]> {
  const row = await db.selectFrom("plan_settings").select("domains").where("municipality_id", "=", municipalityId).executeTakeFirst();
  return Array.isArray(row?.domains) ? (row.domains as Domain[]) : [...defaultDomains];
}

/**
 * The one judge of a plan connection, at connection (audited as `plan.connect`, through
 * authorizeCase) and whenever it is judged again (the same decisions, unaudited: a
 * re-judging is no attempt of the user's and must not show as one in the access log).
 */
export async function authorisePlan({ db, actor, id: caseId, audit }: { db: Db; actor: Actor; id: string; audit: boolean }): Promise<Authorisation> {
  let access;
  if (audit) {
    try {
      access = await authorizeCase(db, actor, caseId, planConnect);
    } catch (err) {
      if (err instanceof AppError) throw new DocumentRefusal(err.code === "NOT_FOUND" ? "not-found" : "no-basis");
      throw err;
    }
  } else {
    const facts = (await loadCaseFacts(db, [caseId])).get(caseId);
    if (!facts || !decisionFor(actor, facts, "identity", "read", "coordination").allow) throw new DocumentRefusal("not-found");
    const read = decisionFor(actor, facts, "plan", "read", "coordination");
    if (!read.allow) throw new DocumentRefusal("no-basis");
    access = { facts, basis: read.basis };
  }
  const canWrite = mayWritePlan(actor, access.facts);
  return { readOnly: !canWrite, basis: access.basis, municipalityId: access.facts.municipalityId, caseId, lapses: access.facts };
}

export const planKind: DocumentKind = {
  prefix: PLAN_PREFIX,
  parse: (tail) => caseIdOfDocument(`${PLAN_DOCUMENT_PREFIX}${tail}`),
  authorise: authorisePlan,
  async municipalityOf({ db, id }) {
    const row = await db.selectFrom("cases").select("municipality_id").where("id", "=", id).executeTakeFirst();
    return row?.municipality_id ?? null;
  },
  async initialise({ db, municipalityId, doc }) {
    initPlan(doc, await planDomainsFor(db, municipalityId));
  },
  project: ({ trx, id, municipalityId, doc, previous, now }) =>
    writeProjection({ trx, caseId: id, municipalityId, plan: readPlan(doc), previous: previous as Projection | undefined, now }),
  auditTarget: (caseId) => ({ resourceType: "plan", resourceId: caseId, caseId, purpose: "coordination" }),
  auditActions: { update: "plan.update", transact: "plan.transact" },
};
