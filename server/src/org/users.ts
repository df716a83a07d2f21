import type { CreateUserInput, Role, UnitKind } from "@laget/domain";
import type { Actor, AsActor } from "../auth/actor.ts";
import { generateOneTimePassword, hashPassword } from "../auth/passwords.ts";
import { deleteUserSessions } from "../auth/sessions.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { membershipChanged, type EventBus } from "../events/bus.ts";
import { userLapse } from "../cases/lapse.ts";
import { assertAdminRemains } from "./admins.ts";
import { getUnit } from "./units.ts";

export type UserSummary = {
  id: string;
  email: string;
  displayName: string;
  mustChangePassword: boolean;
  active: boolean;
  createdAt: Date;
  memberships: { id: string; unitId: string; unitName: string; unitKind: UnitKind; role: Role; unitActive: boolean }[];
};

/** Every user of the actor's municipality with their memberships. */
export async function listUsers({ db, actor }: AsActor): Promise<UserSummary[]> {
  const users = await db
    .selectFrom("users")
    .select(["id", "email", "display_name", "must_change_password", "deactivated_at", "created_at"])
    .where("municipality_id", "=", actor.municipalityId)
    .orderBy("display_name")
    .execute();
  const memberships = await db
    .selectFrom("memberships")
    .innerJoin("units", "units.id", "memberships.unit_id")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.id", "memberships.user_id", "memberships.unit_id", "memberships.role", "units.name", "units.kind", "units.valid_to"])
    .where("users.municipality_id", "=", actor.municipalityId)
    .orderBy("units.name")
    .execute();
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    mustChangePassword: u.must_change_password,
    active: u.deactivated_at === null,
    createdAt: u.created_at,
    memberships: memberships
      .filter((m) => m.user_id === u.id)
      .map((m) => ({
        id: m.id,
        unitId: m.unit_id,
        unitName: m.name,
        unitKind: m.kind as UnitKind,
        role: m.role as Role,
        unitActive: m.valid_to === null,
      })),
  }));
}

async function assertUserInMunicipality(db: Db, actor: Actor, userId: string): Promise<void> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .where("municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND");
}

async function assertActiveUnit(db: Db, actor: Actor, unitId: string): Promise<void> {
  const unit = await getUnit({ db, actor, unitId });
  if (!unit.active) throw new AppError("UNIT_INACTIVE");
}

/**
 * Creates a user with a one-time password, returned once and never stored in clear.
 * The user must change it at first login.
 */
export async function createUser({ db, actor, ...input }: AsActor & CreateUserInput): Promise<{ userId: string; oneTimePassword: string }> {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const userId = await db.transaction().execute(async (trx) => {
    for (const m of input.memberships) await assertActiveUnit(trx, actor, m.unitId);
    const taken = await trx.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
    if (taken) throw new AppError("EMAIL_TAKEN");
    const user = await trx
      .insertInto("users")
      .values({
        municipality_id: actor.municipalityId,
        email: input.email,
        display_name: input.displayName,
        password_hash: passwordHash,
        must_change_password: true,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const unique = new Map(input.memberships.map((m) => [`${m.unitId}:${m.role}`, m]));
    await trx
      .insertInto("memberships")
      .values([...unique.values()].map((m) => ({ user_id: user.id, unit_id: m.unitId, role: m.role })))
      .execute();
    return user.id;
  });
  return { userId, oneTimePassword };
}

export async function addMembership({ db, actor, userId, unitId, role }: AsActor & { userId: string; unitId: string; role: Role }): Promise<void> {
  await assertUserInMunicipality(db, actor, userId);
  await assertActiveUnit(db, actor, unitId);
  await db
    .insertInto("memberships")
    .values({ user_id: userId, unit_id: unitId, role })
    .onConflict((oc) => oc.columns(["user_id", "unit_id", "role"]).doNothing())
    .execute();
}

/**
 * Removes one membership (also how a role changes: remove one, add the other). What the
 * user could see through it closes at once on every node: their live connections are
 * judged again before this returns.
 */
export async function removeMembership({ db, bus, actor, membershipId }: AsActor & { bus: EventBus; membershipId: string }): Promise<void> {
  const owner = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("memberships.user_id")
    .where("memberships.id", "=", membershipId)
    .where("users.municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  if (!owner) throw new AppError("NOT_FOUND");
  const lapse = await userLapse(db, [owner.user_id]);
  await db.transaction().execute(async (trx) => {
    const membership = await trx
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select(["memberships.id", "memberships.role"])
      .where("memberships.id", "=", membershipId)
      .where("users.municipality_id", "=", actor.municipalityId)
      .executeTakeFirst();
    if (!membership) throw new AppError("NOT_FOUND");
    if (membership.role === "admin") await assertAdminRemains(trx, actor.municipalityId, { membershipId });
    await trx.deleteFrom("memberships").where("id", "=", membershipId).execute();
  });
  await lapse.publish(bus, membershipChanged(actor.municipalityId, [owner.user_id], "membership_removed"));
}

/** Deactivates a user and ends all their sessions and live connections at once. */
export async function deactivateUser({ db, bus, actor, userId }: AsActor & { bus: EventBus; userId: string }): Promise<void> {
  await assertUserInMunicipality(db, actor, userId);
  const lapse = await userLapse(db, [userId]);
  await db.transaction().execute(async (trx) => {
    await assertUserInMunicipality(trx, actor, userId);
    await assertAdminRemains(trx, actor.municipalityId, { userId });
    await trx.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", userId).where("deactivated_at", "is", null).execute();
    await deleteUserSessions(trx, userId);
  });
  await bus.publish({ type: "sessionsEnded", userId, sessionIds: null });
  await lapse.publish(bus, membershipChanged(actor.municipalityId, [userId], "user_deactivated"));
}

export async function reactivateUser({ db, actor, userId }: AsActor & { userId: string }): Promise<void> {
  await assertUserInMunicipality(db, actor, userId);
  await db.updateTable("users").set({ deactivated_at: null }).where("id", "=", userId).execute();
}

/** Issues a new one-time password: the old one and every session stop working. */
export async function resetPassword({ db, bus, actor, userId }: AsActor & { bus: EventBus; userId: string }): Promise<{ oneTimePassword: string }> {
  await assertUserInMunicipality(db, actor, userId);
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash, must_change_password: true }).where("id", "=", userId).execute();
    await deleteUserSessions(trx, userId);
  });
  await bus.publish({ type: "sessionsEnded", userId, sessionIds: null });
  return { oneTimePassword };
}

/**
 * The municipality's staff directory, for choosing a colleague (a named participant, a
 * new coordinator): names and units only, active users in active units. `userIds`
 * narrows it to those people (e.g. a conversation's members).
 */
export async function staffDirectory({ db, actor, userIds }: AsActor & { userIds?: readonly string[] }) {
  let query = db
    .selectFrom("users")
    .innerJoin("memberships", "memberships.user_id", "users.id")
    .innerJoin("units", "units.id", "memberships.unit_id")
    .select(["users.id", "users.display_name", "units.id as unit_id", "units.name as unit_name", "memberships.role"])
    .where("users.municipality_id", "=", actor.municipalityId)
    .where("users.deactivated_at", "is", null)
    .where("units.valid_to", "is", null)
    .orderBy("users.display_name")
    .orderBy("units.name");
  if (userIds) {
    if (userIds.length === 0) return [];
    query = query.where("users.id", "in", userIds);
  }
  const rows = await query.execute();
  const people = new Map<string, { id: string; displayName: string; units: { unitId: string; unitName: string; role: Role }[] }>();
  for (const r of rows) {
    const person = people.get(r.id) ?? { id: r.id, displayName: r.display_name, units: [] };
    person.units.push({ unitId: r.unit_id, unitName: r.unit_name, role: r.role as Role });
    people.set(r.id, person);
  }
  return [...people.values()];
}
