import { caseWorkRoles, mayAnswerHandover, type HandoverAnswer } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { AppError } from "../errors.ts";
import { accessChanged } from "../events/bus.ts";
import { notify } from "../notifications/notifications.ts";
import { authorizeCase, policyActor, readCase, ruleRefusal, visibilityBasis } from "./access.ts";
import type { AsActorWithBus, AsActorWithRealtime } from "./call.ts";
import { authorizeCoordinator, ensureParticipant } from "./case-changes.ts";
import { caseLapse } from "./lapse.ts";
import { knownPeople } from "./participants.ts";

/**
 * Handing over the baton (stafettholder): proposed by the coordinator, accepted,
 * declined or withdrawn. The current coordinator keeps the case until the new one
 * accepts; every step is a row in case_handovers and an audit event. The other person's
 * bell hears of each step at once (`realtime`).
 */
export async function proposeHandover({ db, realtime, actor, ...input }: AsActorWithRealtime & { caseId: string; toUserId: string; note?: string }) {
  const access = await authorizeCoordinator({ db, actor, caseId: input.caseId }, "case.handover.propose");
  if (input.toUserId === actor.id) throw new AppError("INVALID_STATE");
  // The new coordinator must work in a unit that takes part in the case, never through a
  // volunteer unit: volunteer organisations get referrals, never a case.
  const participantUnits = new Set(access.facts.participants.map((p) => p.unitId));
  const memberships = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .innerJoin("units", "units.id", "memberships.unit_id")
    .select(["memberships.unit_id", "memberships.role", "units.kind"])
    .where("memberships.user_id", "=", input.toUserId)
    .where("users.municipality_id", "=", actor.municipalityId)
    .where("users.deactivated_at", "is", null)
    .where("units.valid_to", "is", null)
    .orderBy("memberships.unit_id")
    .execute();
  if (memberships.length === 0) throw new AppError("NOT_FOUND");
  const caseWork = memberships.filter((m) => caseWorkRoles.includes(m.role) && m.kind !== "volunteer");
  if (caseWork.length === 0 && memberships.every((m) => m.role === "volunteer_contact" || m.kind === "volunteer")) {
    throw new AppError("VOLUNTEER_NOT_PARTICIPANT");
  }
  const candidate = caseWork.find((m) => participantUnits.has(m.unit_id));
  if (!candidate) throw new AppError("NOT_FOUND");
  const open = await db.selectFrom("case_handovers").select("id").where("case_id", "=", input.caseId).where("status", "=", "proposed").executeTakeFirst();
  if (open) throw new AppError("INVALID_STATE");
  const handover = await db
    .transaction()
    .execute(async (trx) => {
      // The proposed coordinator is named on the case, so they can open it and decide.
      await ensureParticipant({ db: trx, caseId: input.caseId, unitId: candidate.unit_id, userId: input.toUserId, addedBy: actor.id });
      return trx
        .insertInto("case_handovers")
        .values({ case_id: input.caseId, from_user_id: actor.id, to_user_id: input.toUserId, note: input.note ?? null })
        .returning("id")
        .executeTakeFirstOrThrow();
    })
    .catch((err: unknown) => {
      // A parallel proposal got there first: one open handover per case (case_handovers_one_open).
      if (isUniqueViolation(err, "case_handovers_one_open")) throw new AppError("INVALID_STATE");
      throw err;
    });
  realtime.deliver(await notify({ db, userIds: [input.toUserId], kind: "handover_proposed", caseId: input.caseId }));
  return { handoverId: handover.id };
}

/** The proposed handover the actor answers, if the policy lets them give that answer (mayAnswerHandover). */
async function openHandover({ db, actor, handoverId, answer }: AsActor & { handoverId: string; answer: HandoverAnswer }) {
  const h = await db
    .selectFrom("case_handovers")
    .innerJoin("cases", "cases.id", "case_handovers.case_id")
    .select(["case_handovers.id", "case_handovers.case_id", "case_handovers.from_user_id", "case_handovers.to_user_id", "case_handovers.status"])
    .where("case_handovers.id", "=", handoverId)
    .where("cases.municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  // Only the two people involved know the handover exists; of them, the policy says who gives which answer.
  const verdict = h ? mayAnswerHandover(policyActor(actor), { fromUserId: h.from_user_id, toUserId: h.to_user_id }, answer) : null;
  if (!h || (verdict && !verdict.allow && verdict.reason === "not_party")) throw new AppError("NOT_FOUND");
  if (h.status !== "proposed") throw new AppError("INVALID_STATE");
  if (verdict && !verdict.allow) throw ruleRefusal(verdict.reason);
  return h;
}

/** Moves a proposed handover to its answer; of two parallel answers only the first does (the other gets INVALID_STATE). */
async function answer(db: Db, handoverId: string, status: "accepted" | "declined" | "withdrawn") {
  const moved = await db
    .updateTable("case_handovers")
    .set({ status, decided_at: new Date() })
    .where("id", "=", handoverId)
    .where("status", "=", "proposed")
    .executeTakeFirst();
  if (moved.numUpdatedRows === 0n) throw new AppError("INVALID_STATE");
}

async function decideHandover({ db, realtime, actor, handoverId }: AsActorWithRealtime & { handoverId: string }, status: "declined" | "withdrawn") {
  const h = await openHandover({ db, actor, handoverId, answer: status === "declined" ? "decline" : "withdraw" });
  await answer(db, handoverId, status);
  // A decline or withdrawal is an answer, not a refused access: it carries the basis on
  // which the person sees the case (none if they no longer do, still not a refusal).
  const basis = await visibilityBasis(db, actor, h.case_id);
  await appendAudit(db, actor.municipalityId, [
    {
      actorUserId: actor.id,
      actorUnitId: basis?.unitId ?? null,
      action: `case.handover.${status === "declined" ? "decline" : "withdraw"}`,
      resourceType: "handover",
      resourceId: handoverId,
      caseId: h.case_id,
      basis,
      purpose: "coordination",
    },
  ]);
  if (status === "declined") realtime.deliver(await notify({ db, userIds: [h.from_user_id], kind: "handover_answered", caseId: h.case_id }));
}

type HandoverCall = AsActorWithRealtime & { handoverId: string };
export const declineHandover = (call: HandoverCall) => decideHandover(call, "declined");
export const withdrawHandover = (call: HandoverCall) => decideHandover(call, "withdrawn");

export async function acceptHandover({ db, bus, realtime, actor, handoverId }: HandoverCall & AsActorWithBus) {
  const h = await openHandover({ db, actor, handoverId, answer: "accept" });
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
    await answer(trx, handoverId, "accepted");
    await trx.updateTable("cases").set({ coordinator_user_id: actor.id, updated_at: new Date() }).where("id", "=", h.case_id).execute();
    // The new coordinator takes part by name through the unit that gave them access.
    await ensureParticipant({ db: trx, caseId: h.case_id, unitId: access.basis.unitId, userId: actor.id, addedBy: actor.id });
  });
  realtime.deliver(await notify({ db, userIds: [h.from_user_id], kind: "handover_answered", caseId: h.case_id }));
  // The former coordinator may lose what only the baton gave them.
  await lapse.publish(bus, accessChanged(h.case_id, actor.municipalityId, "coordinator_changed"));
}

export async function handoverHistory({ db, actor, caseId }: AsActor & { caseId: string }) {
  const { facts } = await readCase({ db, actor, caseId, auditAction: "case.handover.history" });
  const rows = await db
    .selectFrom("case_handovers as h")
    .innerJoin("users as f", "f.id", "h.from_user_id")
    .innerJoin("users as t", "t.id", "h.to_user_id")
    .select(["h.id", "h.status", "h.note", "h.proposed_at", "h.decided_at", "h.from_user_id", "h.to_user_id", "f.display_name as from_name", "t.display_name as to_name"])
    .where("h.case_id", "=", caseId)
    .orderBy("h.proposed_at", "desc")
    .execute();
  // A handover naming someone whose taking part the viewer may not know (a barnevern
  // caseworker, say) is left out whole: a row with a blank name would tell as much.
  const known = await knownPeople(db, actor, facts, rows.flatMap((r) => [r.from_user_id, r.to_user_id]));
  return rows.filter((r) => known.has(r.from_user_id) && known.has(r.to_user_id)).map((r) => ({
    id: r.id,
    status: r.status,
    note: r.note,
    proposedAt: r.proposed_at,
    decidedAt: r.decided_at,
    fromName: r.from_name,
    toName: r.to_name,
  }));
}
