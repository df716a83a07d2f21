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
import { sql, type RawBuilder } from "kysely";
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

type FactsRow = {
  id: string;
  municipality_id: string;
  owning_unit_id: string;
  coordinator_user_id: string;
  status: string;
  participants: { unit_id: string; user_id: string | null }[];
  consents: { id: string; version: number; status: string; managing_unit_id: string; period_start: string; period_end: string; provisions: unknown }[];
  disclosures: { id: string; discloser_unit_id: string; recipient_unit_id: string; categories: Category[]; purposes: Purpose[]; valid_until: string | null }[];
  volunteer_unit_ids: string[];
};

// What decide() needs of a case `c`, one row per case.
const factsColumns = sql`
    c.id, c.municipality_id, c.owning_unit_id, c.coordinator_user_id, c.status,
      coalesce((select json_agg(json_build_object('unit_id', p.unit_id, 'user_id', p.user_id) order by p.id)
                from case_participants p where p.case_id = c.id and p.removed_at is null), '[]') as participants,
      coalesce((select json_agg(json_build_object('id', k.id, 'version', k.version, 'status', k.status, 'managing_unit_id', k.managing_unit_id,
                                                  'period_start', k.period_start, 'period_end', k.period_end, 'provisions', k.provisions))
                from consents k where k.case_id = c.id and k.status = 'active'), '[]') as consents,
      coalesce((select json_agg(json_build_object('id', d.id, 'discloser_unit_id', d.discloser_unit_id, 'recipient_unit_id', d.recipient_unit_id,
                                                  'categories', d.categories, 'purposes', d.purposes, 'valid_until', d.valid_until))
                from disclosures d where d.case_id = c.id and d.revoked_at is null), '[]') as disclosures,
      coalesce((select json_agg(u.id) from units u where u.municipality_id = c.municipality_id and u.kind = 'volunteer'), '[]') as volunteer_unit_ids`;

/**
 * Loads what decide() needs about cases, in one query however many cases (every read
 * path pays it, so one round trip rather than five): the case row (with its status: a
 * closed case is read-only), its active participants, its active consents, its
 * disclosures and the municipality's volunteer units (which never get a case, whatever
 * the records say). Only `active` consents are loaded: no other status can ever allow
 * (decide() still checks the period, so a consent past its end denies before the expiry
 * job runs).
 */
export async function loadCaseFacts(db: Db, caseIds: readonly string[]): Promise<Map<string, CaseFacts>> {
  return (await loadCaseFactsOf(db, { caseIds })).facts;
}

/**
 * loadCaseFacts in the order `orderBy` gives (over the case `c`), and with `extraColumns`
 * (over `c`) each case's row with them too, for the caller to use only for the cases
 * decide() lets it show: a list's page in one statement. Its text never varies with the
 * ids, so PostgreSQL plans it once per connection (a generic plan, by primary key) rather
 * than on every call, as it did while a list's candidates were a subquery of it.
 */
export async function loadCaseFactsOf<Extra extends object = object>(
  db: Db,
  { caseIds, orderBy, extraColumns }: { caseIds: readonly string[]; orderBy?: RawBuilder<unknown>; extraColumns?: RawBuilder<unknown> },
): Promise<{ facts: Map<string, CaseFacts>; extras: Map<string, Extra> }> {
  if (caseIds.length === 0) return { facts: new Map(), extras: new Map() };
  const result = await sql<FactsRow & Extra>`
    select ${factsColumns}${extraColumns ? sql`, ${extraColumns}` : sql``} from cases c
    where c.id = any(${[...new Set(caseIds)]}::uuid[])${orderBy ? sql` order by ${orderBy}` : sql``}`.execute(db);
  // Every read path comes here for its facts alone: the rows by id only for a caller that asked for more.
  return { facts: factsOf(result), extras: new Map(extraColumns ? result.rows.map((r) => [r.id, r]) : []) };
}

function factsOf({ rows }: { rows: FactsRow[] }): Map<string, CaseFacts> {
  const facts = new Map<string, CaseFacts>();
  for (const c of rows) {
    const participants: (Participant & { userIds: string[] })[] = [];
    const byUnit = new Map<string, Participant & { userIds: string[] }>();
    for (const p of c.participants) {
      let entry = byUnit.get(p.unit_id);
      if (!entry) {
        entry = { unitId: p.unit_id, userIds: [] };
        byUnit.set(p.unit_id, entry);
        participants.push(entry);
      }
      if (p.user_id) entry.userIds.push(p.user_id);
    }
    facts.set(c.id, {
      caseId: c.id,
      municipalityId: c.municipality_id,
      owningUnitId: c.owning_unit_id,
      coordinatorUserId: c.coordinator_user_id,
      status: c.status as CaseStatus,
      participants,
      consents: c.consents.map((k) => consentSnapshotOf({ ...k, period_start: new Date(k.period_start), period_end: new Date(k.period_end) })),
      disclosures: c.disclosures.map(
        (d): DisclosureSnapshot => ({
          id: d.id,
          disclosingUnitId: d.discloser_unit_id,
          recipientUnitId: d.recipient_unit_id,
          categories: d.categories,
          purposes: d.purposes,
          validUntil: d.valid_until === null ? null : new Date(d.valid_until),
          revoked: false,
        }),
      ),
      volunteerUnitIds: c.volunteer_unit_ids,
    });
  }
  return facts;
}
