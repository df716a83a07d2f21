import { sql, type Kysely } from "kysely";

// A unit (user_id null) or a named person of it takes part in a case at most once at a
// time: parallel additions could otherwise leave duplicate rows. Duplicates already there
// are ended (the earliest row stays), since participations are never deleted.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update case_participants p set removed_at = now()
    where p.removed_at is null and exists (
      select 1 from case_participants q
      where q.removed_at is null and q.case_id = p.case_id and q.unit_id = p.unit_id
        and q.user_id is not distinct from p.user_id
        and (q.added_at, q.id) < (p.added_at, p.id)
    )`.execute(db);
  await sql`
    create unique index case_participants_one_active on case_participants
      (case_id, unit_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid))
      where removed_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
