import { fhirTaskStatus, type ReferralStatus } from "@laget/policy";
import type { ReferralData } from "@laget/domain";
import type { Db } from "../db/connect.ts";
import { createCaseWithConsent } from "../testing/factories.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { unitIdsByName } from "../testing/case-fixtures.ts";

// Test fixtures for the referral insights (deadline, feedback, figures, isolation): a
// school case whose consent names both volunteer units for purpose `referral` only, and
// referral rows written straight to the table in whatever state a test needs.

export type ReferralWorld = {
  units: Record<string, string>;
  users: Record<string, string>;
  municipalityId: string;
  caseId: string;
  subjectId: string;
  consentId: string;
  consentVersion: number;
};

/** Demo users' ids by the local part of their e-mail ("koordinator", "frivillig", ...). */
export async function demoUserIdsByName(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom("users").select(["id", "email"]).where("email", "like", "%@demo.laget.no").execute();
  return Object.fromEntries(rows.map((r) => [r.email.split("@")[0]!, r.id]));
}

/** A case of Fjellheim skole (Kari coordinates) whose one consent covers both volunteer units for purpose referral, identity only. */
export async function referralWorld(db: Db, coordinator: TrpcClient, childName = "Emma Hansen"): Promise<ReferralWorld> {
  const units = await unitIdsByName(coordinator);
  const referral = (unit: string) => ({ unitId: units[unit]!, actions: ["access"], purposes: ["referral"], categories: ["identity"], denies: [] });
  const { caseId, subjectId, consentId } = await createCaseWithConsent(coordinator, {
    owningUnitId: units["Fjellheim skole"]!,
    subjects: [{ role: "child", name: childName, birthYear: 2015 }],
    consent: { provisions: [referral("Røde Kors Fjellheim"), referral("Fjellheim idrettslag")] },
  });
  const consent = await db.selectFrom("consents").select("version").where("id", "=", consentId!).executeTakeFirstOrThrow();
  const kase = await db.selectFrom("cases").select("municipality_id").where("id", "=", caseId).executeTakeFirstOrThrow();
  return { units, users: await demoUserIdsByName(db), municipalityId: kase.municipality_id, caseId, subjectId, consentId: consentId!, consentVersion: consent.version };
}

export const referralData = (firstName: string): ReferralData => ({
  firstName,
  age: 10,
  contactPreference: "via_referrer",
  contactDetails: "",
  need: "Vil gjerne være med på noe etter skolen.",
  availability: "Ettermiddager",
  language: "nb",
  interpreterNeeded: false,
});

/** The statuses a referral passes through to reach `status` (the lifecycle's usual path). */
const PATHS: Record<ReferralStatus, ReferralStatus[]> = {
  draft: [],
  sent: ["sent"],
  received: ["sent", "received"],
  accepted: ["sent", "received", "accepted"],
  declined: ["sent", "received", "declined"],
  on_hold: ["sent", "received", "on_hold"],
  in_progress: ["sent", "received", "accepted", "in_progress"],
  completed: ["sent", "received", "accepted", "in_progress", "completed"],
  failed: ["sent", "received", "accepted", "failed"],
  cancelled: ["sent", "cancelled"],
};

export type InsertReferral = {
  recipient: string;
  offerId?: string | null;
  status: ReferralStatus;
  /** The statuses it went through, as referral_events (default: the usual path to `status`). */
  path?: ReferralStatus[];
  sentAt?: Date | null;
  firstResponseAt?: Date | null;
  responseDueAt?: Date | null;
  escalatedAt?: Date | null;
  firstName?: string;
  referredBy?: string;
  redacted?: boolean;
};

/** A referral row (and its events) written straight to the tables; returns its id. */
export async function insertReferral(db: Db, world: ReferralWorld, r: InsertReferral): Promise<string> {
  const sentAt = r.sentAt === undefined ? (r.status === "draft" ? null : new Date()) : r.sentAt;
  const path = r.path ?? PATHS[r.status];
  const { id } = await db
    .insertInto("referrals")
    .values({
      municipality_id: world.municipalityId,
      case_id: world.caseId,
      subject_id: world.subjectId,
      referring_unit_id: world.units["Fjellheim skole"]!,
      referred_by: r.referredBy ?? world.users.koordinator!,
      recipient_unit_id: world.units[r.recipient] ?? r.recipient,
      offer_id: r.offerId ?? null,
      consent_id: world.consentId,
      consent_version: world.consentVersion,
      status: r.status,
      fhir_status: fhirTaskStatus[r.status],
      data: r.redacted ? null : JSON.stringify(referralData(r.firstName ?? "Emma")),
      redacted_at: r.redacted ? new Date() : null,
      sent_at: sentAt,
      first_response_at: r.firstResponseAt ?? null,
      response_due_at: r.responseDueAt ?? null,
      escalated_at: r.escalatedAt ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  let from: ReferralStatus = "draft";
  for (const [i, to] of path.entries()) {
    await db
      .insertInto("referral_events")
      .values({ referral_id: id, from_status: from, to_status: to, fhir_status: fhirTaskStatus[to], actor_user_id: world.users.koordinator!, at: new Date((sentAt ?? new Date()).getTime() + i * 60_000) })
      .execute();
    from = to;
  }
  return id;
}

/** The demo offers by title. */
export async function offerIdsByTitle(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom("offers").select(["id", "title"]).execute();
  return Object.fromEntries(rows.map((r) => [r.title, r.id]));
}
