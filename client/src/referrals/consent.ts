import type { Category, Purpose } from "@laget/policy";

/**
 * What a consent gives a volunteer organisation: purpose `referral` for the child's
 * identity (the referral's minimum data), read only, never the case (DESIGN.md §4.3). The
 * server refuses anything more (VOLUNTEER_REFERRAL_ONLY); this is the one shape the
 * consent form sends for them.
 */
export type ReferralProvision = {
  unitId: string;
  actions: ["access"];
  purposes: Purpose[];
  categories: Category[];
  denies: [];
};

export function referralProvision(unitId: string): ReferralProvision {
  return { unitId, actions: ["access"], purposes: ["referral"], categories: ["identity"], denies: [] };
}

/** The volunteer units an earlier version named (for a new version to start from), in the order given. */
export function referralUnitsOf(provisions: readonly { unitId: string }[], volunteerUnitIds: ReadonlySet<string>): string[] {
  return [...new Set(provisions.map((p) => p.unitId).filter((id) => volunteerUnitIds.has(id)))];
}

/** The provisions for the ticked volunteer units, in the order the units are listed. */
export function referralProvisions(volunteerUnits: readonly { id: string }[], chosen: readonly string[]): ReferralProvision[] {
  return volunteerUnits.filter((u) => chosen.includes(u.id)).map((u) => referralProvision(u.id));
}
