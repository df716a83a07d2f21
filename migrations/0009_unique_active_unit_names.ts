import { sql, type Kysely } from "kysely";

// Two active units of one municipality never share a name (compared without case): the
// name is how people choose a unit in every list. Deactivated units keep theirs in history.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index units_active_name_unique on units (municipality_id, lower(name)) where valid_to is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
