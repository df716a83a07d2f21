/**
 * The consent decision (DESIGN.md §4.3): one pure function judges every access.
 * Deny by default; allowed only through the actor's own unit owning the data, an
 * in-force consent whose circle holds both the actor's unit and the data's owner, or a
 * recorded legal-basis disclosure by the data's owner to the actor's unit.
 */
import type {
  Action,
  Basis,
  CaseFacts,
  CaseResource,
  Category,
  ConsentSnapshot,
  Decision,
  DenyRule,
  DisclosureSnapshot,
  PolicyActor,
  Provision,
  ProvisionAction,
  Purpose,
} from "./types.ts";

/** Plain code-unit order: locale-independent, so every node sorts alike. */
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** read and write need `access`; passing data on needs `disclose`. */
export function requiredProvisionAction(action: Action): ProvisionAction {
  return action === "disclose" ? "disclose" : "access";
}

/** Only an active consent counts, and only within [periodStart, periodEnd). */
export function isConsentInForce(consent: ConsentSnapshot, at: Date): boolean {
  return (
    consent.status === "active" &&
    consent.periodStart.getTime() <= at.getTime() &&
    at.getTime() < consent.periodEnd.getTime()
  );
}

/** An omitted list in a deny rule means "all", so it matches anything on that axis. */
export function denyMatches(
  rule: DenyRule,
  provisionAction: ProvisionAction,
  purpose: Purpose,
  category: Category,
): boolean {
  return (
    (rule.actions === undefined || rule.actions.includes(provisionAction)) &&
    (rule.purposes === undefined || rule.purposes.includes(purpose)) &&
    (rule.categories === undefined || rule.categories.includes(category))
  );
}

/** Whether a provision's permit part covers the request (its denies are judged separately). */
export function provisionCovers(
  provision: Provision,
  provisionAction: ProvisionAction,
  purpose: Purpose,
  category: Category,
): boolean {
  return (
    provision.actions.includes(provisionAction) &&
    provision.purposes.includes(purpose) &&
    provision.categories.includes(category)
  );
}

/**
 * True when any in-force consent says "not this" to the unit. Deny wins over every
 * permit, from any consent: the family's latest "no" must not be outvoted by an older "yes".
 */
export function consentDeniedFor(
  consents: readonly ConsentSnapshot[],
  unitId: string,
  provisionAction: ProvisionAction,
  purpose: Purpose,
  category: Category,
  at: Date,
): boolean {
  return consents.some(
    (consent) =>
      isConsentInForce(consent, at) &&
      consent.provisions.some(
        (p) =>
          p.unitId === unitId &&
          p.denies.some((rule) => denyMatches(rule, provisionAction, purpose, category)),
      ),
  );
}

/** A legal-basis disclosure holds until revoked or past its (optional) end. */
export function isDisclosureValid(disclosure: DisclosureSnapshot, at: Date): boolean {
  return (
    !disclosure.revoked &&
    (disclosure.validUntil === null || at.getTime() < disclosure.validUntil.getTime())
  );
}

/**
 * The units through which the actor takes part in the case, sorted and distinct.
 * Consent is given to units, but case membership narrows who in a unit sees the case:
 * a participant with named users admits only them. The coordinator acts through all
 * of their units, since coordinating needs the whole picture the family agreed to.
 * A volunteer unit never qualifies: volunteer organisations get referrals, never a case.
 */
export function qualifyingUnits(actor: PolicyActor, caseFacts: CaseFacts): string[] {
  const isCoordinator = actor.userId === caseFacts.coordinatorUserId;
  const units = new Set<string>();
  for (const unitId of actor.unitIds) {
    if (caseFacts.volunteerUnitIds.includes(unitId)) continue;
    const admitted =
      isCoordinator ||
      caseFacts.participants.some(
        (p) =>
          p.unitId === unitId && (p.userIds.length === 0 || p.userIds.includes(actor.userId)),
      );
    if (admitted) units.add(unitId);
  }
  return [...units].sort(byString);
}

/** The unit whose data this is: the note's author unit, else the case's owner. */
export function dataOwnerUnit(resource: CaseResource): string {
  return resource.dataOwnerUnitId ?? resource.case.owningUnitId;
}

/**
 * The consent circle (DESIGN.md §4.3): the units a consent names and its managing unit.
 * Only their data is shared under it; a unit outside it never gave anything up.
 */
export function inConsentCircle(consent: ConsentSnapshot, unitId: string): boolean {
  return consent.managingUnitId === unitId || consent.provisions.some((p) => p.unitId === unitId);
}

/**
 * Whether an in-force consent grants the unit the request on data in its circle: through
 * the unit's own provision, or, for the managing unit, through any provision that shares
 * it (less that provision's own denies), so the coordinator sees what the services
 * contribute in what the family agreed to share. Denies naming the unit itself are
 * judged separately, across all consents (consentDeniedFor).
 */
export function consentGrants(
  consent: ConsentSnapshot,
  unitId: string,
  ownerUnitId: string,
  provisionAction: ProvisionAction,
  purpose: Purpose,
  category: Category,
  at: Date,
): boolean {
  if (!isConsentInForce(consent, at) || !inConsentCircle(consent, ownerUnitId)) return false;
  return consent.provisions.some(
    (p) =>
      provisionCovers(p, provisionAction, purpose, category) &&
      (p.unitId === unitId ||
        (consent.managingUnitId === unitId &&
          !p.denies.some((rule) => denyMatches(rule, provisionAction, purpose, category)))),
  );
}

/** Consents in deterministic order: by id, then newest version first. */
function orderedConsents(consents: readonly ConsentSnapshot[]): ConsentSnapshot[] {
  return [...consents].sort((a, b) => byString(a.id, b.id) || b.version - a.version);
}

/** What one unit is asked: an action on one category of one unit's data, for a purpose. */
type UnitRequest = {
  ownerUnitId: string;
  action: Action;
  category: Category;
  purpose: Purpose;
  consents: readonly ConsentSnapshot[];
  disclosures: readonly DisclosureSnapshot[];
  at: Date;
};

/**
 * The basis on which one unit may do the request, if any: its own data, an in-force
 * consent covering it (unless any consent denies it), or a legal-basis disclosure to it.
 * Case membership and the volunteer rule are the caller's (decide narrows by them first).
 */
function unitBasis(unitId: string, req: UnitRequest): { basis: Basis } | { denied: boolean } {
  const { ownerUnitId: owner, action, category, purpose, at } = req;
  const needed = requiredProvisionAction(action);
  // A unit's own data is its own: consent denies restrict sharing, not the author.
  if (unitId === owner) return { basis: { kind: "own_unit", unitId } };

  let denied = false;
  if (consentDeniedFor(req.consents, unitId, needed, purpose, category, at)) {
    denied = true;
  } else {
    const consent = req.consents.find((c) => consentGrants(c, unitId, owner, needed, purpose, category, at));
    if (consent) return { basis: { kind: "consent", consentId: consent.id, consentVersion: consent.version, unitId } };
  }

  // A legal basis stands independently of the family's consent (and its denies), but
  // reaches only the discloser's own data, and only lets the recipient see or
  // contribute, never pass the data on.
  if (action !== "disclose") {
    const disclosure = req.disclosures.find(
      (d) =>
        isDisclosureValid(d, at) &&
        d.recipientUnitId === unitId &&
        d.disclosingUnitId === owner &&
        d.categories.includes(category) &&
        d.purposes.includes(purpose),
    );
    if (disclosure) return { basis: { kind: "disclosure", disclosureId: disclosure.id, unitId } };
  }
  return { denied };
}

function unitRequest(resource: CaseResource, action: Action, purpose: Purpose, at: Date): UnitRequest {
  const caseFacts = resource.case;
  return {
    ownerUnitId: dataOwnerUnit(resource),
    action,
    category: resource.category,
    purpose,
    consents: orderedConsents(caseFacts.consents),
    disclosures: [...caseFacts.disclosures].sort((a, b) => byString(a.id, b.id)),
    at,
  };
}

export function decide(
  actor: PolicyActor,
  resource: CaseResource,
  action: Action,
  purpose: Purpose,
  at: Date = new Date(),
): Decision {
  const caseFacts = resource.case;
  // Never reveal anything across a municipality border, whatever the records say.
  if (actor.municipalityId !== caseFacts.municipalityId) {
    return { allow: false, reason: "other_municipality" };
  }
  // A referral carries its own minimum data (DESIGN.md §7): that purpose never opens the case.
  if (purpose === "referral") return { allow: false, reason: "referral_purpose" };

  const units = qualifyingUnits(actor, caseFacts);
  if (units.length === 0) return { allow: false, reason: "not_participant" };

  const req = unitRequest(resource, action, purpose, at);
  let deniedByConsent = false;
  for (const unitId of units) {
    const judged = unitBasis(unitId, req);
    if ("basis" in judged) {
      // Whoever may act on a closed case may still read it, never change or pass it on.
      if (action !== "read" && caseFacts.status === "closed") return { allow: false, reason: "case_closed" };
      return { allow: true, basis: judged.basis, obligations: ["audit"] };
    }
    if (judged.denied) deniedByConsent = true;
  }

  return { allow: false, reason: deniedByConsent ? "denied_by_consent" : "no_basis" };
}

/** What a unit is asked about a case as a whole: a purpose, and one category (identity by default). */
export type UnitQuestion = {
  purpose: Purpose;
  category?: Category;
  /** Whose data (a note's author unit); defaults to the case's owning unit. */
  dataOwnerUnitId?: string;
  at?: Date;
};

/**
 * May the members of this unit see this case (its `category`, default identity) for
 * `purpose`? Judged for the unit as a whole, as a consent is given to units: not narrowed
 * by who in it takes part in the case (a meeting's participant units need not take part).
 * Never for a volunteer unit, never for purpose `referral`; read only.
 */
export function unitMaySee(facts: CaseFacts, unitId: string, question: UnitQuestion): boolean {
  return unitSeeBasis(facts, unitId, question) !== null;
}

/** The basis on which the unit may see the case as `unitMaySee` asks (what is audited), or null. */
export function unitSeeBasis(facts: CaseFacts, unitId: string, question: UnitQuestion): Basis | null {
  if (facts.volunteerUnitIds.includes(unitId) || question.purpose === "referral") return null;
  const resource: CaseResource = { case: facts, category: question.category ?? "identity", dataOwnerUnitId: question.dataOwnerUnitId };
  const judged = unitBasis(unitId, unitRequest(resource, "read", question.purpose, question.at ?? new Date()));
  return "basis" in judged ? judged.basis : null;
}

/**
 * The units among `unitIds` that may not see the case for `purpose` (sorted, distinct):
 * empty when consent (or a unit's own data, or a disclosure) covers every one of them,
 * e.g. every participating unit of a meeting for purpose `meeting`.
 */
export function unitsLacking(facts: CaseFacts, unitIds: readonly string[], purpose: Purpose, question: Omit<UnitQuestion, "purpose"> = {}): string[] {
  return [...new Set(unitIds)].filter((u) => !unitMaySee(facts, u, { ...question, purpose })).sort(byString);
}
