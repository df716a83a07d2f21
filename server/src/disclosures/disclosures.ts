import type { AsActor } from "../auth/actor.ts";
import { ledUnitIds, mayDisclose, mayReadDisclosure, mayReviewDisclosure, mayRevokeDisclosure, type Category, type Purpose } from "@laget/policy";
import { appendAudit } from "../audit/log.ts";
import { authorizeCase, policyActor, readCase } from "../cases/access.ts";
import type { AsActorWithBus, AsActorWithRealtime } from "../cases/call.ts";
import { ensureParticipant } from "../cases/case-changes.ts";
import { caseLapse } from "../cases/lapse.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { accessChanged } from "../events/bus.ts";
import { notify } from "../notifications/notifications.ts";

/** Norwegian defaults; a municipality may add its own (legal_statutes). */
export const defaultStatutes = [
  { key: "bvl-13-1", title: "Opplysningsplikt til barnevernet", reference: "barnevernsloven § 13-2 og § 6-4 (forvaltningsloven § 13 b)" },
  { key: "avverge", title: "Avverge fare for liv og helse", reference: "helsepersonelloven § 31 / straffeloven § 196" },
  { key: "fvl-13b-5", title: "Egne oppgaver (nødvendig for å utføre tjenestens oppgaver)", reference: "forvaltningsloven § 13 b første ledd nr. 5" },
  { key: "anonym", title: "Anonymisert drøfting", reference: "forvaltningsloven § 13 a nr. 2" },
] as const;

export async function seedStatutes(db: Db, municipalityId: string): Promise<void> {
  await db
    .insertInto("legal_statutes")
    .values(defaultStatutes.map((s) => ({ municipality_id: municipalityId, ...s })))
    .onConflict((oc) => oc.columns(["municipality_id", "key"]).doNothing())
    .execute();
}

export async function listStatutes({ db, actor }: AsActor) {
  const rows = await db
    .selectFrom("legal_statutes")
    .select(["id", "key", "title", "reference"])
    .where("municipality_id", "=", actor.municipalityId)
    .where("active", "=", true)
    .orderBy("title")
    .execute();
  return rows;
}

/**
 * Shares case data with a unit on a legal basis instead of consent. Only the unit that
 * owns the case data discloses it; the recipient unit joins the case; the discloser's
 * leaders get it in their review queue.
 */
export async function createDisclosure({
  db,
  realtime,
  actor,
  ...input
}: AsActorWithRealtime & { caseId: string; statuteId: string; recipientUnitId: string; categories: Category[]; purposes: Purpose[]; justification: string; validUntil?: Date | null }) {
  const access = await authorizeCase(db, actor, input.caseId, {
    category: "identity",
    action: "read",
    purpose: "coordination",
    auditAction: "disclosure.create",
    resourceType: "disclosure",
    // Recorded once, below, when the disclosure exists.
    recordAllowed: false,
  });
  const verdict = mayDisclose(access.facts, access.basis);
  if (!verdict.allow && verdict.reason === "case_closed") throw new AppError("CASE_CLOSED");
  if (!verdict.allow || access.basis.kind !== "own_unit") throw new AppError("NO_BASIS", "only the unit that owns the data can disclose it");
  const discloserUnit = access.basis.unitId;
  const [statute, recipient] = await Promise.all([
    db.selectFrom("legal_statutes").select("id").where("id", "=", input.statuteId).where("municipality_id", "=", actor.municipalityId).where("active", "=", true).executeTakeFirst(),
    db.selectFrom("units").select(["id", "kind"]).where("id", "=", input.recipientUnitId).where("municipality_id", "=", actor.municipalityId).where("valid_to", "is", null).executeTakeFirst(),
  ]);
  if (!statute || !recipient) throw new AppError("NOT_FOUND");
  if (recipient.kind === "volunteer") throw new AppError("VOLUNTEER_NOT_PARTICIPANT");
  const disclosure = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("disclosures")
      .values({
        case_id: input.caseId,
        statute_id: input.statuteId,
        discloser_user_id: actor.id,
        discloser_unit_id: discloserUnit,
        recipient_unit_id: input.recipientUnitId,
        categories: JSON.stringify(input.categories),
        purposes: JSON.stringify(input.purposes),
        justification: input.justification,
        valid_until: input.validUntil ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await ensureParticipant({ db: trx, caseId: input.caseId, unitId: input.recipientUnitId, userId: null, addedBy: actor.id });
    await appendAudit(trx, actor.municipalityId, [
      {
        actorUserId: actor.id,
        actorUnitId: discloserUnit,
        action: "disclosure.create",
        resourceType: "disclosure",
        resourceId: row.id,
        caseId: input.caseId,
        // The discloser acts on their own unit's data; the disclosure is what they made.
        basis: access.basis,
        purpose: input.purposes[0] ?? "coordination",
      },
    ]);
    return row;
  });
  const leaders = await db
    .selectFrom("memberships")
    .select("user_id")
    .where("unit_id", "=", discloserUnit)
    .where("role", "=", "leader")
    .execute();
  realtime.deliver(await notify({ db, userIds: leaders.map((l) => l.user_id), kind: "disclosure_to_review", caseId: null, dedupeKey: `disclosure-review:${disclosure.id}` }));
  return { disclosureId: disclosure.id };
}

export async function revokeDisclosure({ db, bus, actor, disclosureId }: AsActorWithBus & { disclosureId: string }) {
  const d = await db
    .selectFrom("disclosures")
    .innerJoin("cases", "cases.id", "disclosures.case_id")
    .select(["disclosures.id", "disclosures.case_id", "disclosures.discloser_user_id", "disclosures.discloser_unit_id", "disclosures.recipient_unit_id", "disclosures.revoked_at"])
    .where("disclosures.id", "=", disclosureId)
    .where("cases.municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  if (!d || !mayRevokeDisclosure(policyActor(actor), { discloserUserId: d.discloser_user_id, discloserUnitId: d.discloser_unit_id })) throw new AppError("NOT_FOUND");
  if (d.revoked_at) return;
  const lapse = await caseLapse(db, [d.case_id]);
  await db.updateTable("disclosures").set({ revoked_at: new Date() }).where("id", "=", disclosureId).execute();
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: d.discloser_unit_id, action: "disclosure.revoke", resourceType: "disclosure", resourceId: d.id, caseId: d.case_id, basis: null, purpose: "coordination" },
  ]);
  await lapse.publish(bus, accessChanged(d.case_id, actor.municipalityId, "disclosure_revoked", [d.recipient_unit_id]));
}

/**
 * The case's disclosures the actor may read (who got what, on which statute, why): only
 * its discloser unit, its recipient unit, the coordinator and the discloser's leaders
 * (mayReadDisclosure). That a disclosure to child welfare exists is itself confidential.
 */
export async function listCaseDisclosures({ db, actor, caseId }: AsActor & { caseId: string }) {
  const { facts } = await readCase({ db, actor, caseId, auditAction: "disclosure.list", resourceType: "disclosure" });
  const rows = await disclosureRows(db).where("d.case_id", "=", caseId).execute();
  const subject = policyActor(actor);
  const viewer = { ...subject, leaderOf: ledUnitIds(subject) };
  return rows
    .filter((r) => mayReadDisclosure(viewer, facts, { discloserUnitId: r.discloser_unit_id, recipientUnitId: r.recipient_unit_id }))
    // Who may revoke: the policy's rule, as revokeDisclosure asks it.
    .map((r) => ({ ...toDisclosure(r), mayRevoke: mayRevokeDisclosure(subject, { discloserUserId: r.discloser_user_id, discloserUnitId: r.discloser_unit_id }) }));
}

function disclosureRows(db: Db) {
  return db
    .selectFrom("disclosures as d")
    .innerJoin("legal_statutes as s", "s.id", "d.statute_id")
    .innerJoin("units as from", "from.id", "d.discloser_unit_id")
    .innerJoin("units as to", "to.id", "d.recipient_unit_id")
    .innerJoin("users as u", "u.id", "d.discloser_user_id")
    .leftJoin("users as r", "r.id", "d.reviewed_by")
    .select([
      "d.id", "d.case_id", "d.discloser_user_id", "d.discloser_unit_id", "d.recipient_unit_id", "d.categories", "d.purposes", "d.justification", "d.created_at", "d.valid_until", "d.revoked_at",
      "d.reviewed_at", "d.review_outcome", "d.review_note", "s.key as statute_key", "s.title as statute_title", "s.reference as statute_reference",
      "from.name as from_unit", "to.name as to_unit", "u.display_name as discloser_name", "r.display_name as reviewer_name",
    ])
    .orderBy("d.created_at", "desc");
}

type DisclosureRow = Awaited<ReturnType<ReturnType<typeof disclosureRows>["execute"]>>[number];
function toDisclosure(r: DisclosureRow) {
  return {
    id: r.id,
    caseId: r.case_id,
    statuteKey: r.statute_key,
    statuteTitle: r.statute_title,
    statuteReference: r.statute_reference,
    fromUnit: r.from_unit,
    toUnit: r.to_unit,
    discloserName: r.discloser_name,
    categories: r.categories as Category[],
    purposes: r.purposes as Purpose[],
    justification: r.justification,
    createdAt: r.created_at,
    validUntil: r.valid_until,
    revoked: r.revoked_at !== null,
    review: r.reviewed_at ? { at: r.reviewed_at, outcome: r.review_outcome as "approved" | "questioned", note: r.review_note, by: r.reviewer_name } : null,
  };
}

/** A leader's review queue: disclosures made from the units they lead. No subject names. */
export async function disclosureReviewQueue({ db, actor }: AsActor) {
  const units = ledUnitIds(policyActor(actor));
  if (units.length === 0) throw new AppError("FORBIDDEN");
  const rows = await disclosureRows(db).where("d.discloser_unit_id", "in", units).limit(500).execute();
  // Justifications can hold personal data: reading the queue is audited, one event per disclosure.
  await appendAudit(
    db,
    actor.municipalityId,
    rows.map((r) => ({
      actorUserId: actor.id,
      actorUnitId: null,
      action: "disclosure.review_read",
      resourceType: "disclosure",
      resourceId: r.id,
      caseId: r.case_id,
      basis: null,
      purpose: "coordination" as const,
    })),
  );
  return rows.map(toDisclosure);
}

export async function reviewDisclosure({ db, actor, ...input }: AsActor & { disclosureId: string; outcome: "approved" | "questioned"; note?: string }) {
  const d = await db.selectFrom("disclosures").select(["id", "case_id", "discloser_unit_id"]).where("id", "=", input.disclosureId).executeTakeFirst();
  // A leader of the disclosing unit reviews it (mayReviewDisclosure); to anyone else it does not exist.
  if (!d || !mayReviewDisclosure(policyActor(actor), { discloserUnitId: d.discloser_unit_id })) throw new AppError("NOT_FOUND");
  await db
    .updateTable("disclosures")
    .set({ reviewed_by: actor.id, reviewed_at: new Date(), review_outcome: input.outcome, review_note: input.note ?? null })
    .where("id", "=", d.id)
    .execute();
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: d.discloser_unit_id, action: `disclosure.review.${input.outcome}`, resourceType: "disclosure", resourceId: d.id, caseId: d.case_id, basis: null, purpose: "coordination" },
  ]);
}
