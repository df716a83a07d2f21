import type { CaseStatus, CreateCaseInput, ListCasesInput, SubjectRole } from "@laget/domain";
import { caseAbilities, caseWorkRoles } from "@laget/policy";
import { sql } from "kysely";
import type { Actor, AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { judgeVisibleCasesAudited, policyActor, readCase, readableCategories, readableFromOtherUnits } from "./access.ts";
import { loadCaseFactsOf } from "./facts.ts";
import { knownPeople, participantsFor } from "./participants.ts";

/** At most this many cases in a list (the newest visible ones), judged this many candidates at a time. */
export const LIST_LIMIT = 500;
const LIST_PAGE = 500;

export type CaseSubject = { id: string; role: SubjectRole; name: string; birthDate: string | null; birthYear: number | null };

export type CaseSummary = {
  id: string;
  subjects: CaseSubject[];
  owningUnitName: string;
  coordinatorName: string;
  isCoordinator: boolean;
  btiLevel: number;
  status: CaseStatus;
  updatedAt: Date;
};

/** The units in which the actor works on cases (the policy's case-work roles, never a volunteer unit). */
function caseWorkingUnits(actor: Actor): string[] {
  return actor.memberships.filter((m) => caseWorkRoles.includes(m.role) && m.unitKind !== "volunteer").map((m) => m.unitId);
}

export async function createCase({ db, actor, ...input }: AsActor & CreateCaseInput): Promise<{ caseId: string }> {
  if (!caseWorkingUnits(actor).includes(input.owningUnitId)) throw new AppError("FORBIDDEN");
  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto("cases")
      .values({
        municipality_id: actor.municipalityId,
        owning_unit_id: input.owningUnitId,
        coordinator_user_id: actor.id,
        bti_level: input.btiLevel,
        created_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("case_subjects")
      .values(
        input.subjects.map((s) => ({
          case_id: created.id,
          role: s.role,
          name: s.name,
          birth_date: s.birthDate ?? null,
          birth_year: s.birthYear ?? null,
        })),
      )
      .execute();
    // The owning unit takes part through the creator only: the coordinator widens it when needed.
    await trx
      .insertInto("case_participants")
      .values({ case_id: created.id, unit_id: input.owningUnitId, user_id: actor.id, added_by: actor.id })
      .execute();
    await appendAudit(trx, actor.municipalityId, [
      {
        actorUserId: actor.id,
        actorUnitId: input.owningUnitId,
        action: "case.create",
        resourceType: "case",
        resourceId: created.id,
        caseId: created.id,
        basis: { kind: "own_unit", unitId: input.owningUnitId },
        purpose: "coordination",
      },
    ]);
    return { caseId: created.id };
  });
}

export async function loadSubjects(db: Db, caseIds: readonly string[]): Promise<Map<string, CaseSubject[]>> {
  const bySubject = new Map<string, CaseSubject[]>();
  if (caseIds.length === 0) return bySubject;
  const rows = await db
    .selectFrom("case_subjects")
    .select(["id", "case_id", "role", "name", "birth_date", "birth_year"])
    .where("case_id", "in", caseIds)
    .orderBy("created_at")
    .execute();
  for (const r of rows) {
    const list = bySubject.get(r.case_id) ?? [];
    list.push({ id: r.id, role: r.role as SubjectRole, name: r.name, birthDate: r.birth_date, birthYear: r.birth_year });
    bySubject.set(r.case_id, list);
  }
  return bySubject;
}

/** A case's own fields with its owning unit's and coordinator's names: what the case page shows (a list takes them with its facts, listColumns). */
function caseHeaders(db: Db) {
  return db
    .selectFrom("cases")
    .innerJoin("units", "units.id", "cases.owning_unit_id")
    .innerJoin("users", "users.id", "cases.coordinator_user_id")
    .select([
      "cases.id",
      "cases.owning_unit_id",
      "cases.bti_level",
      "cases.status",
      "cases.closed_reason",
      "cases.created_at",
      "cases.updated_at",
      "cases.coordinator_user_id",
      "units.name as unit_name",
      "users.display_name as coordinator_name",
    ]);
}

/**
 * The actor's cases: candidates are found through participation (never by scanning the
 * municipality), then every one is judged by decide(); the search only ever looks
 * inside what the actor may see.
 */
export async function listCases({ db, actor, ...filters }: AsActor & ListCasesInput): Promise<CaseSummary[]> {
  const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
  // Candidates through the two indexed paths in: being the coordinator, or a unit taking
  // part. Written as SQL, not built with the query builder: building it cost more than
  // the rest of the request's own work, on every visit to the start page.
  const conditions = [sql`cases.municipality_id = ${actor.municipalityId}`];
  if (filters.status) conditions.push(sql`cases.status = ${filters.status}`);
  if (filters.btiLevel !== undefined) conditions.push(sql`cases.bti_level = ${filters.btiLevel}`);
  if (filters.mine) conditions.push(sql`cases.coordinator_user_id = ${actor.id}`);
  if (filters.search) {
    const pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`exists (select 1 from case_subjects s where s.case_id = cases.id and s.name ilike ${pattern})`);
  }
  // A page of candidate ids alone: planned for its parameters every time (the right plan
  // depends on how many cases the actor's units take part in), which is cheap for this
  // statement and was not for the facts beside it (loadCaseFactsOf).
  const candidatesPage = async (after: string | null): Promise<string[]> => {
    const { rows } = await sql<{ id: string }>`
    with candidates as (
      select p.case_id from case_participants p
      where p.unit_id = any(${unitIds.length ? unitIds : [actor.id]}::uuid[]) and p.removed_at is null and (p.user_id is null or p.user_id = ${actor.id})
      union
      select c.id as case_id from cases c where c.coordinator_user_id = ${actor.id})
    select cases.id from cases join candidates on candidates.case_id = cases.id
    where ${sql.join(after === null ? conditions : [...conditions, sql`(cases.updated_at, cases.id) < (select c2.updated_at, c2.id from cases c2 where c2.id = ${after})`], sql` and `)}
    order by cases.updated_at desc, cases.id desc
    limit ${LIST_PAGE}`.execute(db);
    return rows.map((r) => r.id);
  };
  // The newest LIST_LIMIT *visible* cases: candidates are judged page by page (newest
  // first, keyset on updated_at and id) until enough are visible, so cases the actor
  // cannot see never push visible ones out of the list. Each page's candidates come with
  // their facts and what the list shows of them, used only for those decide() lets the
  // actor see (the others' rows are dropped unread).
  const summaries: CaseSummary[] = [];
  let lastId: string | null = null;
  for (;;) {
    const caseIds = await candidatesPage(lastId);
    const { facts, extras } = await loadCaseFactsOf<ListRow>(db, { caseIds, orderBy: sql`c.updated_at desc, c.id desc`, extraColumns: listColumns });
    const visible = await judgeVisibleCasesAudited({ db, actor, facts: facts.values(), purpose: "coordination", auditAction: "case.list", limit: LIST_LIMIT - summaries.length });
    for (const [id, row] of extras) if (visible.has(id)) summaries.push(summaryOf(row, actor));
    if (summaries.length >= LIST_LIMIT || caseIds.length < LIST_PAGE) break;
    lastId = caseIds.at(-1)!;
  }
  return summaries;
}

/** What a list shows of a case `c` (beside its facts): the names caseHeaders gives the case page, and its subjects. */
type ListRow = {
  id: string;
  coordinator_user_id: string;
  status: string;
  bti_level: number;
  updated_at: Date;
  unit_name: string;
  coordinator_name: string;
  subjects: { id: string; role: string; name: string; birth_date: string | null; birth_year: number | null }[];
};
const listColumns = sql`c.bti_level, c.updated_at,
  (select un.name from units un where un.id = c.owning_unit_id) as unit_name,
  (select us.display_name from users us where us.id = c.coordinator_user_id) as coordinator_name,
  coalesce((
    select json_agg(json_build_object('id', s.id, 'role', s.role, 'name', s.name, 'birth_date', s.birth_date, 'birth_year', s.birth_year) order by s.created_at)
    from case_subjects s where s.case_id = c.id), '[]') as subjects`;

function summaryOf(r: ListRow, actor: Actor): CaseSummary {
  return {
    id: r.id,
    subjects: r.subjects.map((x): CaseSubject => ({ id: x.id, role: x.role as SubjectRole, name: x.name, birthDate: x.birth_date, birthYear: x.birth_year })),
    owningUnitName: r.unit_name,
    coordinatorName: r.coordinator_name,
    isCoordinator: r.coordinator_user_id === actor.id,
    btiLevel: r.bti_level,
    status: r.status as CaseStatus,
    updatedAt: r.updated_at,
  };
}

export async function getCase({ db, actor, caseId }: AsActor & { caseId: string }) {
  const access = await readCase({ db, actor, caseId, auditAction: "case.read" });
  const [row, subjects, participants, handover] = await Promise.all([
    caseHeaders(db).where("cases.id", "=", caseId).executeTakeFirstOrThrow(),
    loadSubjects(db, [caseId]),
    db
      .selectFrom("case_participants as p")
      .innerJoin("units", "units.id", "p.unit_id")
      .leftJoin("users", "users.id", "p.user_id")
      .select(["p.id", "p.unit_id", "units.name as unit_name", "units.kind as unit_kind", "p.user_id", "users.display_name", "p.added_at"])
      .where("p.case_id", "=", caseId)
      .where("p.removed_at", "is", null)
      .orderBy("units.name")
      .execute(),
    db
      .selectFrom("case_handovers as h")
      .innerJoin("users as to", "to.id", "h.to_user_id")
      .select(["h.id", "h.from_user_id", "h.to_user_id", "to.display_name as to_name", "h.note", "h.proposed_at"])
      .where("h.case_id", "=", caseId)
      .where("h.status", "=", "proposed")
      .executeTakeFirst(),
  ]);
  return {
    id: row.id,
    owningUnitId: row.owning_unit_id,
    owningUnitName: row.unit_name,
    coordinatorUserId: row.coordinator_user_id,
    coordinatorName: row.coordinator_name,
    isCoordinator: row.coordinator_user_id === actor.id,
    btiLevel: row.bti_level,
    status: row.status as CaseStatus,
    closedReason: row.closed_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    subjects: subjects.get(caseId) ?? [],
    participants: await participantsFor(db, actor, access.facts, participants),
    // Named only to those who may know the proposed coordinator takes part (not a barnevern caseworker to the others).
    pendingHandover:
      handover && (await knownPeople(db, actor, access.facts, [handover.to_user_id])).has(handover.to_user_id)
      ? {
          id: handover.id,
          toUserId: handover.to_user_id,
          toName: handover.to_name,
          note: handover.note,
          proposedAt: handover.proposed_at,
          forMe: handover.to_user_id === actor.id,
        }
      : null,
    basis: access.basis,
    /** What the caller may do with the case: the client renders from this, never re-derives it. */
    abilities: caseAbilities(policyActor(actor), access.facts, {
      pendingHandover: handover ? { fromUserId: handover.from_user_id, toUserId: handover.to_user_id } : null,
    }),
    /** The case's own data (its owning unit's). */
    readableCategories: readableCategories(actor, access.facts, "coordination"),
    /** What the other services contribute that the actor may read (the consent circle). */
    readableFromOthers: readableFromOtherUnits(actor, access.facts, "coordination"),
  };
}
