import type { Role, UnitKind } from "@laget/domain";
import { hashPassword } from "../auth/passwords.ts";
import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import { seedStatutes } from "../disclosures/disclosures.ts";
import { seedDemoMeetings } from "./meetings.ts";
import { seedDemoOffers } from "./offers.ts";

export const DEMO_MUNICIPALITY = "Demo kommune";
/** One password for every demo user; printed at start and listed in the README. */
export const DEMO_PASSWORD = "laget-demo-2026";

export const demoUnits: { name: string; kind: UnitKind }[] = [
  { name: "Kommuneadministrasjonen", kind: "other" },
  { name: "Fjellheim skole", kind: "school" },
  { name: "Fjellheim barnehage", kind: "kindergarten" },
  { name: "Helsestasjonen", kind: "health_station" },
  { name: "NAV Fjellheim", kind: "nav" },
  { name: "Barneverntjenesten", kind: "child_welfare" },
  { name: "PPT", kind: "ppt" },
  { name: "Fjellheim idrettslag", kind: "volunteer" },
  { name: "Røde Kors Fjellheim", kind: "volunteer" },
  { name: "SLT", kind: "other" },
];

export const demoUsers: { email: string; displayName: string; unit: string; role: Role }[] = [
  { email: "admin@demo.laget.no", displayName: "Anne Admin", unit: "Kommuneadministrasjonen", role: "admin" },
  { email: "leder@demo.laget.no", displayName: "Lars Leder", unit: "Fjellheim skole", role: "leader" },
  { email: "koordinator@demo.laget.no", displayName: "Kari Koordinator", unit: "Fjellheim skole", role: "coordinator" },
  { email: "helsesykepleier@demo.laget.no", displayName: "Hanne Helsesykepleier", unit: "Helsestasjonen", role: "caseworker" },
  { email: "nav@demo.laget.no", displayName: "Nils Veileder", unit: "NAV Fjellheim", role: "caseworker" },
  { email: "barnevern@demo.laget.no", displayName: "Berit Barnevern", unit: "Barneverntjenesten", role: "caseworker" },
  { email: "frivillig@demo.laget.no", displayName: "Frida Frivillig", unit: "Røde Kors Fjellheim", role: "volunteer_contact" },
  { email: "idrettslag@demo.laget.no", displayName: "Ivar Idrettslag", unit: "Fjellheim idrettslag", role: "volunteer_contact" },
  { email: "slt@demo.laget.no", displayName: "Sigurd SLT", unit: "SLT", role: "slt_coordinator" },
];

/**
 * Seeds the demo municipality when the database has no municipality yet. Idempotent:
 * runs in one transaction, and does nothing once any municipality exists.
 * Returns whether it seeded.
 */
/** `meetings: false` / `offers: false` seed a database migrated only as far as before them (migration tests). */
export async function seedDemo(db: Db, options: { meetings?: boolean; offers?: boolean } = {}): Promise<boolean> {
  if (await db.selectFrom("municipalities").select("id").executeTakeFirst()) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    // Two nodes starting together must not both seed.
    await sql`select pg_advisory_xact_lock(hashtext('laget:seed-demo'))`.execute(trx);
    const existing = await trx.selectFrom("municipalities").select("id").executeTakeFirst();
    if (existing) return false;
    const municipality = await trx
      .insertInto("municipalities")
      .values({ name: DEMO_MUNICIPALITY })
      .returning("id")
      .executeTakeFirstOrThrow();
    const units = await trx
      .insertInto("units")
      .values(demoUnits.map((u) => ({ municipality_id: municipality.id, name: u.name, kind: u.kind })))
      .returning(["id", "name"])
      .execute();
    await seedStatutes(trx, municipality.id);
    const unitId = new Map(units.map((u) => [u.name, u.id]));
    for (const u of demoUsers) {
      const user = await trx
        .insertInto("users")
        .values({
          municipality_id: municipality.id,
          email: u.email,
          display_name: u.displayName,
          password_hash: passwordHash,
          // Demo users keep the published password so a newcomer can look around at once.
          must_change_password: false,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.insertInto("memberships").values({ user_id: user.id, unit_id: unitId.get(u.unit)!, role: u.role }).execute();
    }
    if (options.meetings !== false) await seedDemoMeetings(trx, municipality.id);
    if (options.meetings !== false && options.offers !== false) await seedDemoOffers(trx, municipality.id);
    return true;
  });
}
