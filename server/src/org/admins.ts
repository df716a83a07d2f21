import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";

/**
 * Refuses a change that would leave the municipality without an active admin:
 * nobody could then manage its units and users.
 */
export async function assertAdminRemains(
  db: Db,
  municipalityId: string,
  without: { unitId?: string; userId?: string; membershipId?: string },
): Promise<void> {
  let query = db
    .selectFrom("memberships")
    .innerJoin("units", "units.id", "memberships.unit_id")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("memberships.id")
    .where("units.municipality_id", "=", municipalityId)
    .where("units.valid_to", "is", null)
    .where("users.deactivated_at", "is", null)
    .where("memberships.role", "=", "admin");
  if (without.unitId) query = query.where("units.id", "!=", without.unitId);
  if (without.userId) query = query.where("users.id", "!=", without.userId);
  if (without.membershipId) query = query.where("memberships.id", "!=", without.membershipId);
  if (!(await query.executeTakeFirst())) throw new AppError("LAST_ADMIN");
}
