import type { MyMeasuresFilter, PlanDomainInput } from "@laget/domain";
import { defaultDomains, planDocumentName, replacePlanContent, type Domain, type MeasureStatus } from "@laget/plan";
import * as Y from "yjs";
import type { AsActor } from "../auth/actor.ts";
import { decisionFor, authorizeCase, listVisibleCasesAudited } from "../cases/access.ts";
import { loadSubjects } from "../cases/cases.ts";
import { knownPeople } from "../cases/participants.ts";
import { COLLAB_PATH } from "../collab/context.ts";
import type { LiveDocuments } from "../collab/live-documents.ts";
import { decodeState } from "../collab/store.ts";
import { AppError } from "../errors.ts";
import { addDays, osloToday } from "./dates.ts";
import { mayWritePlan, planDomainsFor } from "./kind.ts";

/** Business logic behind the plans router: plain async functions taking one options object, every one through authorizeCase. */

const planAccess = (auditAction: string, action: "read" | "write" = "read") =>
  ({ category: "plan", action, purpose: "coordination", auditAction, resourceType: "plan" }) as const;

/** What the client needs to open a case's plan: where, under which name, and whether it may write. */
export async function planConnection({ db, actor, caseId }: AsActor & { caseId: string }) {
  const access = await authorizeCase(db, actor, caseId, planAccess("plan.open"));
  const canWrite = mayWritePlan(actor, access.facts);
  return { caseId, documentName: planDocumentName(caseId), path: COLLAB_PATH, readOnly: !canWrite };
}

export async function listRevisions({ db, actor, caseId }: AsActor & { caseId: string }) {
  const { facts } = await authorizeCase(db, actor, caseId, planAccess("plan.revisions"));
  const rows = await db
    .selectFrom("document_revisions")
    .select(["id", "reason", "editor_user_ids", "restored_from", "created_by", "created_at"])
    .where("document_name", "=", planDocumentName(caseId))
    .orderBy("created_at", "desc")
    .limit(200)
    .execute();
  const userIds = [...new Set(rows.flatMap((r) => [...(r.editor_user_ids as string[]), ...(r.created_by ? [r.created_by] : [])]))];
  const users = userIds.length
    ? await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", userIds).where("municipality_id", "=", actor.municipalityId).execute()
    : [];
  const names = new Map(users.map((u) => [u.id, u.display_name]));
  // An editor whose taking part the reader may not know (a barnevern caseworker, say) is not named.
  const known = await knownPeople(db, actor, facts, userIds);
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason as "periodic" | "last_editor_left" | "restore",
    editors: (r.editor_user_ids as string[]).filter((id) => known.has(id)).map((id) => ({ id, name: names.get(id) ?? null })),
    restoredFrom: r.restored_from,
    createdAt: r.created_at,
  }));
}

/** Restores an old revision as a new change (history is kept: the restore is itself a revision). */
export async function restoreRevision({ db, liveDocuments, actor, caseId, revisionId }: AsActor & { liveDocuments: LiveDocuments; caseId: string; revisionId: string }) {
  // A closed case refuses the write with CASE_CLOSED (the policy knows the case's status).
  await authorizeCase(db, actor, caseId, planAccess("plan.restore", "write"));
  const documentName = planDocumentName(caseId);
  const revision = await db
    .selectFrom("document_revisions")
    .select(["state"])
    .where("id", "=", revisionId)
    .where("document_name", "=", documentName)
    .executeTakeFirst();
  if (!revision) throw new AppError("NOT_FOUND");
  const old = new Y.Doc();
  Y.applyUpdate(old, decodeState(revision.state));
  // An ordinary change on whichever nodes hold the plan; audited above as plan.restore.
  await liveDocuments.transact({ documentName, actor, change: (doc) => replacePlanContent(doc, old), auditAction: null, restoredFrom: revisionId, storeNow: true });
}

export const DUE_WITHIN_DAYS = 14;
/** At most this many measures in "Mine tiltak". */
export const MY_MEASURES_LIMIT = 500;

/**
 * "Mine tiltak": the measures the actor is responsible for, across cases, from the
 * projection; only in cases where decide() still lets them read the plan.
 * due: deadline within 14 days; overdue: deadline passed. Both only while active.
 */
export async function myMeasures({ db, actor, filter, now = new Date() }: AsActor & { filter: MyMeasuresFilter; now?: Date }) {
  const today = osloToday(now);
  let query = db
    .selectFrom("plan_measures")
    .select(["case_id", "measure_id", "title", "status", "domain_id", "responsible_unit_id", "start_date", "deadline", "evaluation_date", "updated_at"])
    .where("responsible_user_id", "=", actor.id)
    .where("municipality_id", "=", actor.municipalityId);
  if (filter !== "all") query = query.where("status", "in", ["planned", "in_progress"]);
  if (filter === "due") query = query.where("deadline", ">=", today).where("deadline", "<=", addDays(today, DUE_WITHIN_DAYS));
  if (filter === "overdue") query = query.where("deadline", "<", today);
  // The first MY_MEASURES_LIMIT *readable* measures: rows are judged page by page, so
  // measures in cases the actor can no longer see never push readable ones out.
  const ordered = query.orderBy("deadline", "asc").orderBy("case_id").orderBy("measure_id");
  const planReadable = new Map<string, boolean>();
  const readable: Awaited<ReturnType<typeof ordered.execute>> = [];
  for (let offset = 0; readable.length < MY_MEASURES_LIMIT; offset += MY_MEASURES_LIMIT) {
    const rows = await ordered.limit(MY_MEASURES_LIMIT).offset(offset).execute();
    const unjudged = [...new Set(rows.map((r) => r.case_id))].filter((id) => !planReadable.has(id));
    const visible = await listVisibleCasesAudited({ db, actor, caseIds: unjudged, purpose: "coordination", auditAction: "plan.my_measures" });
    for (const id of unjudged) {
      const access = visible.get(id);
      planReadable.set(id, access !== undefined && decisionFor(actor, access.facts, "plan", "read", "coordination").allow);
    }
    readable.push(...rows.filter((r) => planReadable.get(r.case_id)).slice(0, MY_MEASURES_LIMIT - readable.length));
    if (rows.length < MY_MEASURES_LIMIT) break;
  }
  // Whose plan it is: the subjects' names, readable since the case's identity is (and was audited) above.
  const subjects = await loadSubjects(db, [...new Set(readable.map((r) => r.case_id))]);
  return readable.map((r) => ({
      caseId: r.case_id,
      caseLabel: (subjects.get(r.case_id) ?? []).map((s) => s.name).join(", "),
      measureId: r.measure_id,
      title: r.title,
      status: r.status as MeasureStatus,
      domainId: r.domain_id,
      responsibleUnitId: r.responsible_unit_id,
      start: r.start_date,
      deadline: r.deadline,
      evaluationDate: r.evaluation_date,
      overdue: r.deadline !== null && r.deadline < today && (r.status === "planned" || r.status === "in_progress"),
      updatedAt: r.updated_at,
    }));
}

export async function getDomains({ db, actor }: AsActor): Promise<{ domains: Domain[]; isDefault: boolean }> {
  const domains = await planDomainsFor(db, actor.municipalityId);
  const row = await db.selectFrom("plan_settings").select("municipality_id").where("municipality_id", "=", actor.municipalityId).executeTakeFirst();
  return { domains, isDefault: !row };
}

/** An admin sets the municipality's domains for plans created from now on (existing plans keep theirs). */
export async function setDomains({ db, actor, domains }: AsActor & { domains: PlanDomainInput[] | null }) {
  if (domains === null) {
    await db.deleteFrom("plan_settings").where("municipality_id", "=", actor.municipalityId).execute();
    return { domains: [...defaultDomains] };
  }
  const value = JSON.stringify(domains.map((d, i) => ({ id: d.id, name: d.name, order: i })));
  await db
    .insertInto("plan_settings")
    .values({ municipality_id: actor.municipalityId, domains: value, updated_by: actor.id })
    .onConflict((oc) => oc.column("municipality_id").doUpdateSet({ domains: value, updated_by: actor.id, updated_at: new Date() }))
    .execute();
  return { domains: await planDomainsFor(db, actor.municipalityId) };
}
