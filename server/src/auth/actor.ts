import type { Role, UnitKind } from "@laget/domain";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import type { SessionRow } from "./sessions.ts";

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

type ActorRow = {
  id: string | null;
  municipality_id: string;
  municipality_name: string;
  consent_max_months: number;
  email: string;
  display_name: string;
  must_change_password: boolean;
  memberships: { id: string; unit_id: string; name: string; kind: UnitKind; role: Role }[];
};

// The actor's columns over `users u join municipalities m`, memberships aggregated: one query.
const actorColumns = sql`
  u.id, u.municipality_id, m.name as municipality_name, m.consent_max_months, u.email, u.display_name, u.must_change_password,
  coalesce((select json_agg(json_build_object('id', ms.id, 'unit_id', ms.unit_id, 'name', un.name, 'kind', un.kind, 'role', ms.role) order by un.name)
            from memberships ms join units un on un.id = ms.unit_id
            where ms.user_id = u.id and un.municipality_id = u.municipality_id and un.valid_to is null), '[]') as memberships`;

function actorOf(row: ActorRow): Actor | null {
  if (row.id === null) return null;
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    municipalityName: row.municipality_name,
    consentMaxMonths: row.consent_max_months,
    email: row.email,
    displayName: row.display_name,
    mustChangePassword: row.must_change_password,
    memberships: row.memberships.map((m) => ({ id: m.id, unitId: m.unit_id, unitName: m.name, unitKind: m.kind, role: m.role })),
  };
}

/** Loads an active user with their memberships in active units of their own municipality, in one query. */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const { rows } = await sql<ActorRow>`
    select ${actorColumns} from users u join municipalities m on m.id = u.municipality_id
    where u.id = ${userId} and u.deactivated_at is null`.execute(db);
  return rows[0] ? actorOf(rows[0]) : null;
}

/**
 * A stored session with its user as an actor (null when deactivated), in the one query
 * every request pays. Nothing of it may be used before verifySessionRow has checked the
 * token's secret against the row.
 */
export async function loadSessionWithActor(db: Db, sessionId: string): Promise<{ row: SessionRow; actor: Actor | null } | undefined> {
  const { rows } = await sql<ActorRow & { session_id: string; secret_hash: string; user_id: string; created_at: Date; last_verified_at: Date }>`
    select s.id as session_id, s.secret_hash, s.user_id, s.created_at, s.last_verified_at, ${actorColumns}
    from sessions s
    left join (users u join municipalities m on m.id = u.municipality_id) on u.id = s.user_id and u.deactivated_at is null
    where s.id = ${sessionId}`.execute(db);
  const r = rows[0];
  if (!r) return undefined;
  return {
    row: { id: r.session_id, secret_hash: r.secret_hash, user_id: r.user_id, created_at: r.created_at, last_verified_at: r.last_verified_at },
    actor: actorOf(r),
  };
}
