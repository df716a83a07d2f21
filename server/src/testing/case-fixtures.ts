import { loadActor, type Actor } from "../auth/actor.ts";
import { createCase } from "../cases/cases.ts";
import type { Db } from "../db/connect.ts";
import type { TrpcClient } from "./http-client.ts";

export type UnitList = { id: string; name: string }[];

export async function unitIdsByName(client: TrpcClient): Promise<Record<string, string>> {
  const units = await client.queryOk<UnitList>("units.list");
  return Object.fromEntries(units.map((u) => [u.name, u.id]));
}

/** A case about one child, owned by the given unit, created by the signed-in user. */
export async function createChildCase(client: TrpcClient, owningUnitId: string, childName = "Emma Hansen", birthYear = 2014) {
  const { caseId } = await client.mutationOk<{ caseId: string }>("cases.create", {
    owningUnitId,
    btiLevel: 2,
    subjects: [{ role: "child", name: childName, birthYear }],
  });
  const c = await client.queryOk<{ subjects: { id: string }[] }>("cases.get", { caseId });
  return { caseId, subjectId: c.subjects[0]!.id };
}

/** Consent terms for the given units: the plan, conversation and school data for coordination. */
export function consentTerms(subjectId: string, unitIds: string[], overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    subjectId,
    grantors: [{ name: "Kari Hansen", relation: "parent" }],
    childViews: { heardOn: new Date(now).toISOString().slice(0, 10), how: "Samtale på skolen", summary: "Emma vil at helsesykepleier og NAV skal vite." },
    evidence: { form: "written", language: "nb", interpreter: false },
    informationTextVersion: "2026-1",
    provisions: unitIds.map((unitId) => ({
      unitId,
      actions: ["access"],
      purposes: ["coordination", "meeting"],
      categories: ["identity", "plan", "conversation", "school"],
      denies: [],
    })),
    periodStart: new Date(now - 60_000),
    periodEnd: new Date(now + 180 * 24 * 3600 * 1000),
    ...overrides,
  };
}

/** A seeded demo user as an actor, straight from the database (for tests below HTTP). */
export async function demoActor(db: Db, email = "koordinator@demo.laget.no"): Promise<Actor> {
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error(`demo user ${email} has no actor`);
  return actor;
}

/** A case about one child, owned by the actor's first unit, created directly in the database. */
export async function createCaseAs(db: Db, actor: Actor): Promise<string> {
  const { caseId } = await createCase({
    db,
    actor,
    owningUnitId: actor.memberships[0]!.unitId,
    btiLevel: 1,
    subjects: [{ role: "child", name: "Test Barn", birthYear: 2015 }],
  });
  return caseId;
}
