import type { HttpClient } from "./http-client.ts";

export type UnitList = { id: string; name: string }[];

export async function unitIdsByName(client: HttpClient): Promise<Record<string, string>> {
  const units = await client.queryOk<UnitList>("units.list");
  return Object.fromEntries(units.map((u) => [u.name, u.id]));
}

/** A case about one child, owned by the given unit, created by the signed-in user. */
export async function createChildCase(client: HttpClient, owningUnitId: string, childName = "Emma Hansen", birthYear = 2014) {
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
