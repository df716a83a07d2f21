import { z } from "zod";
import { isAdmin, type Actor, type AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { AppError } from "../errors.ts";

/** Working days a referral's recipient has to answer before the case's coordinator hears of it (migration 0017 checks the same range). */
export const MIN_RESPONSE_DAYS = 1;
export const MAX_RESPONSE_DAYS = 30;

export const updateSettingsInput = z.strictObject({ responseDays: z.number().int().min(MIN_RESPONSE_DAYS).max(MAX_RESPONSE_DAYS) });

export type ReferralSettings = { responseDays: number; abilities: { update: boolean } };

/** The municipality's referral settings: every signed-in user may know the deadline; only its admins change it. */
export async function settings({ db, actor }: AsActor): Promise<ReferralSettings> {
  const row = await db.selectFrom("municipalities").select("referral_response_days").where("id", "=", actor.municipalityId).executeTakeFirstOrThrow();
  return { responseDays: row.referral_response_days, abilities: { update: isAdmin(actor) } };
}

/**
 * Sets the response deadline in working days for referrals sent from now on (one already
 * sent keeps the `response_due_at` it was given). Admins only, in their own municipality; audited.
 */
export async function updateSettings({ db, actor, responseDays }: AsActor & z.infer<typeof updateSettingsInput>): Promise<ReferralSettings> {
  if (!isAdmin(actor)) throw new AppError("FORBIDDEN");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("municipalities").set({ referral_response_days: responseDays }).where("id", "=", actor.municipalityId).execute();
    await appendAudit(trx, actor.municipalityId, [
      {
        actorUserId: actor.id,
        actorUnitId: adminUnitOf(actor),
        action: "referral.settings.update",
        resourceType: "municipality",
        resourceId: actor.municipalityId,
        caseId: null,
        basis: null,
        purpose: null,
      },
    ]);
  });
  return settings({ db, actor });
}

const adminUnitOf = (actor: Actor) => actor.memberships.find((m) => m.role === "admin")?.unitId ?? null;
