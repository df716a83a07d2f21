import type { Actor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { accessChanged, type EventBus } from "../events/bus.ts";
import { notify } from "../notifications/notifications.ts";
import { authorizeCase } from "./access.ts";
import { authorizeCoordinator, ensureParticipant } from "./cases.ts";
import { caseLapse } from "./lapse.ts";

/**
 * Handing over the baton (stafettholder): proposed by the coordinator, accepted,
 * declined or withdrawn. The current coordinator keeps the case until the new one
 * accepts; every step is a row in case_handovers and an audit event.
 */
export async function proposeHandover(db: Db, actor: Actor, input: { caseId: string; toUserId: string; note?: string }) {
  const access = await authorizeCoordinator(db, actor, input.caseId, "case.handover.propose");
  if (input.toUserId === actor.id) throw new AppError("INVALID_STATE");
  // The new coordinator must work in a unit that takes part in the case.
  const participantUnits = access.facts.participants.map((p) => p.unitId);
  const candidate = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("memberships.unit_id")
    .where("memberships.user_id", "=", input.toUserId)
    .where("users.municipality_id", "=", actor.municipalityId)
    .where("users.deactivated_at", "is", null)
    .where("memberships.role", "in", ["coordinator", "caseworker", "leader"])
    .where("memberships.unit_id", "in", participantUnits.length ? participantUnits : ["00000000-0000-0000-0000-000000000000"])
    .executeTakeFirst();
  if (!candidate) throw new AppError("NOT_FOUND");
  const open = await db.selectFrom("case_handovers").select("id").where("case_id", "=", input.caseId).where("status", "=", "proposed").executeTakeFirst();
  if (open) throw new AppError("INVALID_STATE");
  const handover = await db.transaction().execute(async (trx) => {
    // The proposed coordinator is named on the case, so they can open it and decide.
    await ensureParticipant(trx, input.caseId, candidate.unit_id, input.toUserId, actor.id);
    return trx
      .insertInto("case_handovers")
      .values({ case_id: input.caseId, from_user_id: actor.id, to_user_id: input.toUserId, note: input.note ?? null })
      .returning("id")
      .executeTakeFirstOrThrow();
  });
  await notify(db, [input.toUserId], "handover_proposed", input.caseId);
  return { handoverId: handover.id };
}

async function openHandover(db: Db, actor: Actor, handoverId: string) {
  const h = await db
    .selectFrom("case_handovers")
    .innerJoin("cases", "cases.id", "case_handovers.case_id")
    .select(["case_handovers.id", "case_handovers.case_id", "case_handovers.from_user_id", "case_handovers.to_user_id", "case_handovers.status"])
    .where("case_handovers.id", "=", handoverId)
    .where("cases.municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  // Only the two people involved know the handover exists.
  if (!h || (h.to_user_id !== actor.id && h.from_user_id !== actor.id)) throw new AppError("NOT_FOUND");
  if (h.status !== "proposed") throw new AppError("INVALID_STATE");
  return h;
}

async function decideHandover(db: Db, actor: Actor, handoverId: string, status: "declined" | "withdrawn") {
  const h = await openHandover(db, actor, handoverId);
  if ((status === "declined" && h.to_user_id !== actor.id) || (status === "withdrawn" && h.from_user_id !== actor.id)) {
    throw new AppError("FORBIDDEN");
  }
  await db.updateTable("case_handovers").set({ status, decided_at: new Date() }).where("id", "=", handoverId).execute();
  await appendAudit(db, actor.municipalityId, [
    {
      actorUserId: actor.id,
      actorUnitId: null,
      action: `case.handover.${status === "declined" ? "decline" : "withdraw"}`,
      resourceType: "handover",
      resourceId: handoverId,
      caseId: h.case_id,
      basis: null,
      purpose: "coordination",
    },
  ]);
  if (status === "declined") await notify(db, [h.from_user_id], "handover_answered", h.case_id);
}

export const declineHandover = (db: Db, actor: Actor, handoverId: string) => decideHandover(db, actor, handoverId, "declined");
export const withdrawHandover = (db: Db, actor: Actor, handoverId: string) => decideHandover(db, actor, handoverId, "withdrawn");

export async function acceptHandover(db: Db, bus: EventBus, actor: Actor, handoverId: string) {
  const h = await openHandover(db, actor, handoverId);
  if (h.to_user_id !== actor.id) throw new AppError("FORBIDDEN");
  const access = await authorizeCase(db, actor, h.case_id, {
    category: "identity",
    action: "read",
    purpose: "coordination",
    auditAction: "case.handover.accept",
    resourceType: "handover",
    resourceId: handoverId,
  });
  const lapse = await caseLapse(db, [h.case_id]);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("case_handovers").set({ status: "accepted", decided_at: new Date() }).where("id", "=", handoverId).execute();
    await trx.updateTable("cases").set({ coordinator_user_id: actor.id, updated_at: new Date() }).where("id", "=", h.case_id).execute();
    // The new coordinator takes part by name through the unit that gave them access.
    await ensureParticipant(trx, h.case_id, access.basis.unitId, actor.id, actor.id);
  });
  await notify(db, [h.from_user_id], "handover_answered", h.case_id);
  // The former coordinator may lose what only the baton gave them.
  await lapse.publish(bus, accessChanged(h.case_id, actor.municipalityId, "coordinator_changed"));
}

export async function handoverHistory(db: Db, actor: Actor, caseId: string) {
  await authorizeCase(db, actor, caseId, {
    category: "identity",
    action: "read",
    purpose: "coordination",
    auditAction: "case.handover.history",
    resourceType: "case",
  });
  const rows = await db
    .selectFrom("case_handovers as h")
    .innerJoin("users as f", "f.id", "h.from_user_id")
    .innerJoin("users as t", "t.id", "h.to_user_id")
    .select(["h.id", "h.status", "h.note", "h.proposed_at", "h.decided_at", "f.display_name as from_name", "t.display_name as to_name"])
    .where("h.case_id", "=", caseId)
    .orderBy("h.proposed_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    note: r.note,
    proposedAt: r.proposed_at,
    decidedAt: r.decided_at,
    fromName: r.from_name,
    toName: r.to_name,
  }));
}
