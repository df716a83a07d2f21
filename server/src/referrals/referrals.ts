import type { CreateReferralInput, ReferralBox, ReferralMove, ReferralRecipient, ReferralSummary, ReferralView } from "@laget/domain";
import { referralDataSchema } from "@laget/domain";
import {
  decideReferral,
  referralConsentCovers,
  referralTransition,
  type ConsentSnapshot,
  type ReferralMover,
  type ReferralResource,
  type ReferralStatus,
} from "@laget/policy";
import { randomUUID } from "node:crypto";
import type { Actor, AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { authorizeCase, policyActor } from "../cases/access.ts";
import { consentSnapshotColumns, consentSnapshotOf } from "../cases/facts.ts";
import type { AsActorWithBus } from "../cases/call.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import { notifyNow } from "../notifications/notifications.ts";
import { authorizeReferral, moverOf, recordReferralAccess, referralRefusal, referralResource, visibleReferralIds, type Referral } from "./access.ts";
import { publishReferralChanged } from "./events.ts";
import { applyMove, inTransaction } from "./lifecycle.ts";
import { referralSummaries, referralView } from "./projection.ts";

/**
 * Referrals from a case to a volunteer unit or its offer (DESIGN.md §7): made by one who
 * reads the case, holding only the minimum data, sent under a consent that covers the
 * recipient for purpose `referral`; then moved along the policy's lifecycle table by
 * each side. Every read and write of one is audited (recordReferralAccess).
 */

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** Reading the case to refer from: its identity, for coordination (audited as `auditAction`). */
const readCaseFor = ({ db, actor, caseId, auditAction, recordAllowed = true }: AsActor & { caseId: string; auditAction: string; recordAllowed?: boolean }) =>
  authorizeCase(db, actor, caseId, { category: "identity", action: "read", purpose: "coordination", auditAction, resourceType: "case", recordAllowed });

/** The case's consents in force now, newest first, as the policy sees them. */
async function consentsInForce(db: Db, caseId: string): Promise<ConsentSnapshot[]> {
  const rows = await db
    .selectFrom("consents")
    .select(consentSnapshotColumns)
    .where("case_id", "=", caseId)
    .where("status", "=", "active")
    .orderBy("activated_at", "desc")
    .orderBy("version", "desc")
    .execute();
  return rows.map(consentSnapshotOf);
}

/** The referral as the policy would judge it, resting on this consent. */
function withConsent(resource: ReferralResource, consent: ConsentSnapshot | null): ReferralResource {
  if (!consent) return { ...resource, consentId: NO_ID, consentVersion: 0, consent: undefined };
  return { ...resource, consentId: consent.id, consentVersion: consent.version, consent };
}

/**
 * The newest consent in force of the case that covers sending a referral to this unit
 * (purpose `referral`, category identity), as referralConsentCovers judges it, or null.
 */
export async function coveringConsent({ db, caseId, resource, at = new Date() }: { db: Db; caseId: string; resource: ReferralResource; at?: Date }): Promise<ConsentSnapshot | null> {
  for (const consent of await consentsInForce(db, caseId)) if (referralConsentCovers(withConsent(resource, consent), at)) return consent;
  return null;
}

/** A draft's resource before it exists (to judge sending it). */
function draftResource({ actor, facts, referringUnitId, recipientUnitId }: { actor: Actor; facts: { caseId: string; coordinatorUserId: string }; referringUnitId: string; recipientUnitId: string }): ReferralResource {
  return {
    kind: "referral",
    referralId: NO_ID,
    municipalityId: actor.municipalityId,
    referringUnitId,
    referredByUserId: actor.id,
    recipientUnitId,
    caseCoordinatorUserId: facts.coordinatorUserId,
    consentId: NO_ID,
    consentVersion: 0,
    status: "draft",
    sent: false,
  };
}

/** The municipality's units that take referrals: volunteer units and units with a published offer, with those offers. */
async function recipientUnits(db: Db, municipalityId: string, unitId?: string) {
  let units = db
    .selectFrom("units")
    .select(["id", "name"])
    .where("municipality_id", "=", municipalityId)
    .where("valid_to", "is", null)
    .where((eb) =>
      eb.or([
        eb("kind", "=", "volunteer"),
        eb.exists(eb.selectFrom("offers").select("offers.id").whereRef("offers.owner_unit_id", "=", "units.id").where("offers.published", "=", true).where("offers.archived_at", "is", null)),
      ]),
    );
  if (unitId) units = units.where("id", "=", unitId);
  const rows = await units.orderBy("name").execute();
  const offers = rows.length
    ? await db
        .selectFrom("offers")
        .select(["id", "title", "owner_unit_id"])
        .where("owner_unit_id", "in", rows.map((r) => r.id))
        .where("published", "=", true)
        .where("archived_at", "is", null)
        .orderBy("title")
        .execute()
    : [];
  return rows.map((u) => ({ unitId: u.id, unitName: u.name, offers: offers.filter((o) => o.owner_unit_id === u.id).map((o) => ({ id: o.id, title: o.title })) }));
}

export async function listRecipients({ db, actor, caseId }: AsActor & { caseId: string }): Promise<ReferralRecipient[]> {
  const access = await readCaseFor({ db, actor, caseId, auditAction: "referral.recipients" });
  const units = await recipientUnits(db, actor.municipalityId);
  const consents = await consentsInForce(db, caseId);
  const now = new Date();
  return units.map((u) => {
    const resource = draftResource({ actor, facts: access.facts, referringUnitId: access.basis.unitId, recipientUnitId: u.unitId });
    const consent = consents.find((c) => referralConsentCovers(withConsent(resource, c), now)) ?? null;
    return { ...u, consent: consent ? { consentId: consent.id, consentVersion: consent.version } : null };
  });
}

/** Age in whole years today, from a birth date or (roughly) a birth year. */
function ageToday(subject: { birth_date: string | null; birth_year: number | null }, on = new Date()): number | null {
  if (subject.birth_date) {
    const [y, m, d] = subject.birth_date.split("-").map(Number) as [number, number, number];
    const had = on.getUTCMonth() + 1 > m || (on.getUTCMonth() + 1 === m && on.getUTCDate() >= d);
    return on.getUTCFullYear() - y - (had ? 0 : 1);
  }
  return subject.birth_year === null ? null : on.getUTCFullYear() - subject.birth_year;
}

/** The form's first name and age, from the case's subject (read as its identity). */
export async function prefillReferral({ db, actor, caseId, subjectId }: AsActor & { caseId: string; subjectId: string }): Promise<{ firstName: string; age: number | null }> {
  await readCaseFor({ db, actor, caseId, auditAction: "referral.prefill" });
  const subject = await db.selectFrom("case_subjects").select(["name", "birth_date", "birth_year"]).where("id", "=", subjectId).where("case_id", "=", caseId).executeTakeFirst();
  if (!subject) throw new AppError("NOT_FOUND");
  return { firstName: subject.name.trim().split(/\s+/)[0] ?? "", age: ageToday(subject) };
}

const workingDaysOf = async (db: Db, municipalityId: string) =>
  (await db.selectFrom("municipalities").select("referral_response_days").where("id", "=", municipalityId).executeTakeFirstOrThrow()).referral_response_days;

/** Audit names of each move. */
const moveAudit: Record<ReferralStatus, string> = {
  draft: "referral.create",
  sent: "referral.send",
  received: "referral.claim",
  accepted: "referral.accept",
  declined: "referral.decline",
  on_hold: "referral.hold",
  in_progress: "referral.start",
  completed: "referral.complete",
  failed: "referral.fail",
  cancelled: "referral.cancel",
};

/** Who hears of a move (after it committed): both sides live; the recipient's members of a send or a withdrawal; the referrer and coordinator of an answer. */
export async function announceMove({ db, bus, referral, from, actorUserId }: { db: Db; bus: EventBus; referral: Referral; from: ReferralStatus; actorUserId: string | null }) {
  await publishReferralChanged({ db, bus, referralId: referral.id, exceptUserId: actorUserId });
  const to = referral.status as ReferralStatus;
  const members = async () =>
    (
      await db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.user_id")
        .select("users.id")
        .where("memberships.unit_id", "=", referral.recipient_unit_id)
        .where("users.deactivated_at", "is", null)
        .execute()
    ).map((u) => u.id);
  const except = (ids: string[]) => ids.filter((id) => id !== actorUserId);
  if (to === "sent") await notifyNow({ db, bus, userIds: except(await members()), kind: "referral_received", caseId: null });
  else if (to === "cancelled" && from !== "draft") await notifyNow({ db, bus, userIds: except(await members()), kind: "referral_withdrawn", caseId: null });
  else if (["accepted", "declined", "on_hold", "completed", "failed"].includes(to)) {
    const kase = await db.selectFrom("cases").select("coordinator_user_id").where("id", "=", referral.case_id).executeTakeFirstOrThrow();
    await notifyNow({ db, bus, userIds: except([referral.referred_by, kase.coordinator_user_id]), kind: "referral_answered", caseId: referral.case_id });
  }
}

/** A recipient that takes referrals, and an offer of its own (else REFERRAL_RECIPIENT_INVALID). */
async function checkRecipient({ db, municipalityId, recipientUnitId, offerId }: { db: Db; municipalityId: string; recipientUnitId: string; offerId: string | undefined }) {
  const [unit] = await recipientUnits(db, municipalityId, recipientUnitId);
  if (!unit) throw new AppError("REFERRAL_RECIPIENT_INVALID");
  if (offerId && !unit.offers.some((o) => o.id === offerId)) throw new AppError("REFERRAL_RECIPIENT_INVALID");
}

/**
 * Makes a referral as a draft, sent at once when `send`. It always rests on the case's
 * consent that covers its recipient for purpose `referral` (REFERRAL_CONSENT_MISSING
 * without one, and then nothing is stored): a draft holds the child's data too.
 */
export async function createReferral({ db, bus, actor, ...input }: AsActorWithBus & CreateReferralInput): Promise<{ referralId: string }> {
  const data = referralDataSchema.parse(input.data);
  const access = await readCaseFor({ db, actor, caseId: input.caseId, auditAction: "referral.create", recordAllowed: false });
  if (access.facts.status === "closed") throw new AppError("CASE_CLOSED");
  const subject = await db.selectFrom("case_subjects").select("id").where("id", "=", input.subjectId).where("case_id", "=", input.caseId).executeTakeFirst();
  if (!subject) throw new AppError("NOT_FOUND");
  await checkRecipient({ db, municipalityId: actor.municipalityId, recipientUnitId: input.recipientUnitId, offerId: input.offerId });
  const base = draftResource({ actor, facts: access.facts, referringUnitId: access.basis.unitId, recipientUnitId: input.recipientUnitId });
  const consent = await coveringConsent({ db, caseId: input.caseId, resource: base });
  if (!consent) throw new AppError("REFERRAL_CONSENT_MISSING");
  const resource = withConsent(base, consent);
  if (input.send) {
    const judgement = decideReferral(policyActor(actor), resource, "send");
    if (!judgement.allow) throw referralRefusal(judgement);
  }
  const id = randomUUID();
  const workingDays = await workingDaysOf(db, actor.municipalityId);
  const referral = await db.transaction().execute(async (trx) => {
    let row = await trx
      .insertInto("referrals")
      .values({
        id,
        municipality_id: actor.municipalityId,
        case_id: input.caseId,
        subject_id: input.subjectId,
        referring_unit_id: access.basis.unitId,
        referred_by: actor.id,
        recipient_unit_id: input.recipientUnitId,
        offer_id: input.offerId ?? null,
        consent_id: consent.id,
        consent_version: consent.version,
        data: JSON.stringify(data),
        support_scheme: input.supportScheme,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto("referral_events").values({ referral_id: id, from_status: null, to_status: "draft", fhir_status: "draft", actor_user_id: actor.id }).execute();
    await recordReferralAccess({ db: trx, actor, referral: row, action: "referral.create" });
    if (input.send) {
      row = await applyMove({ db: trx, referralId: id, from: "draft", move: { to: "sent" }, by: "referrer", actorUserId: actor.id, consent, workingDays });
      await recordReferralAccess({ db: trx, actor, referral: row, action: "referral.send" });
    }
    return row;
  });
  if (input.send) await announceMove({ db, bus, referral, from: "draft", actorUserId: actor.id });
  return { referralId: id };
}

/**
 * A move the table no longer allows from here, but did from a status this referral has
 * passed through, was overtaken: someone answered first (two contacts claiming, an accept
 * against a decline). That is REFERRAL_ALREADY_ANSWERED whether the other answer
 * committed before this one was read or while it was applied; any other is `refusal`.
 */
async function lostRace({ db, referralId, to, by, refusal }: { db: Db; referralId: string; to: ReferralStatus; by: ReferralMover; refusal: AppError }): Promise<AppError> {
  if (refusal.code !== "INVALID_STATE") return refusal;
  const passed = await db.selectFrom("referral_events").select("from_status").where("referral_id", "=", referralId).where("from_status", "is not", null).execute();
  return passed.some((e) => referralTransition(e.from_status as ReferralStatus, to, by)) ? new AppError("REFERRAL_ALREADY_ANSWERED") : refusal;
}

/** One move by the actor, on their side of the referral (the table decides where to). */
export async function moveReferral({ db, bus, actor, referralId, move }: AsActorWithBus & { referralId: string; move: ReferralMove }): Promise<ReferralView> {
  const found = await referralResource({ db, referralId });
  if (!found || found.referral.municipality_id !== actor.municipalityId) throw new AppError("NOT_FOUND");
  const subject = policyActor(actor);
  const by = moverOf(actor, found.resource);
  if (!by) throw new AppError("NOT_FOUND");
  const from = found.resource.status;
  let resource = found.resource;
  let consent: ConsentSnapshot | null = null;
  if (by === "referrer" && move.to === "sent") {
    // Sent under the consent that covers the recipient now (it may be a newer version than the draft's).
    consent = await coveringConsent({ db, caseId: found.referral.case_id, resource });
    resource = withConsent(resource, consent);
  }
  const action = by === "recipient" ? "respond" : move.to === "sent" ? "send" : "update";
  const judgement = decideReferral(subject, resource, action);
  if (!judgement.allow) throw await lostRace({ db, referralId, to: move.to, by, refusal: referralRefusal(judgement) });
  if (!referralTransition(from, move.to, by)) throw await lostRace({ db, referralId, to: move.to, by, refusal: new AppError("INVALID_STATE") });
  if (move.to === "declined" && move.suggestedOfferId) {
    const offer = await db
      .selectFrom("offers")
      .select("id")
      .where("id", "=", move.suggestedOfferId)
      .where("municipality_id", "=", actor.municipalityId)
      .where("published", "=", true)
      .where("archived_at", "is", null)
      .executeTakeFirst();
    if (!offer) throw new AppError("NOT_FOUND");
  }
  const workingDays = move.to === "sent" ? await workingDaysOf(db, actor.municipalityId) : undefined;
  const updated = await inTransaction(db, async (trx) => {
    // (A move that loses the race inside the guarded update is REFERRAL_ALREADY_ANSWERED there.)
    const row = await applyMove({
      db: trx,
      referralId,
      from,
      move,
      by,
      actorUserId: actor.id,
      ...(consent ? { consent: { id: consent.id, version: consent.version } } : {}),
      ...(workingDays !== undefined ? { workingDays } : {}),
      // A draft the recipient never saw keeps nothing of the child once cancelled.
      redact: move.to === "cancelled" && from === "draft",
    });
    await recordReferralAccess({ db: trx, actor, referral: row, action: moveAudit[move.to] });
    return row;
  });
  await announceMove({ db, bus, referral: updated, from, actorUserId: actor.id });
  const after = (await referralResource({ db, referralId }))!;
  return referralView({ db, actor, referral: after.referral, resource: after.resource });
}

export async function getReferral({ db, actor, referralId }: AsActor & { referralId: string }): Promise<ReferralView> {
  const found = await authorizeReferral({ db, actor, referralId, action: "read", audit: "referral.read" });
  return referralView({ db, actor, referral: found.referral, resource: found.resource });
}

/** Audits each referral listed (one append for the lot). */
async function recordListed({ db, actor, referrals, action }: AsActor & { referrals: readonly Referral[]; action: string }) {
  if (referrals.length === 0) return;
  const unitOf = (r: Referral) =>
    actor.memberships.find((m) => m.unitId === r.recipient_unit_id)?.unitId ?? actor.memberships.find((m) => m.unitId === r.referring_unit_id)?.unitId ?? actor.memberships[0]?.unitId ?? null;
  await appendAudit(
    db,
    actor.municipalityId,
    referrals.map((r) => {
      const unitId = unitOf(r);
      return {
        actorUserId: actor.id,
        actorUnitId: unitId,
        action,
        resourceType: "referral",
        resourceId: r.id,
        caseId: r.case_id,
        basis: unitId ? { kind: "consent" as const, consentId: r.consent_id, consentVersion: r.consent_version, unitId } : null,
        purpose: "referral" as const,
      };
    }),
  );
}

const LIST_LIMIT = 500;

/** The inbox (referrals to the actor's units, once sent) or the sent list (those the actor made or coordinates), filtered in SQL before the limit. */
export async function listReferrals({ db, actor, box, statuses }: AsActor & { box: ReferralBox; statuses?: ReferralStatus[] }): Promise<ReferralSummary[]> {
  const units = [...new Set(actor.memberships.map((m) => m.unitId))];
  let query = db
    .selectFrom("referrals as r")
    .innerJoin("cases as c", "c.id", "r.case_id")
    .selectAll("r")
    .where("r.id", "in", visibleReferralIds({ db, actor }))
    .where("r.municipality_id", "=", actor.municipalityId);
  // The inbox is the policy's recipient side in SQL: sent (`sent_at`, the policy's `sent`) and not a draft.
  if (box === "inbox") query = query.where("r.recipient_unit_id", "in", units.length ? units : [NO_ID]).where("r.status", "!=", "draft").where("r.sent_at", "is not", null);
  else
    query = query.where((eb) =>
      eb.or([eb.and([eb("r.referred_by", "=", actor.id), eb("r.referring_unit_id", "in", units.length ? units : [NO_ID])]), eb("c.coordinator_user_id", "=", actor.id)]),
    );
  if (statuses) query = query.where("r.status", "in", statuses.length ? statuses : ["none"]);
  const rows = await query.orderBy("r.updated_at", "desc").orderBy("r.id").limit(LIST_LIMIT).execute();
  await recordListed({ db, actor, referrals: rows, action: "referral.list" });
  return referralSummaries(db, rows);
}

/** The referrals made from one case, for those on its referring side (the case read first). */
export async function referralsForCase({ db, actor, caseId }: AsActor & { caseId: string }): Promise<ReferralView[]> {
  await readCaseFor({ db, actor, caseId, auditAction: "referral.for_case" });
  const rows = await db
    .selectFrom("referrals as r")
    .innerJoin("cases as c", "c.id", "r.case_id")
    .select("r.id")
    .where("r.case_id", "=", caseId)
    .where("r.id", "in", visibleReferralIds({ db, actor }))
    .orderBy("r.created_at", "desc")
    .limit(LIST_LIMIT)
    .execute();
  const views: ReferralView[] = [];
  const listed: Referral[] = [];
  for (const { id } of rows) {
    const found = await referralResource({ db, referralId: id });
    if (!found || moverOf(actor, found.resource) !== "referrer") continue;
    listed.push(found.referral);
    views.push(await referralView({ db, actor, referral: found.referral, resource: found.resource }));
  }
  await recordListed({ db, actor, referrals: listed, action: "referral.for_case" });
  return views;
}
