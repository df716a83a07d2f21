import type { Role, UnitKind } from "@laget/domain";
import { hashPassword } from "../auth/passwords.ts";
import { createSession } from "../auth/sessions.ts";
import { SESSION_COOKIE } from "../auth/upgrade.ts";
import type { Db } from "../db/connect.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms } from "./case-fixtures.ts";
import type { TrpcClient } from "./http-client.ts";

// Database-level factories: municipalities, units, users and sessions written straight
// through Kysely, so a test sets up its world in milliseconds and without a server.

const hashes = new Map<string, Promise<string>>();

/** Argon2 is slow on purpose: each password is hashed once per process. */
export function passwordHash(password: string = DEMO_PASSWORD): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) hashes.set(password, (hash = hashPassword(password)));
  return hash;
}

export type FactoryUser = {
  email: string;
  displayName?: string;
  /** Defaults to the demo password. */
  password?: string;
  mustChangePassword?: boolean;
  /** Units by name within the municipality (created when missing, as kind "other"). */
  memberships: { unit: string; role: Role }[];
};

/** A municipality with units and users (with memberships), in one call. */
export async function createMunicipality(
  db: Db,
  options: { name: string; units?: { name: string; kind?: UnitKind }[]; users?: FactoryUser[] },
): Promise<{ municipalityId: string; unitIds: Record<string, string>; userIds: Record<string, string> }> {
  const m = await db.insertInto("municipalities").values({ name: options.name }).returning("id").executeTakeFirstOrThrow();
  const unitIds: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const ensureUnit = async (name: string, kind: UnitKind = "other") =>
    (unitIds[name] ??= (await db.insertInto("units").values({ municipality_id: m.id, name, kind }).returning("id").executeTakeFirstOrThrow()).id);
  for (const unit of options.units ?? []) await ensureUnit(unit.name, unit.kind);
  for (const user of options.users ?? []) {
    const memberships = [];
    for (const ms of user.memberships) memberships.push({ unitId: await ensureUnit(ms.unit), role: ms.role });
    userIds[user.email] = await createUser(db, { ...user, municipalityId: m.id, memberships });
  }
  return { municipalityId: m.id, unitIds, userIds };
}

/** A user with memberships in existing units; returns the user's id. */
export async function createUser(
  db: Db,
  options: {
    municipalityId: string;
    email: string;
    displayName?: string;
    password?: string;
    mustChangePassword?: boolean;
    memberships: { unitId: string; role: Role }[];
  },
): Promise<string> {
  const user = await db
    .insertInto("users")
    .values({
      municipality_id: options.municipalityId,
      email: options.email,
      display_name: options.displayName ?? options.email,
      password_hash: await passwordHash(options.password),
      must_change_password: options.mustChangePassword ?? false,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (options.memberships.length) {
    await db
      .insertInto("memberships")
      .values(options.memberships.map((ms) => ({ user_id: user.id, unit_id: ms.unitId, role: ms.role })))
      .execute();
  }
  return user.id;
}

/** A session for the user, as a cookie: signed in without checking a password. */
export async function sessionCookie(db: Db, userId: string): Promise<string> {
  const { token } = await createSession(db, userId);
  return `${SESSION_COOKIE}=${token}`;
}

export async function userIdByEmail(db: Db, email: string): Promise<string> {
  return (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

type Provision = { unitId: string; actions?: string[]; purposes?: string[]; categories?: string[]; denies?: unknown[] };

/**
 * A case about one or more people, owned by one of the coordinator's units, with other
 * units as participants and an active consent, in one call. Goes through the
 * procedures (not raw inserts), so the audit trail and every consent rule hold as in
 * production; with a CallerClient that is still without a server.
 */
export async function createCaseWithConsent(
  coordinator: TrpcClient,
  options: {
    owningUnitId: string;
    btiLevel?: number;
    subjects?: { role: string; name: string; birthYear: number }[];
    /** Units added as participants (whole units). */
    participantUnitIds?: string[];
    /** The consent's provisions: unit ids (the default categories and purposes) or full provisions; none leaves the case without consent. */
    consent?: { unitIds?: string[]; provisions?: Provision[]; terms?: Record<string, unknown> };
  },
): Promise<{ caseId: string; subjectId: string; subjectIds: string[]; consentId: string | null }> {
  const { caseId } = await coordinator.mutationOk<{ caseId: string }>("cases.create", {
    owningUnitId: options.owningUnitId,
    btiLevel: options.btiLevel ?? 2,
    subjects: options.subjects ?? [{ role: "child", name: "Emma Hansen", birthYear: 2014 }],
  });
  const { subjects } = await coordinator.queryOk<{ subjects: { id: string }[] }>("cases.get", { caseId });
  const subjectId = subjects[0]!.id;
  for (const unitId of options.participantUnitIds ?? []) await coordinator.mutationOk("cases.addParticipant", { caseId, unitId });
  let consentId: string | null = null;
  if (options.consent) {
    const { unitIds = [], provisions, terms } = options.consent;
    const full = provisions?.map((p) => ({ actions: ["access"], purposes: ["coordination"], categories: ["identity"], denies: [], ...p }));
    ({ consentId } = await coordinator.mutationOk<{ consentId: string }>("consents.create", {
      caseId,
      ...consentTerms(subjectId, unitIds, { ...(full ? { provisions: full } : {}), ...terms }),
    }));
    await coordinator.mutationOk("consents.activate", { consentId });
  }
  return { caseId, subjectId, subjectIds: subjects.map((s) => s.id), consentId };
}
