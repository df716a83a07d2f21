/**
 * Confidential participation (DESIGN.md §4.3): that child welfare, police or a kind the
 * municipality marks takes part in a case is itself personal data. These pure functions
 * decide who may know it, and who may read the details of a consent or a disclosure.
 *
 * The rule, for a viewer who may see the case at all:
 * - a participant unit whose kind is not confidential is shown to everyone who sees the case;
 * - a confidential participant unit U is shown to
 *   - the case's coordinator, and whoever takes part through the owning unit (they run the case);
 *   - U's own people (a unit knows that it takes part);
 *   - a unit named together with U in an in-force consent (the family's consent waives
 *     confidentiality among the units it names and its managing unit);
 *   - a unit that disclosed to U or that U disclosed to (each end of a disclosure knows the other);
 * - nobody else, not even through a named person: they are simply not listed.
 */
import { isConsentInForce, qualifyingUnits } from "./decide.ts";
import type { CaseFacts, PolicyActor } from "./types.ts";

/** Unit kinds whose taking part is always confidential; a municipality may add more. */
export const defaultConfidentialUnitKinds = ["child_welfare", "police"] as const;

/** The kinds confidential in a municipality: the defaults and its own additions. */
export function confidentialUnitKinds(extra: readonly string[] = []): Set<string> {
  return new Set<string>([...defaultConfidentialUnitKinds, ...extra]);
}

/** Who disclosed to whom in a case, whatever the disclosure's state now. */
export type DisclosureParties = { discloserUnitId: string; recipientUnitId: string };

export type ParticipationContext = {
  case: CaseFacts;
  /** The participant units whose taking part is confidential in this case. */
  confidentialUnitIds: ReadonlySet<string>;
  disclosures: readonly DisclosureParties[];
};

/** The units through which the viewer takes part, as a set (the coordinator's all of theirs). */
function viewerUnits(viewer: PolicyActor, facts: CaseFacts): Set<string> {
  return new Set(qualifyingUnits(viewer, facts));
}

/** Whether the viewer runs the case: its coordinator, or taking part through its owning unit. */
export function runsCase(viewer: PolicyActor, facts: CaseFacts): boolean {
  return viewer.userId === facts.coordinatorUserId || viewerUnits(viewer, facts).has(facts.owningUnitId);
}

/** Whether the viewer may know that `unitId` takes part in the case. */
export function mayKnowParticipation(viewer: PolicyActor, ctx: ParticipationContext, unitId: string, at: Date = new Date()): boolean {
  const facts = ctx.case;
  if (viewer.municipalityId !== facts.municipalityId) return false;
  if (!ctx.confidentialUnitIds.has(unitId)) return true;
  if (runsCase(viewer, facts)) return true;
  const mine = viewerUnits(viewer, facts);
  if (mine.has(unitId)) return true;
  const namedTogether = facts.consents.some(
    (c) => isConsentInForce(c, at) && c.provisions.some((p) => p.unitId === unitId) && c.provisions.some((p) => mine.has(p.unitId)),
  );
  if (namedTogether) return true;
  return ctx.disclosures.some(
    (d) => (d.recipientUnitId === unitId && mine.has(d.discloserUnitId)) || (d.discloserUnitId === unitId && mine.has(d.recipientUnitId)),
  );
}

/**
 * Who may read a disclosure (its statute, categories and justification): its discloser
 * unit, its recipient unit, the case's coordinator, and the leaders of the discloser
 * unit (who review it). `leaderOf` are the units the viewer leads.
 */
export function mayReadDisclosure(
  viewer: PolicyActor & { leaderOf?: readonly string[] },
  facts: CaseFacts,
  disclosure: DisclosureParties,
): boolean {
  if (viewer.municipalityId !== facts.municipalityId) return false;
  if (viewer.userId === facts.coordinatorUserId) return true;
  if (viewer.leaderOf?.includes(disclosure.discloserUnitId)) return true;
  return viewer.unitIds.includes(disclosure.discloserUnitId) || viewer.unitIds.includes(disclosure.recipientUnitId);
}

/**
 * How much of a consent the viewer may read: everything (grantors, the child's views,
 * evidence, every provision, history) for its managing unit and the case's coordinator;
 * only their own provisions for a recipient unit; nothing for anyone else.
 */
export function consentReadScope(
  viewer: PolicyActor,
  facts: CaseFacts,
  consent: { managingUnitId: string; provisionUnitIds: readonly string[] },
): { kind: "full" } | { kind: "own_provisions"; unitIds: string[] } | { kind: "none" } {
  if (viewer.municipalityId !== facts.municipalityId) return { kind: "none" };
  const mine = viewerUnits(viewer, facts);
  if (viewer.userId === facts.coordinatorUserId || mine.has(consent.managingUnitId)) return { kind: "full" };
  const own = consent.provisionUnitIds.filter((u) => mine.has(u));
  return own.length > 0 ? { kind: "own_provisions", unitIds: [...new Set(own)].sort() } : { kind: "none" };
}
