import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import {
  actions,
  categories,
  consentStatuses,
  provisionActions,
  purposes,
  type Action,
  type Basis,
  type CaseFacts,
  type CaseResource,
  type Category,
  type ConsentSnapshot,
  type ConsentStatus,
  type DenyRule,
  type DisclosureSnapshot,
  type PolicyActor,
  type Provision,
  type ProvisionAction,
  type Purpose,
} from "./types.ts";

// ---------------------------------------------------------------------------
// Arbitraries: a small world (few units, users, days) so that overlaps,
// boundaries and conflicts between consents actually occur. The request is drawn
// first and records are often "aimed" at it (they mention its unit, category,
// purpose), since uniformly random records would almost never cover a request.

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const day = (n: number): Date => new Date(T0 + n * DAY);

const UNITS = ["u-school", "u-health", "u-nav", "u-cw", "u-volunteer"] as const;
const USERS = ["ana", "bo", "cai", "dag"] as const;
const MUNICIPALITY = "m-oslo";

const neededFor = (a: Action): ProvisionAction => (a === "disclose" ? "disclose" : "access");

const dayArb = fc.integer({ min: -4, max: 4 }).map(day);

type Request = {
  actor: PolicyActor;
  action: Action;
  purpose: Purpose;
  category: Category;
  at: Date;
};

const requestArb: fc.Arbitrary<Request> = fc.record({
  actor: fc.record({
    userId: fc.constantFrom(...USERS),
    municipalityId: fc.oneof(
      { weight: 9, arbitrary: fc.constant(MUNICIPALITY) },
      { weight: 1, arbitrary: fc.constant("m-bergen") },
    ),
    unitIds: fc.subarray([...UNITS], { minLength: 1, maxLength: 2 }),
  }),
  action: fc.constantFrom(...actions),
  // `referral` never opens a case: weighted down so the other purposes get most runs.
  purpose: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...purposes.filter((p) => p !== "referral")) },
    { weight: 1, arbitrary: fc.constant("referral" as const) },
  ),
  category: fc.constantFrom(...categories),
  at: dayArb,
});

/** A random subset of `all`, which half the time is made to contain `aim`. */
function aimedSubarray<T>(all: readonly T[], aim: T, minLength = 0): fc.Arbitrary<T[]> {
  return fc
    .tuple(fc.subarray([...all], { minLength }), fc.boolean())
    .map(([xs, hit]) => (hit && !xs.includes(aim) ? [...xs, aim] : xs));
}

/** Mostly one of the actor's units, sometimes any unit. */
const aimedUnit = (r: Request): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...r.actor.unitIds) },
    { weight: 1, arbitrary: fc.constantFrom(...UNITS) },
  );

const denyArb = (r: Request): fc.Arbitrary<DenyRule> =>
  fc.record(
    {
      actions: aimedSubarray(provisionActions, neededFor(r.action), 1),
      purposes: aimedSubarray(purposes, r.purpose, 1),
      categories: aimedSubarray(categories, r.category, 1),
    },
    { requiredKeys: [] },
  );

const provisionArb = (r: Request): fc.Arbitrary<Provision> =>
  fc.record({
    unitId: aimedUnit(r),
    actions: aimedSubarray(provisionActions, neededFor(r.action)),
    purposes: aimedSubarray(purposes, r.purpose),
    categories: aimedSubarray(categories, r.category),
    denies: fc.oneof(
      { weight: 2, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(denyArb(r), { minLength: 1, maxLength: 2 }) },
    ),
  });

type ConsentOpts = {
  status?: fc.Arbitrary<ConsentStatus>;
  period?: (r: Request) => fc.Arbitrary<{ periodStart: Date; periodEnd: Date }>;
};

// Active is weighted up: most interesting decisions involve a consent that might apply.
const anyStatusArb: fc.Arbitrary<ConsentStatus> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("active" as const) },
  { weight: 2, arbitrary: fc.constantFrom(...consentStatuses) },
);
const anyPeriodArb = () =>
  fc
    .tuple(fc.integer({ min: -4, max: 3 }), fc.integer({ min: 0, max: 5 }))
    .map(([start, len]) => ({ periodStart: day(start), periodEnd: day(start + len) }));

const consentArb = (r: Request, opts: ConsentOpts): fc.Arbitrary<ConsentSnapshot> =>
  fc
    .record({
      id: fc.constantFrom("c1", "c2", "c3"),
      version: fc.integer({ min: 1, max: 3 }),
      managingUnitId: aimedUnit(r),
      status: opts.status ?? anyStatusArb,
      period: (opts.period ?? anyPeriodArb)(r),
      provisions: fc.array(provisionArb(r), { maxLength: 3 }),
    })
    .map(({ period, ...rest }) => ({ ...rest, ...period }));

const consentsArb = (r: Request, opts: ConsentOpts) =>
  fc.uniqueArray(consentArb(r, opts), { maxLength: 4, selector: (c) => `${c.id}#${c.version}` });

/** Disclosures are aimed at the request and, half the time, made by the data's owner. */
const disclosureArb = (r: Request, owner: string): fc.Arbitrary<DisclosureSnapshot> =>
  fc.record({
    id: fc.constantFrom("d1", "d2", "d3"),
    disclosingUnitId: fc.oneof(fc.constant(owner), fc.constantFrom(...UNITS)),
    recipientUnitId: aimedUnit(r),
    categories: aimedSubarray(categories, r.category),
    purposes: aimedSubarray(purposes, r.purpose),
    validUntil: fc.option(dayArb),
    revoked: fc.boolean(),
  });

type World = {
  actor: PolicyActor;
  resource: CaseResource;
  action: Action;
  purpose: Purpose;
  at: Date;
};

const worldArb = (opts: ConsentOpts & { noDisclosures?: boolean } = {}): fc.Arbitrary<World> =>
  requestArb.chain((r) =>
    fc
      .record({
        owningUnitId: fc.constantFrom(...UNITS),
        dataOwnerUnitId: fc.option(fc.constantFrom(...UNITS), { nil: undefined }),
      })
      .chain(({ owningUnitId, dataOwnerUnitId }) =>
        fc.record({
          caseFacts: fc.record({
            caseId: fc.constant("case-1"),
            municipalityId: fc.constant(MUNICIPALITY),
            owningUnitId: fc.constant(owningUnitId),
            coordinatorUserId: fc.constantFrom(...USERS, "eva"),
            status: fc.constantFrom("open" as const, "paused" as const),
            participants: fc.array(
              fc.record({
                unitId: aimedUnit(r),
                userIds: fc.oneof(
                  fc.constant([]),
                  fc.constant([r.actor.userId]),
                  fc.subarray([...USERS], { minLength: 1 }),
                ),
              }),
              { maxLength: 4 },
            ),
            consents: consentsArb(r, opts),
            disclosures: opts.noDisclosures
              ? fc.constant([])
              : fc.uniqueArray(disclosureArb(r, dataOwnerUnitId ?? owningUnitId), { maxLength: 2, selector: (d) => d.id }),
            // Mostly the demo's one volunteer unit; sometimes none, sometimes a unit that could own data.
            volunteerUnitIds: fc.oneof(
              { weight: 4, arbitrary: fc.constant(["u-volunteer"]) },
              { weight: 1, arbitrary: fc.subarray([...UNITS], { maxLength: 2 }) },
            ),
          }),
          dataOwnerUnitId: fc.constant(dataOwnerUnitId),
        }),
      )
      .map(({ caseFacts, dataOwnerUnitId }) => ({
        actor: r.actor,
        resource:
          dataOwnerUnitId === undefined
            ? { case: caseFacts, category: r.category }
            : { case: caseFacts, category: r.category, dataOwnerUnitId },
        action: r.action,
        purpose: r.purpose,
        at: r.at,
      })),
  );

const run = (w: World) => decide(w.actor, w.resource, w.action, w.purpose, w.at);

const withCase = (w: World, patch: Partial<CaseFacts>): World => ({
  ...w,
  resource: { ...w.resource, case: { ...w.resource.case, ...patch } },
});

// ---------------------------------------------------------------------------
// An independent oracle, written straight from the rules (not from decide's helpers),
// so a bug shared by decide and its helpers still shows up here.

function oracleQualifying(w: World): Set<string> {
  const c = w.resource.case;
  return new Set(
    w.actor.unitIds.filter(
      (u) =>
        !c.volunteerUnitIds.includes(u) &&
        (w.actor.userId === c.coordinatorUserId ||
          c.participants.some(
            (p) => p.unitId === u && (p.userIds.length === 0 || p.userIds.includes(w.actor.userId)),
          )),
    ),
  );
}

function inForce(c: ConsentSnapshot, at: Date): boolean {
  return c.status === "active" && +c.periodStart <= +at && +at < +c.periodEnd;
}

function oracleDenied(w: World, unitId: string): boolean {
  return w.resource.case.consents.some(
    (c) =>
      inForce(c, w.at) &&
      c.provisions.some(
        (p) =>
          p.unitId === unitId &&
          p.denies.some((r) => ruleMatches(w, r)),
      ),
  );
}

const ownerOf = (w: World): string => w.resource.dataOwnerUnitId ?? w.resource.case.owningUnitId;

/** Whether a deny rule names the request (an omitted list means "all"). */
function ruleMatches(w: World, r: DenyRule): boolean {
  return (
    (!r.actions || r.actions.includes(neededFor(w.action))) &&
    (!r.purposes || r.purposes.includes(w.purpose)) &&
    (!r.categories || r.categories.includes(w.resource.category))
  );
}

/** Returns a reason the basis is not justified, or null if it checks out. */
function unjustified(w: World, basis: Basis): string | null {
  const c = w.resource.case;
  if (w.actor.municipalityId !== c.municipalityId) return "crossed a municipality border";
  if (w.purpose === "referral") return "purpose referral never opens the case";
  if (!oracleQualifying(w).has(basis.unitId)) return "unit does not qualify";
  const owner = ownerOf(w);
  switch (basis.kind) {
    case "own_unit":
      return basis.unitId === owner ? null : "not the data owner";
    case "consent": {
      const consent = c.consents.find((x) => x.id === basis.consentId && x.version === basis.consentVersion);
      if (!consent) return "no such consent";
      if (!inForce(consent, w.at)) return "consent not in force";
      // The circle: the data's owner must be the managing unit or named in a provision.
      if (consent.managingUnitId !== owner && !consent.provisions.some((p) => p.unitId === owner)) {
        return "data owner outside the consent circle";
      }
      const shares = (p: Provision) =>
        p.actions.includes(neededFor(w.action)) && p.purposes.includes(w.purpose) && p.categories.includes(w.resource.category);
      const ownProvision = consent.provisions.some((p) => p.unitId === basis.unitId && shares(p));
      // The managing unit gets what any provision shares, less that provision's own denies.
      const asManager =
        consent.managingUnitId === basis.unitId &&
        consent.provisions.some((p) => shares(p) && !p.denies.some((r) => ruleMatches(w, r)));
      if (!ownProvision && !asManager) return "no covering provision";
      return oracleDenied(w, basis.unitId) ? "a deny matches" : null;
    }
    case "disclosure": {
      const d = c.disclosures.find((x) => x.id === basis.disclosureId);
      if (!d) return "no such disclosure";
      if (w.action === "disclose") return "disclosure cannot pass data on";
      if (d.revoked || (d.validUntil !== null && +w.at >= +d.validUntil)) return "disclosure not valid";
      if (d.recipientUnitId !== basis.unitId) return "wrong recipient";
      if (d.disclosingUnitId !== owner) return "another unit's data";
      return d.categories.includes(w.resource.category) && d.purposes.includes(w.purpose)
        ? null
        : "disclosure does not cover";
    }
  }
}

/** Enough runs that rarer outcomes (consent, disclosure, deny) show up dozens of times. */
const RUNS = { numRuns: 1000 };
const NOT_ACTIVE = consentStatuses.filter((s) => s !== "active");
/** Data owned by a unit no generated actor belongs to, so only consent or disclosure could allow. */
const ownedElsewhere = (w: World): World => ({ ...w, resource: { ...w.resource, dataOwnerUnitId: "u-elsewhere" } });

// ---------------------------------------------------------------------------

describe("decide (properties)", () => {
  it("never allows without a basis that checks out against the input", () => {
    fc.assert(
      fc.property(worldArb(), (w) => {
        const d = run(w);
        if (d.allow) {
          expect(unjustified(w, d.basis)).toBeNull();
          expect(d.obligations).toContain("audit");
        }
      }),
      RUNS,
    );
  });

  it("denies only when no basis exists, and names the right reason", () => {
    fc.assert(
      fc.property(worldArb(), (w) => {
        const d = run(w);
        const units = [...oracleQualifying(w)];
        if (w.actor.municipalityId !== w.resource.case.municipalityId) return;
        if (w.purpose === "referral") {
          expect(d).toEqual({ allow: false, reason: "referral_purpose" });
          return;
        }
        if (units.length === 0) {
          expect(d).toEqual({ allow: false, reason: "not_participant" });
          return;
        }
        // Every basis the input could offer, each checked by the oracle alone.
        const candidates: Basis[] = units.flatMap((unitId) => [
          { kind: "own_unit" as const, unitId },
          ...w.resource.case.consents.map((c) => ({
            kind: "consent" as const,
            consentId: c.id,
            consentVersion: c.version,
            unitId,
          })),
          ...w.resource.case.disclosures.map((x) => ({ kind: "disclosure" as const, disclosureId: x.id, unitId })),
        ]);
        const justified = candidates.some((b) => unjustified(w, b) === null);
        expect(d.allow).toBe(justified);
        if (!d.allow) {
          expect(d.reason).toBe(units.some((u) => oracleDenied(w, u)) ? "denied_by_consent" : "no_basis");
        }
      }),
      RUNS,
    );
  });

  it("withdrawn, expired, superseded, invalidated, refused, requested and draft consents never allow", () => {
    const world = worldArb({ status: fc.constantFrom(...NOT_ACTIVE), noDisclosures: true }).map(ownedElsewhere);
    fc.assert(
      fc.property(world, (w) => {
        expect(run(w).allow).toBe(false);
      }),
      RUNS,
    );
  });

  it("an active consent outside its period never allows", () => {
    // Periods that ended at or before `at`, or start after it (the end is exclusive).
    const outside = (r: { at: Date }) =>
      fc
        .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.boolean())
        .map(([gap, len, before]) =>
          before
            ? { periodStart: new Date(+r.at - (gap + len) * DAY), periodEnd: new Date(+r.at - (gap - 1) * DAY) }
            : { periodStart: new Date(+r.at + gap), periodEnd: new Date(+r.at + gap + len * DAY + 1) },
        );
    const world = worldArb({ status: fc.constant("active"), period: outside, noDisclosures: true }).map(ownedElsewhere);
    fc.assert(
      fc.property(world, (w) => {
        expect(run(w).allow).toBe(false);
      }),
      RUNS,
    );
  });

  it("a matching deny for every qualifying unit means never a consent basis", () => {
    // Add an in-force consent whose provisions deny the exact request for each qualifying unit.
    const world = worldArb().chain((w) =>
      fc
        .record({ a: fc.boolean(), p: fc.boolean(), c: fc.boolean(), version: fc.integer({ min: 1, max: 3 }) })
        .map(({ a, p, c, version }) => {
          const rule: DenyRule = {
            ...(a ? { actions: [neededFor(w.action)] } : {}),
            ...(p ? { purposes: [w.purpose, "meeting"] } : {}),
            ...(c ? { categories: ["identity", w.resource.category] } : {}),
          };
          const denier: ConsentSnapshot = {
            id: "c0-deny",
            version,
            status: "active",
            managingUnitId: w.resource.case.owningUnitId,
            periodStart: w.at,
            periodEnd: new Date(+w.at + DAY),
            provisions: [...oracleQualifying(w)].map((unitId) => ({
              unitId,
              actions: [],
              purposes: [],
              categories: [],
              denies: [rule],
            })),
          };
          return withCase(w, { consents: [...w.resource.case.consents, denier] });
        }),
    );
    fc.assert(
      fc.property(world, (w) => {
        const d = run(w);
        expect(d.allow && d.basis.kind === "consent").toBe(false);
        if (!d.allow && oracleQualifying(w).size > 0 && w.actor.municipalityId === MUNICIPALITY && w.purpose !== "referral") {
          expect(d.reason).toBe("denied_by_consent");
        }
      }),
      RUNS,
    );
  });

  it("a unit neither named in a provision nor managing the consent never gets access via consent", () => {
    const world = worldArb().map((w) =>
      withCase(w, {
        consents: w.resource.case.consents.map((c) => ({
          ...c,
          managingUnitId: w.actor.unitIds.includes(c.managingUnitId) ? "u-elsewhere" : c.managingUnitId,
          provisions: c.provisions.filter((p) => !w.actor.unitIds.includes(p.unitId)),
        })),
      }),
    );
    fc.assert(
      fc.property(world, (w) => {
        const d = run(w);
        expect(d.allow && d.basis.kind === "consent").toBe(false);
      }),
      RUNS,
    );
  });

  it("a consent never reaches data outside its categories, purposes or actions", () => {
    const world = worldArb().chain((w) =>
      fc.constantFrom("category", "purpose", "action").map((axis) =>
        withCase(w, {
          consents: w.resource.case.consents.map((c) => ({
            ...c,
            provisions: c.provisions.map((p) => ({
              ...p,
              categories: axis === "category" ? p.categories.filter((x) => x !== w.resource.category) : p.categories,
              purposes: axis === "purpose" ? p.purposes.filter((x) => x !== w.purpose) : p.purposes,
              actions: axis === "action" ? p.actions.filter((x) => x !== neededFor(w.action)) : p.actions,
            })),
          })),
        }),
      ),
    );
    fc.assert(
      fc.property(world, (w) => {
        const d = run(w);
        expect(d.allow && d.basis.kind === "consent").toBe(false);
      }),
      RUNS,
    );
  });

  it("another municipality is always denied", () => {
    const world = worldArb().map((w) => ({ ...w, actor: { ...w.actor, municipalityId: "m-bergen" } }));
    fc.assert(
      fc.property(world, (w) => {
        expect(run(w)).toEqual({ allow: false, reason: "other_municipality" });
      }),
      RUNS,
    );
  });

  it("a non-participant is always denied, whatever consents say", () => {
    // Not the coordinator, and every participant entry for the actor's units names someone else.
    const world = worldArb()
      .filter((w) => w.actor.municipalityId === MUNICIPALITY)
      .map((w) =>
        withCase(w, {
          coordinatorUserId: "eva",
          participants: w.resource.case.participants.map((p) =>
            w.actor.unitIds.includes(p.unitId) ? { ...p, userIds: ["eva"] } : p,
          ),
        }),
      );
    fc.assert(
      fc.property(world, (w) => {
        expect(run(w)).toEqual({ allow: false, reason: w.purpose === "referral" ? "referral_purpose" : "not_participant" });
      }),
      RUNS,
    );
  });

  it("the consent circle: the managing unit gets what any provision shares, from units in the circle", () => {
    // An in-force consent managed by one of the actor's units, whose provision for the
    // data's owner shares exactly the request: the managing unit reads it unless a deny names it.
    const world = worldArb()
      .filter((w) => w.actor.municipalityId === MUNICIPALITY)
      .chain((w) =>
        fc.constantFrom(...w.actor.unitIds).map((manager) => {
          const owner = ownerOf(w);
          const circle: ConsentSnapshot = {
            id: "c9-circle",
            version: 1,
            status: "active",
            managingUnitId: manager,
            periodStart: w.at,
            periodEnd: new Date(+w.at + DAY),
            provisions: [
              { unitId: owner, actions: [neededFor(w.action)], purposes: [w.purpose], categories: [w.resource.category], denies: [] },
            ],
          };
          return [manager, withCase(w, { coordinatorUserId: w.actor.userId, consents: [...w.resource.case.consents, circle] })] as const;
        }),
      );
    fc.assert(
      fc.property(world, ([manager, w]) => {
        const d = run(w);
        const barred =
          w.purpose === "referral" || w.action === "disclose" || w.resource.case.volunteerUnitIds.includes(manager) || oracleDenied(w, manager);
        if (!barred) expect(d.allow).toBe(true);
      }),
      RUNS,
    );
  });

  it("data owned outside a consent's circle is never reached through that consent", () => {
    const world = worldArb().map((w) =>
      withCase(w, {
        consents: w.resource.case.consents.map((c) => ({
          ...c,
          managingUnitId: c.managingUnitId === ownerOf(w) ? "u-elsewhere" : c.managingUnitId,
          provisions: c.provisions.filter((p) => p.unitId !== ownerOf(w)),
        })),
      }),
    );
    fc.assert(
      fc.property(world, (w) => {
        const d = run(w);
        expect(d.allow && d.basis.kind === "consent").toBe(false);
      }),
      RUNS,
    );
  });

  it("a disclosure never reaches data another unit owns", () => {
    const world = worldArb().map((w) =>
      withCase(w, {
        disclosures: w.resource.case.disclosures.map((d) =>
          d.disclosingUnitId === ownerOf(w) ? { ...d, disclosingUnitId: "u-elsewhere" } : d,
        ),
      }),
    );
    fc.assert(
      fc.property(world, (w) => {
        const d = run(w);
        expect(d.allow && d.basis.kind === "disclosure").toBe(false);
      }),
      RUNS,
    );
  });

  it("a volunteer unit never gets anything, whatever the records say", () => {
    const world = worldArb().map((w) => withCase(w, { volunteerUnitIds: [...w.actor.unitIds] }));
    fc.assert(
      fc.property(world, (w) => {
        expect(run(w).allow).toBe(false);
      }),
      RUNS,
    );
  });

  it("purpose referral never opens the case", () => {
    const world = worldArb().map((w) => ({ ...w, purpose: "referral" as const }));
    fc.assert(
      fc.property(world, (w) => {
        expect(run(w).allow).toBe(false);
      }),
      RUNS,
    );
  });

  it("is deterministic, whatever order the records arrive in", () => {
    // Order only matters when two records could both answer, so every world gets rivals:
    // copies of its consents and disclosures under other ids, which answer exactly alike.
    const withRivals = worldArb().map((w) => {
      const c = w.resource.case;
      return withCase(w, {
        consents: [...c.consents, ...c.consents.map((x) => ({ ...x, id: `${x.id}-rival` }))],
        disclosures: [...c.disclosures, ...c.disclosures.map((x) => ({ ...x, id: `${x.id}-rival` }))],
      });
    });
    const permuted = withRivals.chain((w) => {
      const c = w.resource.case;
      return fc
        .record({
          consents: fc.shuffledSubarray([...c.consents], { minLength: c.consents.length }),
          disclosures: fc.shuffledSubarray([...c.disclosures], { minLength: c.disclosures.length }),
          participants: fc.shuffledSubarray([...c.participants], { minLength: c.participants.length }),
          unitIds: fc.shuffledSubarray([...w.actor.unitIds], { minLength: w.actor.unitIds.length }),
        })
        .map(({ unitIds, ...lists }) => [w, withCase({ ...w, actor: { ...w.actor, unitIds } }, lists)] as const);
    });
    fc.assert(
      fc.property(permuted, ([w, shuffled]) => {
        const reversed = withCase({ ...w, actor: { ...w.actor, unitIds: [...w.actor.unitIds].reverse() } }, {
          consents: [...w.resource.case.consents].reverse(),
          disclosures: [...w.resource.case.disclosures].reverse(),
        });
        expect(run(shuffled)).toEqual(run(w));
        expect(run(reversed)).toEqual(run(w));
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------
// Examples that read like the domain.

const NOW = day(0);
const SCHOOL = "u-school";
const HEALTH = "u-health";
const NAV = "u-nav";
const CW = "u-cw";
const VOLUNTEER = "u-volunteer";

function consent(id: string, provisions: Provision[], extra: Partial<ConsentSnapshot> = {}): ConsentSnapshot {
  return { id, version: 1, status: "active", managingUnitId: HEALTH, periodStart: day(-30), periodEnd: day(335), provisions, ...extra };
}

function grant(unitId: string, cats: Category[], more: Partial<Provision> = {}): Provision {
  return { unitId, actions: ["access"], purposes: ["coordination"], categories: cats, denies: [], ...more };
}

function caseOf(patch: Partial<CaseFacts> = {}): CaseFacts {
  return {
    caseId: "case-1",
    municipalityId: MUNICIPALITY,
    owningUnitId: HEALTH,
    coordinatorUserId: "hilde",
    status: "open",
    participants: [
      { unitId: HEALTH, userIds: [] },
      { unitId: NAV, userIds: [] },
      { unitId: SCHOOL, userIds: ["sara"] },
    ],
    consents: [],
    disclosures: [],
    volunteerUnitIds: [VOLUNTEER],
    ...patch,
  };
}

function disclosure(id: string, from: string, to: string, cats: Category[], extra: Partial<DisclosureSnapshot> = {}): DisclosureSnapshot {
  return { id, disclosingUnitId: from, recipientUnitId: to, categories: cats, purposes: ["coordination"], validUntil: null, revoked: false, ...extra };
}

const hilde: PolicyActor = { userId: "hilde", municipalityId: MUNICIPALITY, unitIds: [HEALTH] };
const nils: PolicyActor = { userId: "nils", municipalityId: MUNICIPALITY, unitIds: [NAV] };
const sara: PolicyActor = { userId: "sara", municipalityId: MUNICIPALITY, unitIds: [SCHOOL] };
const sindre: PolicyActor = { userId: "sindre", municipalityId: MUNICIPALITY, unitIds: [SCHOOL] };

describe("decide (examples)", () => {
  it("NAV gets the plan but not health notes", () => {
    const c = caseOf({
      consents: [consent("c1", [grant(NAV, ["plan", "health"], { denies: [{ categories: ["health"] }] })])],
    });
    expect(decide(nils, { case: c, category: "plan" }, "read", "coordination", NOW)).toEqual({
      allow: true,
      basis: { kind: "consent", consentId: "c1", consentVersion: 1, unitId: NAV },
      obligations: ["audit"],
    });
    expect(decide(nils, { case: c, category: "health" }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "denied_by_consent",
    });
  });

  it("a deny in one consent beats a permit in another", () => {
    const c = caseOf({
      consents: [
        consent("c1", [grant(NAV, ["plan"])]),
        consent("c2", [grant(NAV, [], { denies: [{ categories: ["plan"] }] })]),
      ],
    });
    expect(decide(nils, { case: c, category: "plan" }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "denied_by_consent",
    });
  });

  it("a deny scoped to meetings leaves coordination open", () => {
    const c = caseOf({
      consents: [
        consent("c1", [
          grant(NAV, ["plan"], { purposes: ["coordination", "meeting"], denies: [{ purposes: ["meeting"] }] }),
        ]),
      ],
    });
    expect(decide(nils, { case: c, category: "plan" }, "read", "coordination", NOW).allow).toBe(true);
    expect(decide(nils, { case: c, category: "plan" }, "read", "meeting", NOW)).toEqual({
      allow: false,
      reason: "denied_by_consent",
    });
  });

  it("withdrawal takes effect at once", () => {
    const active = consent("c1", [grant(NAV, ["plan"])]);
    const resource = (cs: ConsentSnapshot[]) => ({ case: caseOf({ consents: cs }), category: "plan" as const });
    expect(decide(nils, resource([active]), "read", "coordination", NOW).allow).toBe(true);
    expect(decide(nils, resource([{ ...active, status: "withdrawn" }]), "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "no_basis",
    });
  });

  it("a consent ends at its period end, not a moment later", () => {
    const c = caseOf({ consents: [consent("c1", [grant(NAV, ["plan"])], { periodEnd: NOW })] });
    const r = { case: c, category: "plan" as const };
    expect(decide(nils, r, "read", "coordination", new Date(+NOW - 1)).allow).toBe(true);
    expect(decide(nils, r, "read", "coordination", NOW).allow).toBe(false);
  });

  it("reading under a consent does not let NAV pass the data on", () => {
    const c = caseOf({ consents: [consent("c1", [grant(NAV, ["plan"])])] });
    expect(decide(nils, { case: c, category: "plan" }, "disclose", "coordination", NOW)).toEqual({
      allow: false,
      reason: "no_basis",
    });
  });

  it("a barnevern-owned case is invisible to the school without a basis", () => {
    const c = caseOf({ owningUnitId: CW, participants: [{ unitId: CW, userIds: [] }] });
    expect(decide(sara, { case: c, category: "child_welfare" }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "not_participant",
    });
    const joined = { ...c, participants: [...c.participants, { unitId: SCHOOL, userIds: [] }] };
    expect(decide(sara, { case: joined, category: "child_welfare" }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "no_basis",
    });
  });

  it("named participants narrow who in a unit sees the case", () => {
    const c = caseOf({ consents: [consent("c1", [grant(SCHOOL, ["plan"])])] });
    expect(decide(sara, { case: c, category: "plan" }, "read", "coordination", NOW).allow).toBe(true);
    expect(decide(sindre, { case: c, category: "plan" }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "not_participant",
    });
  });

  it("the coordinator sees their case, even when not named as a participant", () => {
    const c = caseOf({ participants: [{ unitId: HEALTH, userIds: ["other-nurse"] }] });
    expect(decide(hilde, { case: c, category: "health" }, "write", "coordination", NOW)).toEqual({
      allow: true,
      basis: { kind: "own_unit", unitId: HEALTH },
      obligations: ["audit"],
    });
  });

  it("a unit's own notes are never restricted by consent denies", () => {
    const c = caseOf({ consents: [consent("c1", [grant(NAV, [], { denies: [{}] })])] });
    expect(decide(nils, { case: c, category: "nav", dataOwnerUnitId: NAV }, "read", "coordination", NOW)).toEqual({
      allow: true,
      basis: { kind: "own_unit", unitId: NAV },
      obligations: ["audit"],
    });
  });

  it("a legal-basis disclosure stands despite a deny, but never allows passing on", () => {
    const c = caseOf({
      participants: [{ unitId: CW, userIds: [] }],
      consents: [consent("c1", [grant(CW, [], { denies: [{}] })])],
      disclosures: [disclosure("d1", HEALTH, CW, ["school"])],
    });
    const berit: PolicyActor = { userId: "berit", municipalityId: MUNICIPALITY, unitIds: [CW] };
    expect(decide(berit, { case: c, category: "school" }, "read", "coordination", NOW)).toEqual({
      allow: true,
      basis: { kind: "disclosure", disclosureId: "d1", unitId: CW },
      obligations: ["audit"],
    });
    expect(decide(berit, { case: c, category: "school" }, "disclose", "coordination", NOW)).toEqual({
      allow: false,
      reason: "denied_by_consent",
    });
  });

  it("picks the newest version of a consent", () => {
    const c = caseOf({
      consents: [consent("c1", [grant(NAV, ["plan"])]), consent("c1", [grant(NAV, ["plan"])], { version: 2 })],
    });
    const d = decide(nils, { case: c, category: "plan" }, "read", "coordination", NOW);
    expect(d.allow && d.basis).toEqual({ kind: "consent", consentId: "c1", consentVersion: 2, unitId: NAV });
  });

  it("a disclosure by the school reaches the school's data, never Helsestasjonen's", () => {
    // The school disclosed health to barnevern; the nurse's own health note stays hers.
    const c = caseOf({
      owningUnitId: SCHOOL,
      coordinatorUserId: "kari",
      participants: [
        { unitId: SCHOOL, userIds: [] },
        { unitId: HEALTH, userIds: [] },
        { unitId: CW, userIds: [] },
      ],
      disclosures: [disclosure("d1", SCHOOL, CW, ["identity", "health"])],
    });
    const berit: PolicyActor = { userId: "berit", municipalityId: MUNICIPALITY, unitIds: [CW] };
    expect(decide(berit, { case: c, category: "health", dataOwnerUnitId: SCHOOL }, "read", "coordination", NOW)).toEqual({
      allow: true,
      basis: { kind: "disclosure", disclosureId: "d1", unitId: CW },
      obligations: ["audit"],
    });
    expect(decide(berit, { case: c, category: "health" }, "read", "coordination", NOW).allow).toBe(true);
    expect(decide(berit, { case: c, category: "health", dataOwnerUnitId: HEALTH }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "no_basis",
    });
  });

  describe("the consent circle", () => {
    // A school-owned case: Kari the coordinator sits in the school, which manages the consent.
    const kari: PolicyActor = { userId: "kari", municipalityId: MUNICIPALITY, unitIds: [SCHOOL] };
    const circle = (provisions: Provision[]) =>
      caseOf({
        owningUnitId: SCHOOL,
        coordinatorUserId: "kari",
        participants: [
          { unitId: SCHOOL, userIds: ["kari"] },
          { unitId: HEALTH, userIds: [] },
          { unitId: NAV, userIds: [] },
          { unitId: CW, userIds: [] },
        ],
        consents: [consent("c1", provisions, { managingUnitId: SCHOOL })],
      });
    const note = (c: CaseFacts, category: Category, owner: string): CaseResource => ({ case: c, category, dataOwnerUnitId: owner });

    it("the coordinator reads Helsestasjonen's health note when a provision shares health", () => {
      const c = circle([grant(HEALTH, ["identity", "plan", "health"]), grant(NAV, ["identity", "plan"])]);
      expect(decide(kari, note(c, "health", HEALTH), "read", "coordination", NOW)).toEqual({
        allow: true,
        basis: { kind: "consent", consentId: "c1", consentVersion: 1, unitId: SCHOOL },
        obligations: ["audit"],
      });
    });

    it("a category shared with NAV only is shared with the coordinator too, from every unit in the circle", () => {
      const c = circle([grant(HEALTH, ["identity"]), grant(NAV, ["identity", "nav", "health"])]);
      expect(decide(kari, note(c, "health", HEALTH), "read", "coordination", NOW).allow).toBe(true);
      expect(decide(kari, note(c, "nav", NAV), "read", "coordination", NOW).allow).toBe(true);
      // NAV itself reads Helsestasjonen's health note through its own provision.
      expect(decide(nils, note(c, "health", HEALTH), "read", "coordination", NOW).allow).toBe(true);
    });

    it("a unit's note in a category no provision names stays with that unit", () => {
      const c = circle([grant(HEALTH, ["identity", "plan", "health"])]);
      expect(decide(kari, note(c, "school", HEALTH), "read", "coordination", NOW)).toEqual({ allow: false, reason: "no_basis" });
      expect(decide(hilde, note(c, "school", HEALTH), "read", "coordination", NOW).allow).toBe(true);
    });

    it("a provision's deny is not shared with the coordinator either", () => {
      const c = circle([grant(NAV, ["identity", "health"], { denies: [{ categories: ["health"] }] }), grant(HEALTH, ["identity"])]);
      expect(decide(kari, note(c, "health", HEALTH), "read", "coordination", NOW).allow).toBe(false);
    });

    it("only for the purposes and actions the provision gives", () => {
      const c = circle([grant(HEALTH, ["health"])]);
      expect(decide(kari, note(c, "health", HEALTH), "read", "meeting", NOW).allow).toBe(false);
      expect(decide(kari, note(c, "health", HEALTH), "disclose", "coordination", NOW).allow).toBe(false);
    });

    it("a unit outside the circle keeps its data, whatever categories the consent shares", () => {
      const c = circle([grant(HEALTH, ["identity", "child_welfare"])]);
      expect(decide(kari, note(c, "child_welfare", CW), "read", "coordination", NOW)).toEqual({ allow: false, reason: "no_basis" });
      expect(decide(hilde, note(c, "child_welfare", CW), "read", "coordination", NOW)).toEqual({ allow: false, reason: "no_basis" });
    });

    it("a recipient unit that is not the managing unit gets only its own provision", () => {
      const c = circle([grant(HEALTH, ["identity", "health"]), grant(NAV, ["identity"])]);
      expect(decide(nils, note(c, "health", HEALTH), "read", "coordination", NOW)).toEqual({ allow: false, reason: "no_basis" });
    });
  });

  it("a volunteer unit never gets the case, even when records name it", () => {
    const frida: PolicyActor = { userId: "frida", municipalityId: MUNICIPALITY, unitIds: [VOLUNTEER] };
    const c = caseOf({
      participants: [{ unitId: VOLUNTEER, userIds: [] }],
      consents: [consent("c1", [grant(VOLUNTEER, ["identity", "plan"], { purposes: ["coordination", "referral"] })])],
      disclosures: [disclosure("d1", HEALTH, VOLUNTEER, ["identity"])],
    });
    expect(decide(frida, { case: c, category: "identity" }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "not_participant",
    });
    // The same records for a unit that is not a volunteer unit would let it in.
    expect(decide(frida, { case: { ...c, volunteerUnitIds: [] }, category: "identity" }, "read", "coordination", NOW).allow).toBe(true);
  });

  it("purpose referral never opens a case, not even the owner's own data", () => {
    const c = caseOf({ consents: [consent("c1", [grant(NAV, ["identity", "plan"], { purposes: ["referral"] })])] });
    expect(decide(nils, { case: c, category: "plan" }, "read", "referral", NOW)).toEqual({ allow: false, reason: "referral_purpose" });
    expect(decide(hilde, { case: c, category: "plan" }, "read", "referral", NOW)).toEqual({ allow: false, reason: "referral_purpose" });
  });

  it("never crosses a municipality border", () => {
    const c = caseOf({ consents: [consent("c1", [grant(NAV, ["plan"])])] });
    const bergen = { ...nils, municipalityId: "m-bergen" };
    expect(decide(bergen, { case: c, category: "plan" }, "read", "coordination", NOW)).toEqual({
      allow: false,
      reason: "other_municipality",
    });
  });
});
