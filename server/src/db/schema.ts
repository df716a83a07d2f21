import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/**
 * The database as Kysely sees it: the one place its types live. `schema.test.ts`
 * checks every table and column here against the migrated schema.
 *
 * Result types are the same on PostgreSQL and PGlite (see `connect.ts`):
 * timestamptz → Date, bigint → number, boolean → boolean, jsonb → parsed JSON,
 * date → "YYYY-MM-DD" string.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type GeneratedId = ColumnType<number, never, never>;

export interface MunicipalitiesTable {
  id: Generated<string>;
  name: string;
  created_at: GeneratedTimestamp;
}

export interface UnitsTable {
  id: Generated<string>;
  municipality_id: string;
  kind: string;
  name: string;
  parent_unit_id: string | null;
  valid_from: GeneratedTimestamp;
  /** Set when the unit is deactivated; null while it is active. */
  valid_to: Timestamp | null;
}

export interface UnitRenamesTable {
  id: GeneratedId;
  unit_id: string;
  old_name: string;
  new_name: string;
  renamed_by: string | null;
  renamed_at: GeneratedTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  municipality_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  created_at: GeneratedTimestamp;
  deactivated_at: Timestamp | null;
}

export interface MembershipsTable {
  id: Generated<string>;
  user_id: string;
  unit_id: string;
  role: string;
  created_at: GeneratedTimestamp;
}

export interface SessionsTable {
  id: string;
  secret_hash: string;
  user_id: string;
  created_at: GeneratedTimestamp;
  last_verified_at: GeneratedTimestamp;
}

export interface AuthEventsTable {
  id: GeneratedId;
  at: GeneratedTimestamp;
  kind: string;
  email: string | null;
  user_id: string | null;
  ip: string | null;
}

export interface DB {
  municipalities: MunicipalitiesTable;
  units: UnitsTable;
  unit_renames: UnitRenamesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  auth_events: AuthEventsTable;
}

export type UserRow = Selectable<UsersTable>;
export type UnitRow = Selectable<UnitsTable>;
export type NewUser = Insertable<UsersTable>;
