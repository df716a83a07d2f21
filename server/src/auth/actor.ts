import type { Role, UnitKind } from "@laget/domain";
import { sql } from "kysely";
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

/** Loads an active user with their memberships in active units of their own municipality, in one query (every request pays it). */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const { rows } = await sql<{
    id: string;
    municipality_id: string;
    municipality_name: string;
    consent_max_months: number;
    email: string;
    display_name: string;
    must_change_password: boolean;
    memberships: { id: string; unit_id: string; name: string; kind: UnitKind; role: Role }[];
  }>`
    select u.id, u.municipality_id, m.name as municipality_name, m.consent_max_months, u.email, u.display_name, u.must_change_password,
      coalesce((select json_agg(json_build_object('id', ms.id, 'unit_id', ms.unit_id, 'name', un.name, 'kind', un.kind, 'role', ms.role) order by un.name)
                from memberships ms join units un on un.id = ms.unit_id
                where ms.user_id = u.id and un.municipality_id = u.municipality_id and un.valid_to is null), '[]') as memberships
    from users u join municipalities m on m.id = u.municipality_id
    where u.id = ${userId} and u.deactivated_at is null`.execute(db);
  const user = rows[0];
  if (!user) return null;
  return {
    id: user.id,
    municipalityId: user.municipality_id,
    municipalityName: user.municipality_name,
    consentMaxMonths: user.consent_max_months,
    email: user.email,
    displayName: user.display_name,
    mustChangePassword: user.must_change_password,
    memberships: user.memberships.map((m) => ({ id: m.id, unitId: m.unit_id, unitName: m.name, unitKind: m.kind, role: m.role })),
  };
}
