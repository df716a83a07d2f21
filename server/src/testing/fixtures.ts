import type { Role, UnitKind } from "@laget/domain";
import { hashPassword } from "../auth/passwords.ts";
import type { Db } from "../db/connect.ts";

/** A second municipality with units and users, to prove tenants never see each other. */
export async function createMunicipality(
  db: Db,
  name: string,
  password: string,
  people: { email: string; unit: string; kind?: UnitKind; role: Role }[],
): Promise<{ municipalityId: string; unitIds: Record<string, string>; userIds: Record<string, string> }> {
  const passwordHash = await hashPassword(password);
  const m = await db.insertInto("municipalities").values({ name }).returning("id").executeTakeFirstOrThrow();
  const unitIds: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  for (const p of people) {
    unitIds[p.unit] ??= (
      await db
        .insertInto("units")
        .values({ municipality_id: m.id, name: p.unit, kind: p.kind ?? "other" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const user = await db
      .insertInto("users")
      .values({ municipality_id: m.id, email: p.email, display_name: p.email, password_hash: passwordHash, must_change_password: false })
      .returning("id")
      .executeTakeFirstOrThrow();
    userIds[p.email] = user.id;
    await db.insertInto("memberships").values({ user_id: user.id, unit_id: unitIds[p.unit]!, role: p.role }).execute();
  }
  return { municipalityId: m.id, unitIds, userIds };
}
