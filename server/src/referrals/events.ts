import { decideReferral, type ReferralResource } from "@laget/policy";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import { registerEventJudge, shownAs, type EventJudge } from "../events/replay.ts";
import { publishUserEvent, type UserEvent } from "../events/user-events.ts";
import { referralResource } from "./access.ts";

/**
 * A referral's changes reach both sides live through their per-user event streams
 * (DESIGN.md §5, §7): `referral.changed` about resource `referral`, with only its new
 * status (never a name or a word of its data): the client refetches what it may see.
 * On replay each is judged again by decideReferral read; one the user may no longer
 * read comes back as `gone`.
 */
export const referralEventTypes = ["referral.changed"] as const;

const NO_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Everyone who may read the referral now: the recipient unit's active members (once
 * sent), the one who made it while in the referring unit, and the case's coordinator,
 * each judged by decideReferral read.
 */
export async function referralAudience({ db, resource }: { db: Db; resource: ReferralResource }): Promise<string[]> {
  const candidates = await db
    .selectFrom("users")
    .leftJoin("memberships", "memberships.user_id", "users.id")
    .leftJoin("units", "units.id", "memberships.unit_id")
    .select(["users.id", "memberships.unit_id", "memberships.role", "units.valid_to"])
    .where("users.municipality_id", "=", resource.municipalityId)
    .where("users.deactivated_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("users.id", "in", [resource.referredByUserId, resource.caseCoordinatorUserId]),
        eb("users.id", "in", eb.selectFrom("memberships").select("user_id").where("unit_id", "=", resource.recipientUnitId ?? NO_ID)),
      ]),
    )
    .execute();
  const byUser = new Map<string, { unitId: string; role: string }[]>();
  for (const c of candidates) {
    const list = byUser.get(c.id) ?? [];
    if (c.unit_id && c.role && c.valid_to === null) list.push({ unitId: c.unit_id, role: c.role });
    byUser.set(c.id, list);
  }
  return [...byUser]
    .filter(([userId, roles]) =>
      decideReferral({ userId, municipalityId: resource.municipalityId, unitIds: [...new Set(roles.map((r) => r.unitId))], roles }, resource, "read").allow,
    )
    .map(([userId]) => userId)
    .sort();
}

/** Tells every reader of the referral (but the one who caused it) its new status. */
export async function publishReferralChanged({ db, bus, referralId, exceptUserId }: { db: Db; bus: EventBus; referralId: string; exceptUserId: string | null }): Promise<void> {
  const found = await referralResource({ db, referralId });
  if (!found) return;
  const userIds = (await referralAudience({ db, resource: found.resource })).filter((id) => id !== exceptUserId);
  if (userIds.length === 0) return;
  await publishUserEvent({ db, bus, userIds, event: { type: "referral.changed", resource: { type: "referral", id: referralId }, data: { status: found.resource.status } } });
}

/** Replays a referral event only while decideReferral still lets the user read the referral. */
export const replayReferralEvents: EventJudge = async ({ db, actor, events }) => {
  const subject = policyActor(actor);
  const readable = new Set<string>();
  for (const referralId of new Set(events.flatMap((e) => (e.resourceType === "referral" && e.resourceId ? [e.resourceId] : [])))) {
    const found = await referralResource({ db, referralId });
    if (found && found.referral.municipality_id === actor.municipalityId && decideReferral(subject, found.resource, "read").allow) readable.add(referralId);
  }
  const shown = new Map<number, UserEvent>();
  for (const e of events) if (e.resourceType === "referral" && readable.has(e.resourceId!)) shown.set(e.eventId, shownAs(e));
  return shown;
};

registerEventJudge(referralEventTypes, replayReferralEvents);
