import type { AsActor } from "../auth/actor.ts";
import type { CreateCaseInput } from "@laget/domain";
import { AppError } from "../errors.ts";
import { accessChanged } from "../events/bus.ts";
import { notifyNow } from "../notifications/notifications.ts";
import { authorizeCase, type CaseAccess } from "./access.ts";
import type { AsActorWithBus } from "./call.ts";
import type { Db } from "../db/connect.ts";
import { loadCaseFacts } from "./facts.ts";
import { caseLapse } from "./lapse.ts";
import { accessOf, anyoneIn, unitsOfUsers, type ParticipantAccess } from "./participants.ts";
import { cancelReferralsWithoutBasis } from "../referrals/basis.ts";

/**
 * The coordinator's changes to a case: its level and status, closing it, its subjects and
 * participants. Who may make them is the policy's rule (mayCoordinate: the coordinator,
 * on a case not closed), asked through authorizeCase.
 */

/** Coordinator-only changes: the case must be visible to them first, and not closed (the policy's `coordinate` rule). */
export async function authorizeCoordinator(
  { db, actor, caseId }: AsActor & { caseId: string },
  auditAction: string,
  options: { recordAllowed?: boolean } = {},
): Promise<CaseAccess> {
  return authorizeCase(db, actor, caseId, {
    category: "identity",
    action: "write",
    purpose: "coordination",
    auditAction,
    resourceType: "case",
    rule: "coordinate",
    ...options,
  });
}

const touch = (db: Db, caseId: string) => db.updateTable("cases").set({ updated_at: new Date() }).where("id", "=", caseId).execute();

export async function updateCase({ db, actor, ...input }: AsActor & { caseId: string; btiLevel?: number; status?: "open" | "paused" }) {
  await authorizeCoordinator({ db, actor, caseId: input.caseId }, "case.update");
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

export async function closeCase({ db, bus, actor, caseId, reason }: AsActorWithBus & { caseId: string; reason: string }) {
  await authorizeCoordinator({ db, actor, caseId }, "case.close");
  const lapse = await caseLapse(db, [caseId]);
  await db.updateTable("cases").set({ status: "closed", closed_reason: reason, updated_at: new Date() }).where("id", "=", caseId).execute();
  await lapse.publish(bus, accessChanged(caseId, actor.municipalityId, "case_closed"));
  // A closed case refers no one any more: Laget cancels its open referrals before this returns.
  await cancelReferralsWithoutBasis({ db, bus, caseId, reason: "case_closed" });
}

export async function addSubject({ db, actor, caseId, subject }: AsActor & { caseId: string; subject: CreateCaseInput["subjects"][number] }) {
  await authorizeCoordinator({ db, actor, caseId }, "case.subject.add");
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
export async function addParticipant({ db, bus, actor, ...input }: AsActorWithBus & { caseId: string; unitId: string; userId?: string | null }) {
  await authorizeCoordinator({ db, actor, caseId: input.caseId }, "case.participant.add");
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
  const added = await ensureParticipant({ db, caseId: input.caseId, unitId: input.unitId, userId: input.userId ?? null, addedBy: actor.id, narrowUnit: true });
  await touch(db, input.caseId);
  // Taking part is not yet seeing: the coordinator is told at once what the new participant can see.
  const facts = (await loadCaseFacts(db, [input.caseId])).get(input.caseId)!;
  const subject = input.userId
    ? { userId: input.userId, municipalityId: facts.municipalityId, unitIds: (await unitsOfUsers(db, facts.municipalityId, [input.userId])).get(input.userId) ?? [] }
    : anyoneIn(facts, input.unitId);
  const access: ParticipantAccess = accessOf(subject, facts);
  // Invited once, and only if the invitation can be followed: no notification about a case the user cannot open.
  if (added && input.userId && access.canSee) await notifyNow({ db, bus, userIds: [input.userId], kind: "case_invited", caseId: input.caseId });
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
export async function ensureParticipant({
  db,
  caseId,
  unitId,
  userId,
  addedBy,
  narrowUnit = false,
}: {
  db: Db;
  caseId: string;
  unitId: string;
  userId: string | null;
  addedBy: string;
  narrowUnit?: boolean;
}): Promise<boolean> {
  if ((await volunteerUnitsAmong(db, [unitId])).size > 0) throw new AppError("VOLUNTEER_NOT_PARTICIPANT");
  if (userId && !narrowUnit) {
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

export async function removeParticipant({ db, bus, actor, caseId, participantId }: AsActorWithBus & { caseId: string; participantId: string }) {
  await authorizeCoordinator({ db, actor, caseId }, "case.participant.remove");
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
