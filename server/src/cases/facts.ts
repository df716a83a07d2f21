import type {
  CaseFacts,
  CaseStatus,
  Category,
  ConsentSnapshot,
  DisclosureSnapshot,
  Participant,
  Provision,
  Purpose,
} from "@laget/policy";
import type { Db } from "../db/connect.ts";

/** The columns of a consent the policy judges, and the snapshot it judges (any status: the policy checks it is in force). */
export const consentSnapshotColumns = ["id", "version", "status", "managing_unit_id", "period_start", "period_end", "provisions"] as const;
export function consentSnapshotOf(c: {
  id: string;
  version: number;
  status: string;
  managing_unit_id: string;
  period_start: Date;
  period_end: Date;
  provisions: unknown;
}): ConsentSnapshot {
  return {
    id: c.id,
    version: c.version,
    status: c.status as ConsentSnapshot["status"],
    managingUnitId: c.managing_unit_id,
    periodStart: c.period_start,
    periodEnd: c.period_end,
    provisions: c.provisions as Provision[],
  };
}

/**
 * Loads what decide() needs about cases, in five queries however many cases: the
 * case row (with its status: a closed case is read-only), its active participants, its active consents, its disclosures and the
 * municipality's volunteer units (which never get a case, whatever the records say).
 * Only `active` consents are loaded: no other status can ever allow (decide() still
 * checks the period, so a consent past its end denies before the expiry job runs).
 */
export async function loadCaseFacts(db: Db, caseIds: readonly string[]): Promise<Map<string, CaseFacts>> {
  const facts = new Map<string, CaseFacts>();
  if (caseIds.length === 0) return facts;
  const ids = [...new Set(caseIds)];
  const [cases, participants, consents, disclosures, volunteers] = await Promise.all([
    db
      .selectFrom("cases")
      .select(["id", "municipality_id", "owning_unit_id", "coordinator_user_id", "status"])
      .where("id", "in", ids)
      .execute(),
    db
      .selectFrom("case_participants")
      .select(["case_id", "unit_id", "user_id"])
      .where("case_id", "in", ids)
      .where("removed_at", "is", null)
      .execute(),
    db
      .selectFrom("consents")
      .select([...consentSnapshotColumns, "case_id"])
      .where("case_id", "in", ids)
      .where("status", "=", "active")
      .execute(),
    db
      .selectFrom("disclosures")
      .select(["id", "case_id", "discloser_unit_id", "recipient_unit_id", "categories", "purposes", "valid_until", "revoked_at"])
      .where("case_id", "in", ids)
      .where("revoked_at", "is", null)
      .execute(),
    db
      .selectFrom("units")
      .innerJoin("cases", "cases.municipality_id", "units.municipality_id")
      .select(["cases.id as case_id", "units.id"])
      .where("cases.id", "in", ids)
      .where("units.kind", "=", "volunteer")
      .execute(),
  ]);
  for (const c of cases) {
    facts.set(c.id, {
      caseId: c.id,
      municipalityId: c.municipality_id,
      owningUnitId: c.owning_unit_id,
      coordinatorUserId: c.coordinator_user_id,
      status: c.status as CaseStatus,
      participants: [],
      consents: [],
      disclosures: [],
      volunteerUnitIds: [],
    });
  }
  for (const v of volunteers) (facts.get(v.case_id)?.volunteerUnitIds as string[] | undefined)?.push(v.id);
  const byUnit = new Map<string, Participant & { userIds: string[] }>();
  for (const p of participants) {
    const key = `${p.case_id}:${p.unit_id}`;
    let entry = byUnit.get(key);
    if (!entry) {
      entry = { unitId: p.unit_id, userIds: [] };
      byUnit.set(key, entry);
      (facts.get(p.case_id)?.participants as Participant[] | undefined)?.push(entry);
    }
    if (p.user_id) entry.userIds.push(p.user_id);
  }
  for (const c of consents) {
    const snapshot = consentSnapshotOf(c);
    (facts.get(c.case_id)?.consents as ConsentSnapshot[] | undefined)?.push(snapshot);
  }
  for (const d of disclosures) {
    const snapshot: DisclosureSnapshot = {
      id: d.id,
      disclosingUnitId: d.discloser_unit_id,
      recipientUnitId: d.recipient_unit_id,
      categories: d.categories as Category[],
      purposes: d.purposes as Purpose[],
      validUntil: d.valid_until,
      revoked: d.revoked_at !== null,
    };
    (facts.get(d.case_id)?.disclosures as DisclosureSnapshot[] | undefined)?.push(snapshot);
  }
  return facts;
}
