import type { Role, UnitKind } from "@laget/domain";
import type { Db } from "../db/connect.ts";
import { createMunicipality as createMunicipalityWith } from "./factories.ts";

/** A second municipality with units and users, to prove tenants never see each other. */
export async function createMunicipality(
  db: Db,
  name: string,
  password: string,
  people: { email: string; unit: string; kind?: UnitKind; role: Role }[],
): Promise<{ municipalityId: string; unitIds: Record<string, string>; userIds: Record<string, string> }> {
  return createMunicipalityWith(db, {
    name,
    units: people.map((p) => ({ name: p.unit, kind: p.kind })),
    users: people.map((p) => ({ email: p.email, password, memberships: [{ unit: p.unit, role: p.role }] })),
  });
}
