import type { CaseStatus, CreateCaseInput, ListCasesInput, SubjectRole } from "@laget/domain";
import { sql } from "kysely";
import type { Actor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { accessChanged, type EventBus } from "../events/bus.ts";
import { notifyNow } from "../notifications/notifications.ts";
import { authorizeCase, readableCategories, readableFromOtherUnits, visibleCases, type CaseAccess } from "./access.ts";
import { loadCaseFacts } from "./facts.ts";
import { caseLapse } from "./lapse.ts";
import { accessOf, anyoneIn, knownPeople, participantsFor, unitsOfUsers, type ParticipantAccess } from "./participants.ts";

/** At most this many cases in a list (the newest visible ones), judged this many candidates at a time. */
export const LIST_LIMIT = 500;
const LIST_PAGE = 500;

/** Roles that work on cases; volunteer contacts and SLT coordinators never see named cases. */
const CASE_ROLES = new Set(["coordinator", "caseworker", "leader"]);

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

function caseWorkingUnits(actor: Actor): string[] {
  return actor.memberships.filter((m) => CASE_ROLES.has(m.role) && m.unitKind !== "volunteer").map((m) => m.unitId);
}

export async function createCase(db: Db, actor: Actor, input: CreateCaseInput): Promise<{ caseId: string }> {
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

/** A case's own fields with its owning unit's and coordinator's names: what lists and the case page show. */
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
export async function listCases(db: Db, actor: Actor, filters: ListCasesInput): Promise<CaseSummary[]> {
  const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
  // Candidates through the two indexed paths in: being the coordinator, or a unit taking part.
  const throughUnits = db
    .selectFrom("case_participants as p")
    .select("p.case_id")
    .where("p.unit_id", "in", unitIds.length ? unitIds : [actor.id])
    .where("p.removed_at", "is", null)
    .where((w) => w.or([w("p.user_id", "is", null), w("p.user_id", "=", actor.id)]));
  const asCoordinator = db.selectFrom("cases as c").select("c.id as case_id").where("c.coordinator_user_id", "=", actor.id);
  let query = db
    .with("candidates", () => throughUnits.union(asCoordinator))
    .selectFrom("cases")
    .innerJoin("candidates", "candidates.case_id", "cases.id")
    .select("cases.id")
    .where("cases.municipality_id", "=", actor.municipalityId);
  if (filters.status) query = query.where("cases.status", "=", filters.status);
  if (filters.btiLevel !== undefined) query = query.where("cases.bti_level", "=", filters.btiLevel);
  if (filters.mine) query = query.where("cases.coordinator_user_id", "=", actor.id);
  if (filters.search) {
    const pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("case_subjects as s")
          .select(sql.lit(1).as("one"))
          .whereRef("s.case_id", "=", "cases.id")
          .where("s.name", "ilike", pattern),
      ),
    );
  }
  // The newest LIST_LIMIT *visible* cases: candidates are judged page by page (newest
  // first, keyset on updated_at and id) until enough are visible, so cases the actor
  // cannot see never push visible ones out of the list.
  const ids: string[] = [];
  let lastId: string | null = null;
  for (;;) {
    const pageIds: string[] = (
      await (lastId === null ? query : query.where(sql<boolean>`(cases.updated_at, cases.id) < (select c2.updated_at, c2.id from cases c2 where c2.id = ${lastId})`))
        .orderBy("cases.updated_at", "desc")
        .orderBy("cases.id", "desc")
        .limit(LIST_PAGE)
        .execute()
    ).map((c) => c.id);
    const visible = await visibleCases(db, actor, pageIds, "coordination", "case.list", LIST_LIMIT - ids.length);
    ids.push(...pageIds.filter((id) => visible.has(id)));
    if (ids.length >= LIST_LIMIT || pageIds.length < LIST_PAGE) break;
    lastId = pageIds[pageIds.length - 1]!;
  }
  if (ids.length === 0) return [];
  const [rows, subjects] = await Promise.all([
    caseHeaders(db).where("cases.id", "in", ids).orderBy("cases.updated_at", "desc").execute(),
    loadSubjects(db, ids),
  ]);
  return rows.map((r) => ({
    id: r.id,
    subjects: subjects.get(r.id) ?? [],
    owningUnitName: r.unit_name,
    coordinatorName: r.coordinator_name,
    isCoordinator: r.coordinator_user_id === actor.id,
    btiLevel: r.bti_level,
    status: r.status as CaseStatus,
    updatedAt: r.updated_at,
  }));
}

export async function getCase(db: Db, actor: Actor, caseId: string) {
  const access = await authorizeCase(db, actor, caseId, {
    category: "identity",
    action: "read",
    purpose: "coordination",
    auditAction: "case.read",
    resourceType: "case",
  });
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
    /** The case's own data (its owning unit's). */
    readableCategories: readableCategories(actor, access.facts, "coordination"),
    /** What the other services contribute that the actor may read (the consent circle). */
    readableFromOthers: readableFromOtherUnits(actor, access.facts, "coordination"),
  };
}

/** Coordinator-only changes: the case must be visible to them first, and open. */
export async function authorizeCoordinator(
  db: Db,
  actor: Actor,
  caseId: string,
  auditAction: string,
  options: { recordAllowed?: boolean } = {},
): Promise<CaseAccess> {
  const access = await authorizeCase(db, actor, caseId, {
    category: "identity",
    action: "write",
    purpose: "coordination",
    auditAction,
    resourceType: "case",
    coordinatorOnly: true,
    ...options,
  });
  const status = await db.selectFrom("cases").select("status").where("id", "=", caseId).executeTakeFirstOrThrow();
  if (status.status === "closed") throw new AppError("CASE_CLOSED");
  return access;
}

const touch = (db: Db, caseId: string) => db.updateTable("cases").set({ updated_at: new Date() }).where("id", "=", caseId).execute();

export async function updateCase(db: Db, actor: Actor, input: { caseId: string; btiLevel?: number; status?: "open" | "paused" }) {
  await authorizeCoordinator(db, actor, input.caseId, "case.update");
  await db
    .updateTable("cases")
    .set({
      ...(input.btiLevel !== undefined ? { bti_level: input.btiLevel } : {}),
      ...(input.status ? { status: input.status } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", input.caseId)
    .execute();
}

export async function closeCase(db: Db, bus: EventBus, actor: Actor, caseId: string, reason: string) {
  await authorizeCoordinator(db, actor, caseId, "case.close");
  const lapse = await caseLapse(db, [caseId]);
  await db.updateTable("cases").set({ status: "closed", closed_reason: reason, updated_at: new Date() }).where("id", "=", caseId).execute();
  await lapse.publish(bus, accessChanged(caseId, actor.municipalityId, "case_closed"));
}

export async function addSubject(db: Db, actor: Actor, caseId: string, subject: CreateCaseInput["subjects"][number]) {
  await authorizeCoordinator(db, actor, caseId, "case.subject.add");
  await db
    .insertInto("case_subjects")
    .values({ case_id: caseId, role: subject.role, name: subject.name, birth_date: subject.birthDate ?? null, birth_year: subject.birthYear ?? null })
    .execute();
  await touch(db, caseId);
}

/**
 * Adds a unit (everyone in it) or one named user of it to the case. Naming a person of a
 * unit that took part as a whole narrows the unit to its named people: the others lose
 * access at once.
 */
export async function addParticipant(db: Db, bus: EventBus, actor: Actor, input: { caseId: string; unitId: string; userId?: string | null }) {
  await authorizeCoordinator(db, actor, input.caseId, "case.participant.add");
  const unit = await db
    .selectFrom("units")
    .select(["id", "kind"])
    .where("id", "=", input.unitId)
    .where("municipality_id", "=", actor.municipalityId)
    .where("valid_to", "is", null)
    .executeTakeFirst();
  if (!unit) throw new AppError("NOT_FOUND");
  // Volunteer organisations get scoped referrals, never a case.
  if (unit.kind === "volunteer") throw new AppError("VOLUNTEER_NOT_PARTICIPANT");
  if (input.userId) {
    const member = await db
      .selectFrom("memberships")
      .select("id")
      .where("user_id", "=", input.userId)
      .where("unit_id", "=", input.unitId)
      .executeTakeFirst();
    if (!member) throw new AppError("NOT_FOUND");
  }
  // Naming a person narrows a unit that took part as a whole: the others in it may lose the case.
  const lapse = input.userId ? await caseLapse(db, [input.caseId]) : null;
  const added = await ensureParticipant(db, input.caseId, input.unitId, input.userId ?? null, actor.id, { narrowUnit: true });
  await touch(db, input.caseId);
  // Taking part is not yet seeing: the coordinator is told at once what the new participant can see.
  const facts = (await loadCaseFacts(db, [input.caseId])).get(input.caseId)!;
  const subject = input.userId
    ? { userId: input.userId, municipalityId: facts.municipalityId, unitIds: (await unitsOfUsers(db, facts.municipalityId, [input.userId])).get(input.userId) ?? [] }
    : anyoneIn(facts, input.unitId);
  const access: ParticipantAccess = accessOf(subject, facts);
  // Invited once, and only if the invitation can be followed: no notification about a case the user cannot open.
  if (added && input.userId && access.canSee) await notifyNow(db, bus, [input.userId], "case_invited", input.caseId);
  await lapse?.publish(bus, accessChanged(input.caseId, actor.municipalityId, "participant_narrowed", [input.unitId]));
  return { access };
}

/** Which of the units are volunteer units: they get referrals, never a case (DESIGN.md §4.3). */
export async function volunteerUnitsAmong(db: Db, unitIds: readonly string[]): Promise<Set<string>> {
  if (unitIds.length === 0) return new Set();
  const rows = await db.selectFrom("units").select("id").where("id", "in", [...unitIds]).where("kind", "=", "volunteer").execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Idempotent: adds the participant row unless an active one exists (the unique index
 * case_participants_one_active makes that hold for parallel calls too). Never a volunteer
 * unit. A named person in a unit that takes part as a whole is added only when the
 * coordinator means to narrow the unit to named people (`narrowUnit`): a handover or an
 * acceptance must not silently cut the rest of the unit off. Returns whether a row was added.
 */
export async function ensureParticipant(
  db: Db,
  caseId: string,
  unitId: string,
  userId: string | null,
  addedBy: string,
  options: { narrowUnit?: boolean } = {},
): Promise<boolean> {
  if ((await volunteerUnitsAmong(db, [unitId])).size > 0) throw new AppError("VOLUNTEER_NOT_PARTICIPANT");
  if (userId && !options.narrowUnit) {
    const whole = await db
      .selectFrom("case_participants")
      .select("id")
      .where("case_id", "=", caseId)
      .where("unit_id", "=", unitId)
      .where("user_id", "is", null)
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (whole) return false;
  }
  const added = await db
    .insertInto("case_participants")
    .values({ case_id: caseId, unit_id: unitId, user_id: userId, added_by: addedBy })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return added !== undefined;
}


export async function removeParticipant(db: Db, bus: EventBus, actor: Actor, caseId: string, participantId: string) {
  await authorizeCoordinator(db, actor, caseId, "case.participant.remove");
  const lapse = await caseLapse(db, [caseId]);
  const removed = await db
    .updateTable("case_participants")
    .set({ removed_at: new Date() })
    .where("id", "=", participantId)
    .where("case_id", "=", caseId)
    .where("removed_at", "is", null)
    .returning(["unit_id", "user_id"])
    .executeTakeFirst();
  if (!removed) throw new AppError("NOT_FOUND");
  await touch(db, caseId);
  await lapse.publish(bus, accessChanged(caseId, actor.municipalityId, "participant_removed", [removed.unit_id]));
}
