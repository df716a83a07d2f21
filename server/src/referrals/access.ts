import { decideReferral, type Judgement, type ReferralMover, type ReferralResource, type ReferralStatus, type ResourceActions } from "@laget/policy";
import type { Selectable } from "kysely";
import type { Actor, AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { policyActor } from "../cases/access.ts";
import { consentSnapshotColumns, consentSnapshotOf } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import type { ReferralsTable } from "../db/schema.ts";
import { AppError } from "../errors.ts";

/**
 * Who may see and move a referral (DESIGN.md §7): the policy's `decideReferral` on facts
 * loaded here, the one place they are loaded. A referral the actor may not read is
 * NOT_FOUND, exactly like one that does not exist (and like any case, plan, note or
 * meeting a volunteer contact asks for); one they may read but not move is FORBIDDEN or
 * INVALID_STATE. Judging a referral never loads or opens its case beyond its coordinator.
 */

export type Referral = Selectable<ReferralsTable>;

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** The policy's view of a referral, with the consent it names (any status: the policy checks it is in force). */
export async function referralResource({ db, referralId }: { db: Db; referralId: string }): Promise<{ referral: Referral; resource: ReferralResource } | null> {
  const referral = await db.selectFrom("referrals").selectAll().where("id", "=", referralId).executeTakeFirst();
  if (!referral) return null;
  const [kase, consent] = await Promise.all([
    db.selectFrom("cases").select("coordinator_user_id").where("id", "=", referral.case_id).executeTakeFirstOrThrow(),
    db
      .selectFrom("consents")
      .select(consentSnapshotColumns)
      .where("id", "=", referral.consent_id)
      .executeTakeFirst(),
  ]);
  const snapshot = consent && consentSnapshotOf(consent);
  return {
    referral,
    resource: {
      kind: "referral",
      referralId: referral.id,
      municipalityId: referral.municipality_id,
      referringUnitId: referral.referring_unit_id,
      referredByUserId: referral.referred_by,
      recipientUnitId: referral.recipient_unit_id,
      caseCoordinatorUserId: kase.coordinator_user_id,
      consentId: referral.consent_id,
      consentVersion: referral.consent_version,
      ...(snapshot ? { consent: snapshot } : {}),
      status: referral.status as ReferralStatus,
      sent: referral.sent_at !== null,
    },
  };
}

/** The one mapping of a referral's refusal to the API's error codes (hidden things are NOT_FOUND). */
export function referralRefusal(judgement: Judgement & { allow: false }): AppError {
  switch (judgement.reason) {
    case "wrong_state":
      return new AppError("INVALID_STATE");
    case "wrong_role":
      return new AppError("FORBIDDEN");
    case "no_basis":
      return new AppError("REFERRAL_CONSENT_MISSING");
    default:
      return new AppError("NOT_FOUND");
  }
}

/**
 * Which side of the referral the actor is on (the recipient side wins for one in both
 * units); null: neither. Each side is the policy's own: decideReferral read with the
 * other side's people taken out (so the recipient side only once it was sent).
 */
export function moverOf(actor: Actor, resource: ReferralResource): ReferralMover | null {
  const subject = policyActor(actor);
  if (decideReferral(subject, { ...resource, referredByUserId: NO_ID, caseCoordinatorUserId: NO_ID }, "read").allow) return "recipient";
  if (decideReferral(subject, { ...resource, recipientUnitId: NO_ID }, "read").allow) return "referrer";
  return null;
}

type Authorize = AsActor & { referralId: string; action: ResourceActions["referral"]; audit?: string };

/** Loads a referral the actor may act on, or refuses; `audit`: the action recorded for the access. */
export async function authorizeReferral({ db, actor, referralId, action, audit }: Authorize) {
  const found = await referralResource({ db, referralId });
  if (!found || found.referral.municipality_id !== actor.municipalityId) throw new AppError("NOT_FOUND");
  const subject = policyActor(actor);
  if (!decideReferral(subject, found.resource, "read").allow) throw new AppError("NOT_FOUND");
  const judgement = decideReferral(subject, found.resource, action);
  if (!judgement.allow) {
    throw referralRefusal(judgement);
  }
  if (audit) await recordReferralAccess({ db, actor, referral: found.referral, action: audit });
  return found;
}

/**
 * One audit event for an access to a referral: its minimum data is the child's personal
 * data, so the read shows in the case's access log ("who has seen my data"), with the
 * consent it was sent under as the basis and purpose `referral`.
 */
export async function recordReferralAccess({ db, actor, referral, action }: AsActor & { referral: Referral; action: string }) {
  const unitId =
    actor.memberships.find((m) => m.unitId === referral.recipient_unit_id)?.unitId ??
    actor.memberships.find((m) => m.unitId === referral.referring_unit_id)?.unitId ??
    actor.memberships[0]?.unitId ??
    null;
  await appendAudit(db, actor.municipalityId, [
    {
      actorUserId: actor.id,
      actorUnitId: unitId,
      action,
      resourceType: "referral",
      resourceId: referral.id,
      caseId: referral.case_id,
      basis: unitId ? { kind: "consent", consentId: referral.consent_id, consentVersion: referral.consent_version, unitId } : null,
      purpose: "referral",
    },
  ]);
}

/**
 * The ids of the referrals the actor may read, as a subquery to filter in SQL before any
 * limit: the same parties `decideReferral` admits (the recipient unit once it was sent; the
 * one who made it while in the referring unit; the case's coordinator), in the actor's
 * municipality. `sent_at is not null` is the SQL form of the policy's `sent` fact (a
 * draft cancelled unsent is never the recipient's), so the list is cut before its limit.
 */
export function visibleReferralIds({ db, actor }: AsActor) {
  const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
  const units = unitIds.length ? unitIds : [NO_ID];
  return db
    .selectFrom("referrals as r")
    .innerJoin("cases as c", "c.id", "r.case_id")
    .select("r.id")
    .where("r.municipality_id", "=", actor.municipalityId)
    .where((eb) =>
      eb.or([
        eb.and([eb("r.recipient_unit_id", "in", units), eb("r.status", "!=", "draft"), eb("r.sent_at", "is not", null)]),
        eb.and([eb("r.referred_by", "=", actor.id), eb("r.referring_unit_id", "in", units)]),
        eb("c.coordinator_user_id", "=", actor.id),
      ]),
    );
}
