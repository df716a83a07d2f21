import type { CreateUnitInput, UnitKind } from "@laget/domain";
import { sql } from "kysely";
import type { AsActor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { userLapse } from "../cases/lapse.ts";
import { membershipChanged, type EventBus } from "../events/bus.ts";
import { assertAdminRemains } from "./admins.ts";

export type Unit = {
  id: string;
  name: string;
  kind: UnitKind;
  parentUnitId: string | null;
  active: boolean;
  validFrom: Date;
  validTo: Date | null;
};

const unitColumns = ["id", "name", "kind", "parent_unit_id", "valid_from", "valid_to"] as const;

function toUnit(row: {
  id: string;
  name: string;
  kind: string;
  parent_unit_id: string | null;
  valid_from: Date;
  valid_to: Date | null;
}): Unit {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as UnitKind,
    parentUnitId: row.parent_unit_id,
    active: row.valid_to === null,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

/** Every unit of the actor's municipality, active first, then by name. */
export async function listUnits({ db, actor }: AsActor): Promise<Unit[]> {
  const rows = await db
    .selectFrom("units")
    .select(unitColumns)
    .where("municipality_id", "=", actor.municipalityId)
    .orderBy((eb) => eb("valid_to", "is", null), "desc")
    .orderBy("name")
    .execute();
  return rows.map(toUnit);
}

/** A unit of the actor's municipality; another municipality's unit is NOT_FOUND, like a missing one. */
export async function getUnit({ db, actor, unitId }: AsActor & { unitId: string }): Promise<Unit> {
  const row = await db
    .selectFrom("units")
    .select(unitColumns)
    .where("id", "=", unitId)
    .where("municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND");
  return toUnit(row);
}

/**
 * Two active units of a municipality never share a name, whatever the case of its letters
 * (a unique partial index holds it under concurrency; this check gives the clear answer).
 */
async function assertNameFree(db: Db, municipalityId: string, name: string, exceptUnitId?: string): Promise<void> {
  let query = db
    .selectFrom("units")
    .select("id")
    .where("municipality_id", "=", municipalityId)
    .where("valid_to", "is", null)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptUnitId) query = query.where("id", "!=", exceptUnitId);
  if (await query.executeTakeFirst()) throw new AppError("UNIT_NAME_TAKEN");
}

/** A write that lost a race for the name (units_active_name_unique) answers like the check. */
function nameTakenOnConflict(err: unknown): never {
  if ((err as { code?: unknown } | null)?.code === "23505") throw new AppError("UNIT_NAME_TAKEN");
  throw err;
}

export async function createUnit({ db, actor, ...input }: AsActor & CreateUnitInput): Promise<Unit> {
  if (input.parentUnitId) {
    const parent = await getUnit({ db, actor, unitId: input.parentUnitId }).catch(() => null);
    if (!parent || !parent.active) throw new AppError("INVALID_PARENT_UNIT");
  }
  await assertNameFree(db, actor.municipalityId, input.name);
  const row = await db
    .insertInto("units")
    .values({
      municipality_id: actor.municipalityId,
      name: input.name,
      kind: input.kind,
      parent_unit_id: input.parentUnitId ?? null,
    })
    .returning(unitColumns)
    .executeTakeFirstOrThrow()
    .catch(nameTakenOnConflict);
  return toUnit(row);
}

/** Renames a unit and keeps the old name in its history. */
export async function renameUnit({ db, actor, unitId, name }: AsActor & { unitId: string; name: string }): Promise<Unit> {
  return db.transaction().execute(async (trx) => {
    const unit = await getUnit({ db: trx, actor, unitId });
    if (!unit.active) throw new AppError("UNIT_INACTIVE");
    if (unit.name === name) return unit;
    await assertNameFree(trx, actor.municipalityId, name, unitId);
    await trx
      .insertInto("unit_renames")
      .values({ unit_id: unitId, old_name: unit.name, new_name: name, renamed_by: actor.id })
      .execute();
    const row = await trx
      .updateTable("units")
      .set({ name })
      .where("id", "=", unitId)
      .returning(unitColumns)
      .executeTakeFirstOrThrow()
      .catch(nameTakenOnConflict);
    return toUnit(row);
  });
}

/**
 * Deactivates a unit: it stays in history, its members lose the roles they had through it,
 * and what they could see through it closes at once on every node.
 */
export async function deactivateUnit({ db, bus, actor, unitId }: AsActor & { bus: EventBus; unitId: string }): Promise<Unit> {
  const members = (await db.selectFrom("memberships").select("user_id").where("unit_id", "=", unitId).execute()).map((m) => m.user_id);
  const lapse = await userLapse(db, members);
  const result = await db.transaction().execute(async (trx) => {
    const unit = await getUnit({ db: trx, actor, unitId });
    if (!unit.active) return { unit, changed: false };
    await assertAdminRemains(trx, actor.municipalityId, { unitId });
    const row = await trx
      .updateTable("units")
      .set({ valid_to: new Date() })
      .where("id", "=", unitId)
      .returning(unitColumns)
      .executeTakeFirstOrThrow();
    return { unit: toUnit(row), changed: true };
  });
  if (result.changed) await lapse.publish(bus, membershipChanged(actor.municipalityId, members, "unit_deactivated"));
  return result.unit;
}

export async function unitNameHistory({ db, actor, unitId }: AsActor & { unitId: string }) {
  await getUnit({ db, actor, unitId });
  const rows = await db
    .selectFrom("unit_renames")
    .leftJoin("users", "users.id", "unit_renames.renamed_by")
    .select(["unit_renames.old_name", "unit_renames.new_name", "unit_renames.renamed_at", "users.display_name"])
    .where("unit_renames.unit_id", "=", unitId)
    .orderBy("unit_renames.renamed_at", "desc")
    .orderBy("unit_renames.id", "desc")
    .execute();
  return rows.map((r) => ({
    oldName: r.old_name,
    newName: r.new_name,
    renamedAt: r.renamed_at,
    renamedBy: r.display_name,
  }));
}
