import type { ConsentTerms } from "@laget/domain";
import { consentReadScope, type Basis, type ConsentStatus, type Provision } from "@laget/policy";
import { randomUUID } from "node:crypto";
import type { Actor, AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { policyActor, readCase } from "../cases/access.ts";
import type { AsActorWithBus } from "../cases/call.ts";
import { authorizeCoordinator, ensureParticipant, volunteerUnitsAmong } from "../cases/case-changes.ts";
import { caseLapse } from "../cases/lapse.ts";
import { whoCanOpenCase } from "../cases/participants.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { accessChanged, type AccessChangedReason } from "../events/bus.ts";
import { notifyNow } from "../notifications/notifications.ts";
import { cancelReferralsWithoutBasis } from "../referrals/basis.ts";

/**
 * Consent records (DESIGN.md §4.1–4.2). States: draft → requested → active →
 * withdrawn | expired | superseded | invalidated; requested → refused. Terms are locked
 * once active (the database enforces it too): a change is a new version that
 * supersedes the old when it is activated. Every state change lands in consent_history.
 */

type Transition = { from: readonly ConsentStatus[]; to: ConsentStatus };
const transitions = {
  request: { from: ["draft"], to: "requested" },
  activate: { from: ["draft", "requested"], to: "active" },
  refuse: { from: ["requested"], to: "refused" },
  withdraw: { from: ["active"], to: "withdrawn" },
  invalidate: { from: ["draft", "requested", "active"], to: "invalidated" },
} satisfies Record<string, Transition>;

/** Age in whole years on a date, from a birth date or (roughly) a birth year. */
function ageOn(subject: { birth_date: string | null; birth_year: number | null }, on: Date): number | null {
  if (subject.birth_date) {
    const [y, m, d] = subject.birth_date.split("-").map(Number) as [number, number, number];
    const had = on.getUTCMonth() + 1 > m || (on.getUTCMonth() + 1 === m && on.getUTCDate() >= d);
    return on.getUTCFullYear() - y - (had ? 0 : 1);
  }
  return subject.birth_year === null ? null : on.getUTCFullYear() - subject.birth_year;
}

/**
 * A volunteer unit may be named only for purpose `referral`, which never opens the case
 * (decide() refuses it); anything more would give a volunteer organisation the case.
 */
async function refuseVolunteerAccess(db: Db, provisions: readonly Pick<Provision, "unitId" | "purposes">[]): Promise<Set<string>> {
  const volunteers = await volunteerUnitsAmong(db, [...new Set(provisions.map((p) => p.unitId))]);
  const referralOnly = (p: Pick<Provision, "purposes">) => p.purposes.length > 0 && p.purposes.every((x) => x === "referral");
  if (provisions.some((p) => volunteers.has(p.unitId) && !referralOnly(p))) throw new AppError("VOLUNTEER_REFERRAL_ONLY");
  return volunteers;
}

async function validateTerms(db: Db, actor: Actor, caseId: string, terms: ConsentTerms): Promise<void> {
  const subject = await db.selectFrom("case_subjects").select("id").where("id", "=", terms.subjectId).where("case_id", "=", caseId).executeTakeFirst();
  if (!subject) throw new AppError("NOT_FOUND");
  const unitIds = [...new Set(terms.provisions.map((p) => p.unitId))];
  const units = await db
    .selectFrom("units")
    .select("id")
    .where("id", "in", unitIds)
    .where("municipality_id", "=", actor.municipalityId)
    .where("valid_to", "is", null)
    .execute();
  if (units.length !== unitIds.length) throw new AppError("NOT_FOUND");
  await refuseVolunteerAccess(db, terms.provisions);
  if (terms.periodEnd.getTime() <= terms.periodStart.getTime()) throw new AppError("VALIDATION", "periodEnd must be after periodStart");
  const municipality = await db.selectFrom("municipalities").select("consent_max_months").where("id", "=", actor.municipalityId).executeTakeFirstOrThrow();
  const latestEnd = new Date(terms.periodStart);
  latestEnd.setUTCMonth(latestEnd.getUTCMonth() + municipality.consent_max_months);
  if (terms.periodEnd.getTime() > latestEnd.getTime()) throw new AppError("CONSENT_PERIOD_TOO_LONG");
}

function termsColumns(terms: ConsentTerms) {
  return {
    subject_id: terms.subjectId,
    grantors: JSON.stringify(terms.grantors),
    child_views: terms.childViews ? JSON.stringify(terms.childViews) : null,
    evidence: JSON.stringify(terms.evidence),
    information_text_version: terms.informationTextVersion,
    provisions: JSON.stringify(terms.provisions),
    period_start: terms.periodStart,
    period_end: terms.periodEnd,
  };
}

async function recordHistory({
  db,
  consentId,
  actorId,
  from,
  to,
  reason,
}: {
  db: Db;
  consentId: string;
  actorId: string | null;
  from: ConsentStatus | null;
  to: ConsentStatus;
  reason?: string | null;
}) {
  await db.insertInto("consent_history").values({ consent_id: consentId, actor_user_id: actorId, from_status: from, to_status: to, reason: reason ?? null }).execute();
}

/** Consent changes are audited once, in their own transaction, when they have happened (refusals are audited at once). */
const changeRecordedBelow = { recordAllowed: false };

/** A consent change, audited with the basis on which the coordinator acts on the case (whatever it is). */
async function auditConsent({ db, actor, caseId, consentId, action, basis }: { db: Db; actor: Actor; caseId: string; consentId: string; action: string; basis: Basis }) {
  await appendAudit(db, actor.municipalityId, [
    {
      actorUserId: actor.id,
      actorUnitId: basis.unitId,
      action,
      resourceType: "consent",
      resourceId: consentId,
      caseId,
      basis,
      purpose: "coordination",
    },
  ]);
}

/** Records a consent as a draft; only the case's coordinator manages consent (mayManageConsent). */
export async function createConsent({ db, actor, caseId, ...terms }: AsActor & { caseId: string } & ConsentTerms) {
  const access = await authorizeCoordinator({ db, actor, caseId }, "consent.create", changeRecordedBelow);
  await validateTerms(db, actor, caseId, terms);
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("consents")
      .values({ id, series_id: id, version: 1, case_id: caseId, managing_unit_id: access.facts.owningUnitId, recorded_by: actor.id, ...termsColumns(terms) })
      .execute();
    await recordHistory({ db: trx, consentId: id, actorId: actor.id, from: null, to: "draft" });
    await auditConsent({ db: trx, actor, caseId, consentId: id, action: "consent.create", basis: access.basis });
  });
  return { consentId: id };
}

/** A new version of an active consent, as a draft; it supersedes the old one when activated. */
export async function reviseConsent({ db, actor, consentId, ...terms }: AsActor & { consentId: string } & ConsentTerms) {
  const old = await loadConsent(db, actor, consentId);
  const access = await authorizeCoordinator({ db, actor, caseId: old.case_id }, "consent.revise", changeRecordedBelow);
  if (old.status !== "active") throw new AppError("INVALID_STATE");
  await validateTerms(db, actor, old.case_id, terms);
  const latest = await db.selectFrom("consents").select((eb) => eb.fn.max("version").as("v")).where("series_id", "=", old.series_id).executeTakeFirstOrThrow();
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("consents")
      .values({
        id,
        series_id: old.series_id,
        version: Number(latest.v) + 1,
        case_id: old.case_id,
        managing_unit_id: old.managing_unit_id,
        recorded_by: actor.id,
        supersedes_id: old.id,
        ...termsColumns(terms),
      })
      .execute();
    await recordHistory({ db: trx, consentId: id, actorId: actor.id, from: null, to: "draft", reason: `new version of ${old.id}` });
    await auditConsent({ db: trx, actor, caseId: old.case_id, consentId: id, action: "consent.revise", basis: access.basis });
  });
  return { consentId: id };
}

async function loadConsent(db: Db, actor: Actor, consentId: string) {
  const row = await db
    .selectFrom("consents")
    .innerJoin("cases", "cases.id", "consents.case_id")
    .selectAll("consents")
    .where("consents.id", "=", consentId)
    .where("cases.municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

const endReasons: Partial<Record<ConsentStatus, AccessChangedReason>> = {
  withdrawn: "consent_withdrawn",
  invalidated: "consent_invalidated",
};

/** Moves a consent along one transition, with history, audit and (when access narrows) an accessChanged event. */
export type ConsentTransition = keyof typeof transitions;

export async function transitionConsent({
  db,
  bus,
  actor,
  consentId,
  name,
  reason,
}: AsActorWithBus & { consentId: string; name: ConsentTransition; reason?: string }): Promise<void> {
  const consent = await loadConsent(db, actor, consentId);
  const access = await authorizeCoordinator({ db, actor, caseId: consent.case_id }, `consent.${name}`, changeRecordedBelow);
  const t: Transition = transitions[name];
  const from = consent.status as ConsentStatus;
  if (!t.from.includes(from)) throw new AppError("INVALID_STATE");
  const now = new Date();
  let superseded: string | null = null;
  const provisions = consent.provisions as Provision[];
  // Checked again here: a draft recorded before the rule existed must not open the case either.
  const volunteers = t.to === "active" ? await refuseVolunteerAccess(db, provisions) : new Set<string>();

  if (t.to === "active") {
    if (consent.period_end.getTime() <= now.getTime()) throw new AppError("INVALID_STATE", "the period has already ended");
    // The child's views are asked from age 7 (barnekonvensjonen art. 12, barnevernsloven § 1-4).
    const subject = await db.selectFrom("case_subjects").select(["role", "birth_date", "birth_year"]).where("id", "=", consent.subject_id).executeTakeFirstOrThrow();
    const age = ageOn(subject, now);
    if (subject.role !== "parent" && age !== null && age >= 7 && !consent.child_views) throw new AppError("CHILD_VIEWS_REQUIRED");
  }

  // Who sees the case now, if this can narrow it: to name (and tell) those who lose it.
  const lapse = from === "active" || consent.supersedes_id ? await caseLapse(db, [consent.case_id]) : null;
  // The people named in the case for the units concerned, told neutrally below: of an end,
  // only those who could open the case (nobody hears of a case they never saw).
  const namedInProvisions = async () =>
    (
      await db
        .selectFrom("case_participants")
        .select("user_id")
        .where("case_id", "=", consent.case_id)
        .where("removed_at", "is", null)
        .where("user_id", "is not", null)
        .where("unit_id", "in", provisions.map((p) => p.unitId))
        .execute()
    ).map((n) => n.user_id!);
  const couldOpen = from === "active" ? await whoCanOpenCase(db, consent.case_id, await namedInProvisions()) : [];
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("consents")
      .set({
        status: t.to,
        ...(t.to === "active" ? { activated_at: now } : {}),
        ...(["withdrawn", "invalidated", "refused"].includes(t.to) ? { ended_at: now, end_reason: reason ?? null } : {}),
      })
      .where("id", "=", consentId)
      .where("status", "=", from)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError("INVALID_STATE");
    await recordHistory({ db: trx, consentId, actorId: actor.id, from, to: t.to, reason });
    if (t.to === "active") {
      if (consent.supersedes_id) {
        const old = await trx
          .updateTable("consents")
          .set({ status: "superseded", ended_at: now, end_reason: `superseded by version ${consent.version}` })
          .where("id", "=", consent.supersedes_id)
          .where("status", "=", "active")
          .returning("id")
          .executeTakeFirst();
        if (old) {
          await recordHistory({ db: trx, consentId: old.id, actorId: actor.id, from: "active", to: "superseded", reason: `superseded by version ${consent.version}` });
          superseded = old.id;
        }
      }
      // The units the family consented to share with are invited into the case; a volunteer
      // unit, named for a referral only, never takes part.
      for (const unitId of new Set(provisions.filter((p) => p.actions.includes("access") && !volunteers.has(p.unitId)).map((p) => p.unitId))) {
        await ensureParticipant({ db: trx, caseId: consent.case_id, unitId, userId: null, addedBy: actor.id });
      }
    }
    await auditConsent({ db: trx, actor, caseId: consent.case_id, consentId, action: `consent.${name}`, basis: access.basis });
  });

  // Referrals resting on a consent that ended (or was superseded by one that no longer covers their recipient) are cancelled before this returns.
  if ((from === "active" && t.to !== "active") || superseded) await cancelReferralsWithoutBasis({ db, bus, caseId: consent.case_id, reason: "consent_withdrawn" });
  const narrowed = endReasons[t.to] && from === "active" ? endReasons[t.to] : superseded ? "consent_superseded" : null;
  if (narrowed && lapse) {
    await lapse.publish(bus, accessChanged(consent.case_id, actor.municipalityId, narrowed, provisions.map((p) => p.unitId)));
  }
  if (t.to === "active" || narrowed) {
    // Invited only if the invitation can be followed: a provision without `identity` opens no case.
    const told = t.to === "active" ? await whoCanOpenCase(db, consent.case_id, await namedInProvisions()) : couldOpen;
    await notifyNow({ db, bus, userIds: told.filter((id) => id !== actor.id), kind: t.to === "active" ? "case_invited" : "consent_ended", caseId: consent.case_id });
  }
}

/** Only a draft that was never active can be discarded. */
export async function deleteDraftConsent({ db, actor, consentId }: AsActor & { consentId: string }) {
  const consent = await loadConsent(db, actor, consentId);
  const access = await authorizeCoordinator({ db, actor, caseId: consent.case_id }, "consent.delete_draft", changeRecordedBelow);
  if (consent.status !== "draft" || consent.activated_at) throw new AppError("INVALID_STATE");
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("consent_history").where("consent_id", "=", consentId).execute();
    await trx.deleteFrom("consents").where("id", "=", consentId).execute();
    await auditConsent({ db: trx, actor, caseId: consent.case_id, consentId, action: "consent.delete_draft", basis: access.basis });
  });
}

/**
 * The case's consent versions with their history, as much as the actor may read
 * (consentReadScope): the managing unit and the coordinator read everything; a recipient
 * unit reads only its own provisions, without grantors, the child's views, evidence or
 * reasons; a consent that does not name the actor's units is not listed.
 */
export async function listConsents({ db, actor, caseId }: AsActor & { caseId: string }) {
  const { facts } = await readCase({ db, actor, caseId, auditAction: "consent.list", resourceType: "consent" });
  const [rows, history] = await Promise.all([
    db
      .selectFrom("consents as c")
      .innerJoin("case_subjects as s", "s.id", "c.subject_id")
      .innerJoin("users as u", "u.id", "c.recorded_by")
      .selectAll("c")
      .select(["s.name as subject_name", "u.display_name as recorded_by_name"])
      .where("c.case_id", "=", caseId)
      .orderBy("c.created_at", "desc")
      .execute(),
    db
      .selectFrom("consent_history as h")
      .innerJoin("consents as c", "c.id", "h.consent_id")
      .leftJoin("users as u", "u.id", "h.actor_user_id")
      .select(["h.consent_id", "h.at", "h.from_status", "h.to_status", "h.reason", "u.display_name"])
      .where("c.case_id", "=", caseId)
      .orderBy("h.id")
      .execute(),
  ]);
  const viewer = policyActor(actor);
  return rows.flatMap((c) => {
    const provisions = c.provisions as ConsentTerms["provisions"];
    const scope = consentReadScope(viewer, facts, { managingUnitId: c.managing_unit_id, provisionUnitIds: provisions.map((p) => p.unitId) });
    if (scope.kind === "none") return [];
    const full = scope.kind === "full";
    const own = scope.kind === "own_provisions" ? new Set(scope.unitIds) : null;
    return [
      {
        id: c.id,
        seriesId: c.series_id,
        version: c.version,
        status: c.status as ConsentStatus,
        /** "full": every detail; "own_provisions": only the provisions for the actor's units. */
        scope: scope.kind,
        subjectId: c.subject_id,
        subjectName: c.subject_name,
        recordedByName: c.recorded_by_name,
        ...(full
          ? {
              grantors: c.grantors as ConsentTerms["grantors"],
              childViews: (c.child_views ?? null) as ConsentTerms["childViews"],
              evidence: c.evidence as ConsentTerms["evidence"],
            }
          : {}),
        informationTextVersion: c.information_text_version,
        provisions: own ? provisions.filter((p) => own.has(p.unitId)) : provisions,
        periodStart: c.period_start,
        periodEnd: c.period_end,
        supersedesId: c.supersedes_id,
        createdAt: c.created_at,
        activatedAt: c.activated_at,
        endedAt: c.ended_at,
        endReason: full ? c.end_reason : null,
        history: history
          .filter((h) => h.consent_id === c.id)
          .map((h) => ({ at: h.at, from: h.from_status, to: h.to_status, reason: full ? h.reason : null, by: h.display_name })),
      },
    ];
  });
}
