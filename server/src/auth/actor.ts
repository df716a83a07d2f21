import type { Role, UnitKind } from "@laget/domain";
import type { Db } from "../db/connect.ts";

/** The signed-in user as every procedure sees them: who, in which municipality, in which units with which roles. */
export type Actor = {
  id: string;
  municipalityId: string;
  municipalityName: string;
  /** The municipality's maximum consent period, for forms to say and default to. */
  consentMaxMonths: number;
  email: string;
  displayName: string;
  mustChangePassword: boolean;
  memberships: { id: string; unitId: string; unitName: string; unitKind: UnitKind; role: Role }[];
};

/** What a procedure acting for a signed-in user needs at least: its options extend this. */
export type AsActor = { db: Db; actor: Actor };

export function isAdmin(actor: Actor): boolean {
  return actor.memberships.some((m) => m.role === "admin");
}

/** Loads an active user with their memberships in active units of their own municipality. */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const user = await db
    .selectFrom("users")
    .innerJoin("municipalities", "municipalities.id", "users.municipality_id")
    .select([
      "users.id",
      "users.municipality_id",
      "municipalities.name as municipality_name",
      "municipalities.consent_max_months",
      "users.email",
      "users.display_name",
      "users.must_change_password",
    ])
    .where("users.id", "=", userId)
    .where("users.deactivated_at", "is", null)
    .executeTakeFirst();
  if (!user) return null;
  const memberships = await db
    .selectFrom("memberships")
    .innerJoin("units", "units.id", "memberships.unit_id")
    .select(["memberships.id", "memberships.unit_id", "units.name", "units.kind", "memberships.role"])
    .where("memberships.user_id", "=", userId)
    .where("units.municipality_id", "=", user.municipality_id)
    .where("units.valid_to", "is", null)
    .orderBy("units.name")
    .execute();
  return {
    id: user.id,
    municipalityId: user.municipality_id,
    municipalityName: user.municipality_name,
    consentMaxMonths: user.consent_max_months,
    email: user.email,
    displayName: user.display_name,
    mustChangePassword: user.must_change_password,
    memberships: memberships.map((m) => ({
      id: m.id,
      unitId: m.unit_id,
      unitName: m.name,
      unitKind: m.kind as UnitKind,
      role: m.role as Role,
    })),
  };
}
