import {
  categories,
  confidentialUnitKinds,
  decide,
  mayKnowParticipation,
  runsCase,
  type Basis,
  type CaseFacts,
  type Category,
  type DenyReason,
  type ParticipationContext,
  type PolicyActor,
} from "@laget/policy";
import type { Actor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import { authorizeCase, policyActor } from "./access.ts";
import { loadCaseFacts } from "./facts.ts";

/**
 * Who takes part in a case, who of them can see what and why, and who may know it.
 * Confidential participation (child welfare, police, kinds the municipality marks) is
 * decided by mayKnowParticipation in @laget/policy; every "can see" here is decide().
 */

/** What the confidentiality rule needs beyond the case facts: which units are confidential, who disclosed to whom. */
export async function loadParticipationContext(db: Db, facts: CaseFacts): Promise<ParticipationContext> {
  const unitIds = [...new Set([...facts.participants.map((p) => p.unitId), facts.owningUnitId])];
  const [municipality, units, disclosures] = await Promise.all([
    db.selectFrom("municipalities").select("confidential_unit_kinds").where("id", "=", facts.municipalityId).executeTakeFirstOrThrow(),
    db.selectFrom("units").select(["id", "kind"]).where("id", "in", unitIds).execute(),
    db.selectFrom("disclosures").select(["discloser_unit_id", "recipient_unit_id"]).where("case_id", "=", facts.caseId).execute(),
  ]);
  const kinds = confidentialUnitKinds(municipality.confidential_unit_kinds as string[]);
  return {
    case: facts,
    confidentialUnitIds: new Set(units.filter((u) => kinds.has(u.kind)).map((u) => u.id)),
    disclosures: disclosures.map((d) => ({ discloserUnitId: d.discloser_unit_id, recipientUnitId: d.recipient_unit_id })),
  };
}

/** The basis as a participant list shows it: no ids of consents or disclosures beyond the version. */
export type ShownBasis = { kind: "own_unit" } | { kind: "consent"; consentVersion: number } | { kind: "disclosure" };

/**
 * What one participant can see now. `canSee: false` says what would allow it:
 * `consent` (the family's consent or a legal-basis disclosure for the unit), or
 * `named` (the unit takes part through named people only, and this is not one of them).
 */
export type ParticipantAccess =
  | { canSee: true; basis: ShownBasis; categories: Category[] }
  | { canSee: false; needs: "consent" | "named" };

function shownBasis(basis: Basis): ShownBasis {
  if (basis.kind === "consent") return { kind: "consent", consentVersion: basis.consentVersion };
  return { kind: basis.kind };
}

/** decide() for one participant (a whole unit, or a named person with all of their units). */
export function accessOf(subject: PolicyActor, facts: CaseFacts, at: Date = new Date()): ParticipantAccess {
  const seen = decide(subject, { case: facts, category: "identity" }, "read", "coordination", at);
  if (!seen.allow) return { canSee: false, needs: needsFor(seen.reason) };
  const readable = categories.filter((category) => decide(subject, { case: facts, category }, "read", "coordination", at).allow);
  return { canSee: true, basis: shownBasis(seen.basis), categories: readable };
}

const needsFor = (reason: DenyReason): "consent" | "named" => (reason === "not_participant" ? "named" : "consent");

/** Someone of the unit who is nobody in particular: how decide() judges "everyone in the unit". */
export const anyoneIn = (facts: CaseFacts, unitId: string): PolicyActor => ({
  userId: `anyone-in:${unitId}`,
  municipalityId: facts.municipalityId,
  unitIds: [unitId],
});

/** Active units of each user (of the case's municipality): what a named person is judged with. */
export async function unitsOfUsers(db: Db, municipalityId: string, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("units as u", "u.id", "m.unit_id")
    .innerJoin("users as us", "us.id", "m.user_id")
    .select(["m.user_id", "m.unit_id"])
    .where("m.user_id", "in", [...new Set(userIds)])
    .where("u.valid_to", "is", null)
    .where("us.deactivated_at", "is", null)
    .where("u.municipality_id", "=", municipalityId)
    .execute();
  for (const r of rows) (byUser.get(r.user_id) ?? byUser.set(r.user_id, []).get(r.user_id)!).push(r.unit_id);
  return byUser;
}

/** Those of the users who may open the case now (identity, for coordination), as decide() judges them. */
export async function whoCanOpenCase(db: Db, caseId: string, userIds: readonly string[]): Promise<string[]> {
  const facts = (await loadCaseFacts(db, [caseId])).get(caseId);
  if (!facts || userIds.length === 0) return [];
  const units = await unitsOfUsers(db, facts.municipalityId, userIds);
  return [...new Set(userIds)].filter(
    (userId) =>
      decide({ userId, municipalityId: facts.municipalityId, unitIds: units.get(userId) ?? [] }, { case: facts, category: "identity" }, "read", "coordination").allow,
  );
}

export type ParticipantRow = {
  id: string;
  unit_id: string;
  unit_name: string;
  unit_kind: string;
  user_id: string | null;
  display_name: string | null;
  added_at: Date;
};

/**
 * The participant list as the viewer may see it: confidential units only for those with a
 * basis to know; and what each participant can see (and why) only where the viewer runs the
 * case, or about the viewer's own units. Whose access is explained never tells more than
 * the consent details the viewer may read.
 */
export async function participantsFor(db: Db, actor: Actor, facts: CaseFacts, rows: readonly ParticipantRow[]) {
  const viewer = policyActor(actor);
  const ctx = await loadParticipationContext(db, facts);
  const shown = rows.filter((r) => mayKnowParticipation(viewer, ctx, r.unit_id));
  const explainsAll = runsCase(viewer, facts);
  const mine = new Set(viewer.unitIds);
  const named = await unitsOfUsers(db, facts.municipalityId, shown.filter((r) => r.user_id).map((r) => r.user_id!));
  const now = new Date();
  return shown.map((p) => {
    const explained = explainsAll || mine.has(p.unit_id);
    const subject: PolicyActor = p.user_id
      ? { userId: p.user_id, municipalityId: facts.municipalityId, unitIds: named.get(p.user_id) ?? [] }
      : anyoneIn(facts, p.unit_id);
    return {
      id: p.id,
      unitId: p.unit_id,
      unitName: p.unit_name,
      // The kind says no more than the name already does; kept for the screen's wording.
      unitKind: p.unit_kind,
      userId: p.user_id,
      userName: p.display_name,
      addedAt: p.added_at,
      access: explained ? accessOf(subject, facts, now) : null,
    };
  });
}

/** Users of the case's participant units and its coordinator, with their active units: everyone decide() could admit. */
async function candidateReaders(db: Db, facts: CaseFacts) {
  const participantUnits = facts.participants.map((p) => p.unitId);
  return db
    .selectFrom("memberships as m")
    .innerJoin("units as u", "u.id", "m.unit_id")
    .innerJoin("users as us", "us.id", "m.user_id")
    .select(["m.user_id", "m.unit_id", "us.display_name", "u.name as unit_name"])
    .where("us.deactivated_at", "is", null)
    .where("u.valid_to", "is", null)
    .where("u.municipality_id", "=", facts.municipalityId)
    .where("us.municipality_id", "=", facts.municipalityId)
    .where((eb) =>
      eb.or([
        eb("m.user_id", "=", facts.coordinatorUserId),
        ...(participantUnits.length
          ? [eb("m.user_id", "in", eb.selectFrom("memberships").select("user_id").where("unit_id", "in", participantUnits))]
          : []),
      ]),
    )
    .execute();
}

export type CaseReader = { userId: string; displayName: string; basis: Basis; unitName: string };

/** Everyone who may read `category` of the case now, each with the basis decide() found. */
export async function caseReadersWithBasis(db: Db, facts: CaseFacts, category: Category, at: Date = new Date()): Promise<CaseReader[]> {
  const rows = await candidateReaders(db, facts);
  const byUser = new Map<string, { displayName: string; units: Map<string, string> }>();
  for (const r of rows) {
    const entry = byUser.get(r.user_id) ?? byUser.set(r.user_id, { displayName: r.display_name, units: new Map() }).get(r.user_id)!;
    entry.units.set(r.unit_id, r.unit_name);
  }
  return [...byUser].flatMap(([userId, { displayName, units }]) => {
    const d = decide({ userId, municipalityId: facts.municipalityId, unitIds: [...units.keys()] }, { case: facts, category }, "read", "coordination", at);
    return d.allow ? [{ userId, displayName, basis: d.basis, unitName: units.get(d.basis.unitId) ?? "" }] : [];
  });
}

/**
 * Who may read `category` of the case now, among the people the viewer may know take part:
 * a reader through child welfare (or another confidential unit) is left out for a viewer
 * without a basis to know it. The coordinator is always known (the case page names them).
 */
export async function knownReaders(db: Db, actor: Actor, facts: CaseFacts, category: Category): Promise<CaseReader[]> {
  const viewer = policyActor(actor);
  const [ctx, readers] = await Promise.all([loadParticipationContext(db, facts), caseReadersWithBasis(db, facts, category)]);
  return readers.filter((r) => r.userId === facts.coordinatorUserId || mayKnowParticipation(viewer, ctx, r.basis.unitId));
}

/**
 * Which of these people the viewer may know take part in the case: the coordinator (the
 * case page names them), the viewer, and anyone in no confidential unit (child welfare,
 * police, kinds the municipality marks) whose taking part the viewer has no basis to know.
 * For naming people outside the participant list (a handover's parties): a barnevern
 * caseworker's name tells that barnevern takes part.
 */
export async function knownPeople(db: Db, actor: Actor, facts: CaseFacts, userIds: readonly string[]): Promise<Set<string>> {
  const viewer = policyActor(actor);
  const ids = [...new Set(userIds)];
  const [ctx, municipality, memberships] = await Promise.all([
    loadParticipationContext(db, facts),
    db.selectFrom("municipalities").select("confidential_unit_kinds").where("id", "=", facts.municipalityId).executeTakeFirstOrThrow(),
    // Every unit they belong to, even if they or it have since been deactivated: a
    // former barnevern caseworker's name tells as much.
    ids.length
      ? db
          .selectFrom("memberships as m")
          .innerJoin("units as u", "u.id", "m.unit_id")
          .select(["m.user_id", "m.unit_id", "u.kind"])
          .where("m.user_id", "in", ids)
          .where("u.municipality_id", "=", facts.municipalityId)
          .execute()
      : Promise.resolve([]),
  ]);
  const kinds = confidentialUnitKinds(municipality.confidential_unit_kinds as string[]);
  const units = new Map<string, string[]>();
  for (const m of memberships) units.set(m.user_id, [...(units.get(m.user_id) ?? []), m.unit_id]);
  // Every confidential unit of these people counts, whether it takes part now or not.
  const confidential = new Set([...ctx.confidentialUnitIds, ...memberships.filter((m) => kinds.has(m.kind)).map((m) => m.unit_id)]);
  const wider: ParticipationContext = { ...ctx, confidentialUnitIds: confidential };
  return new Set(
    ids.filter(
      (id) =>
        id === facts.coordinatorUserId ||
        id === actor.id ||
        (units.get(id) ?? []).every((unitId) => mayKnowParticipation(viewer, wider, unitId)),
    ),
  );
}

/**
 * Who can see the case (`identity`), its plan or its thread now, for choosing a measure's
 * responsible person, a handover's recipient or a mention: decided per user.
 */
export async function caseAudience({ db, actor, caseId, category }: { db: Db; actor: Actor; caseId: string; category: "identity" | "plan" | "conversation" }) {
  const { facts } = await authorizeCase(db, actor, caseId, {
    category: "identity",
    action: "read",
    purpose: "coordination",
    auditAction: "case.audience",
    resourceType: "case",
  });
  const readers = await knownReaders(db, actor, facts, category);
  return readers
    .map((r) => ({ userId: r.userId, displayName: r.displayName, unitId: r.basis.unitId, unitName: r.unitName }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, "nb"));
}
