import { z } from "./zod.ts";
import { text } from "./text.ts";

/** Agency unit kinds (tjenestetyper), DESIGN.md §2. */
export const unitKinds = [
  "school",
  "kindergarten",
  "health_station",
  "school_health",
  "nav",
  "child_welfare",
  "ppt",
  "housing",
  "police",
  "volunteer",
  "other",
] as const;
export const unitKindSchema = z.enum(unitKinds);
export type UnitKind = z.infer<typeof unitKindSchema>;

/** Membership roles, DESIGN.md §3. */
export const roles = [
  "admin",
  "leader",
  "coordinator",
  "caseworker",
  "volunteer_contact",
  "slt_coordinator",
] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * An id in its one canonical spelling (lower case, as the database returns it): an id
 * spelled two ways could name one row to the database and two rooms or documents to
 * the server, where revocation looks up only one of them.
 */
export const idSchema = z.uuid().lowercase();

const name = text(200);

export const createUnitInput = z.object({
  name,
  kind: unitKindSchema,
  parentUnitId: idSchema.nullable().optional(),
});
export type CreateUnitInput = z.infer<typeof createUnitInput>;

export const renameUnitInput = z.object({ unitId: idSchema, name });
export const unitIdInput = z.object({ unitId: idSchema });

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254));

export const membershipInput = z.object({ unitId: idSchema, role: roleSchema });

export const createUserInput = z.object({
  email: emailSchema,
  displayName: name,
  memberships: z.array(membershipInput).min(1).max(20),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const userIdInput = z.object({ userId: idSchema });
export const addMembershipInput = membershipInput.extend({ userId: idSchema });
export const membershipIdInput = z.object({ membershipId: idSchema });
