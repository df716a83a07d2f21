import { addMeasure } from "@laget/plan";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD, demoUsers } from "../demo/seed.ts";
import { connectPlan, eventually } from "../plans/test-client.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { createMunicipality } from "../testing/fixtures.ts";
import { HttpClient, signedIn, type TrpcResult } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { agendaWorld } from "../meetings/testing.ts";
import { insertReferral, offerIdsByTitle } from "../referrals/insights-fixtures.ts";
import { appRouter } from "./router.ts";
import { referralConsentTerms, referralData } from "../referrals/testing.ts";

/**
 * The access matrix, generated from the router: every procedure of appRouter is called
 * as every demo role (and a user of another municipality, and no one) over HTTP, against
 * a fixture built to hold the hard cases:
 *
 * - a participant unit without a basis (SLT is added to the case, the family never consented);
 * - a note re-categorised from health to school (NAV has consent for school only);
 * - a legal-basis disclosure by another unit (the school discloses health to barnevern,
 *   who must still not see Helsestasjonen's own health note);
 * - a confidential participant (barnevern takes part: NAV and Helsestasjonen must not learn it);
 * - an attempt to give a volunteer organisation a consent provision.
 *
 * Those with a basis get data (and only the data they have a basis for: every response is
 * scanned for marked texts); everyone else gets exactly the answer a random id gets.
 * A procedure without a probe fails the coverage test.
 */

const roles = ["admin", "leader", "koordinator", "helsesykepleier", "nav", "barnevern", "frivillig", "slt", "other", "anonymous"] as const;
type Role = (typeof roles)[number];
type SignedInRole = Exclude<Role, "anonymous" | "other">;
const emailOf = (role: SignedInRole) => `${role === "leader" ? "leder" : role}@demo.laget.no`;
const OTHER_EMAIL = "admin@annen.example";
const OTHER_PASSWORD = "annen-kommune-passord-1";

/** What one role must get from one procedure. */
type Outcome =
  | "ok"
  /** Exactly what the same call with random ids gets (a NOT_FOUND that reveals nothing). */
  | "hidden"
  /** An error with this appCode (e.g. NO_BASIS for a visible case whose category is not covered). */
  | { error: string };

type Targets = Record<
  | "caseId" | "subjectId" | "spareCaseId" | "handoverId" | "participantId"
  | "noteHealthStation" | "noteSchoolHealth" | "noteRecategorised" | "noteNav"
  | "consentActive" | "consentToRequest" | "consentToActivate" | "consentToRefuse" | "consentToWithdraw" | "consentToInvalidate" | "consentToDelete"
  | "disclosureBarnevern" | "disclosureToRevoke" | "revisionId"
  | "threadId" | "messageId" | "messageToDelete" | "groupId"
  | "unitId" | "userId" | "membershipId"
  | "calendarTokenId"
  | "seriesId" | "seriesToCancel" | "meetingId"
  | "agendaMeetingId" | "agendaCaseId" | "agendaNamed" | "agendaTopic" | "agendaAction"
  | "agendaPromote" | `agendaRemove_${Role}` | `agendaOutcome_${Role}`
  | "offerId" | "offerDraft" | "offerToArchive"
  | "referralCaseId" | "referralSubjectId" | "referralId" | "referralDraft" | "referralToClaim"
  | "insightsReferralCompleted" | "insightsOfferRedCross",
  string
>;

type Ctx = { t: Targets; role: Role; allowed: boolean };

type Probe = {
  input?: (c: Ctx) => unknown;
  /** Per role; unlisted signed-in roles get `others`. */
  expect?: Partial<Record<Role, Outcome>>;
  others?: Outcome;
  /** Without a session (default: UNAUTHENTICATED). */
  anonymous?: Outcome;
  /** More about the data an allowed role gets. */
  check?: (data: never, role: Role) => void;
  /** Called on a session of its own (the call ends it). */
  freshSession?: boolean;
  /** Runs once before the probe (e.g. a handover to answer). */
  before?: () => Promise<void>;
};

let server: TestServer;
const clients = {} as Record<Role, HttpClient>;
let units: Record<string, string>;
let userIds: Record<string, string>;
let otherUnitId: string;
const t = {} as Targets;
const tag = randomBytes(3).toString("hex");

/** Marked texts and who may ever see them, in any response. */
const secrets = {
  child: { text: `Mia Matrise ${tag}`, seenBy: ["koordinator", "helsesykepleier", "nav", "barnevern"] },
  grantor: { text: `Gro Foresatt ${tag}`, seenBy: ["koordinator"] },
  childViews: { text: `BARNETS-SYN-${tag}`, seenBy: ["koordinator"] },
  healthStationNote: { text: `HELSESTASJON-HELSE-${tag}`, seenBy: ["helsesykepleier"] },
  schoolHealthNote: { text: `SKOLE-HELSE-${tag}`, seenBy: ["koordinator", "barnevern"] },
  recategorisedOld: { text: `OMKATEGORISERT-HELSE-${tag}`, seenBy: ["koordinator"] },
  recategorisedNew: { text: `OMKATEGORISERT-SKOLE-${tag}`, seenBy: ["koordinator", "helsesykepleier", "nav"] },
  // The consent circle (DESIGN.md §4.3): the managing unit sees what recipients contribute in shared categories.
  navNote: { text: `NAV-SKOLE-${tag}`, seenBy: ["nav", "koordinator", "helsesykepleier"] },
  justification: { text: `BEGRUNNELSE-${tag}`, seenBy: ["koordinator", "barnevern", "leader"] },
  thread: { text: `TRÅD-${tag}`, seenBy: ["koordinator", "helsesykepleier", "nav"] },
  // A meeting series of NAV with the school and the health station: its title and its external participant.
  meetingTitle: { text: `MØTE-${tag}`, seenBy: ["nav", "koordinator", "leader", "helsesykepleier"] },
  meetingExternal: { text: `Mor Matrise ${tag}`, seenBy: ["nav", "koordinator", "leader", "helsesykepleier"] },
  // The meeting's named case (consent for every unit of the meeting; the school, organiser, owns it) and the case only discussed anonymously.
  agendaCase: { text: `Emma Samtykke ${tag}`, seenBy: ["koordinator", "leader", "helsesykepleier", "nav", "barnevern"] },
  agendaAnonymousCase: { text: `Ola Delvis ${tag}`, seenBy: ["koordinator", "helsesykepleier", "nav"] },
  // A case referred to Røde Kors Fjellheim: the child's full name is the case's; the referral's need is all the organisation gets.
  referralChild: { text: `Rita Henvist ${tag}`, seenBy: ["koordinator"] },
  referralNeed: { text: `HENVISNING-BEHOV-${tag}`, seenBy: ["koordinator", "frivillig"] },
} satisfies Record<string, { text: string; seenBy: Role[] }>;

const SEERS = { koordinator: "ok", helsesykepleier: "ok", nav: "ok", barnevern: "ok" } as const satisfies Partial<Record<Role, Outcome>>;
const err = (code: string): Outcome => ({ error: code });
/** Sees the case, but only its coordinator may change it. */
const COORDINATOR_ONLY = { koordinator: "ok", helsesykepleier: err("NOT_COORDINATOR"), nav: err("NOT_COORDINATOR"), barnevern: err("NOT_COORDINATOR") } as const;
/** The plan and the thread: the consent gives them to NAV and Helsestasjonen; barnevern's disclosure does not. */
const PLAN_READERS = { koordinator: "ok", helsesykepleier: "ok", nav: "ok", barnevern: err("NO_BASIS") } as const;
const THREAD_READERS = PLAN_READERS;
const EVERYONE: Outcome = "ok";
const ADMIN_ONLY = { admin: "ok", other: err("NOT_FOUND") } as const;
const admins = { others: err("FORBIDDEN") } as const;
/** NAV's series with the school and the health station (Hanne takes the minutes). */
const MEETING_READERS = { nav: "ok", koordinator: "ok", leader: "ok", helsesykepleier: "ok" } as const;
const MEETING_EDITORS = { nav: "ok", koordinator: err("FORBIDDEN"), leader: err("FORBIDDEN"), helsesykepleier: err("FORBIDDEN") } as const;
const matrixSeries = (organiserUnitId: string) => ({
  kind: "flyt_mote",
  title: secrets.meetingTitle.text,
  organiserUnitId,
  chairUserId: userIds.nav,
  minuteTakerUserId: userIds.helsesykepleier,
  participantUnitIds: [units["Fjellheim skole"], units.Helsestasjonen],
  participantUserIds: [],
  externalParticipants: [{ name: secrets.meetingExternal.text, role: "Forelder" }],
  durationMinutes: 60,
  dtstartLocal: "2027-01-07T09:00:00",
  recurrence: { freq: "weekly", interval: 1, end: { kind: "never" } },
  holidayPolicy: "none",
});
/** The meeting's people: the organiser unit (the school: leader, koordinator), the participating units, the SLT coordinator invited by name. */
const MEETING_PARTIES = { leader: "ok", koordinator: "ok", helsesykepleier: "ok", nav: "ok", barnevern: "ok", slt: "ok" } as const;
/** Those who run the meeting: the organiser unit, the chair (koordinator) and the minute-taker (helsesykepleier). */
const AGENDA_RUNNERS = { nav: err("FORBIDDEN"), barnevern: err("FORBIDDEN"), slt: err("FORBIDDEN") } as const;
/** The named item's minutes: the chair and the minute-taker; the SLT coordinator does not see the item at all. */
const NAMED_ITEM_WRITERS = { koordinator: "ok", helsesykepleier: "ok", leader: err("FORBIDDEN"), nav: err("FORBIDDEN"), barnevern: err("FORBIDDEN") } as const;
/** Who sees the meeting's named case for purpose meeting as a participant of it. */
const AGENDA_CASE_SEERS = { koordinator: "ok", helsesykepleier: "ok", nav: "ok", barnevern: "ok" } as const;
let agendaOrder: string[] = [];
/** An offer of the matrix's (offers are public: nothing in it is secret). */
const matrixOffer = (title: string, published = true) => ({ title, category: "meeting_place", area: "Matrisebyen", feeNok: 50, contactEmail: "post@matrise.example", published });

/** A caseworker role's own unit. */
const ownUnit = (role: Role): string => {
  if (role === "other") return otherUnitId;
  if (role === "anonymous") return units.PPT!;
  const u = demoUsers.find((d) => d.email === emailOf(role as SignedInRole));
  return units[u!.unit]!;
};

type Note = { id: string; category: string };
type Consent = { provisions: { unitId: string }[]; grantors?: unknown; childViews?: unknown };
type Disclosure = { id: string };

const probes: Record<string, Probe> = {
  // --- Sessions: everyone for themselves.
  "auth.login": {
    input: ({ role }) =>
      role === "anonymous" ? { email: `nobody-${tag}@demo.laget.no`, password: "wrong-password" } : { email: role === "other" ? OTHER_EMAIL : emailOf(role as SignedInRole), password: role === "other" ? OTHER_PASSWORD : DEMO_PASSWORD },
    others: EVERYONE,
    anonymous: err("INVALID_CREDENTIALS"),
    freshSession: true,
  },
  "auth.me": { others: EVERYONE, anonymous: "ok" },
  "auth.logout": { others: EVERYONE, freshSession: true },
  "auth.logoutEverywhere": { others: EVERYONE, freshSession: true },
  "auth.changePassword": { input: () => ({ currentPassword: "not-the-password", newPassword: "a-new-password-2026" }), others: err("WRONG_CURRENT_PASSWORD") },

  // --- Units: everyone lists their own municipality's; only its admins manage them.
  "units.list": {
    others: EVERYONE,
    check: (data: { id: string }[], role) => {
      const demo = Object.values(units);
      expect(data.some((u) => demo.includes(u.id)), "a municipality sees only its own units").toBe(role !== "other");
    },
  },
  "units.create": { input: ({ role }) => ({ name: `Ny enhet ${role} ${tag}`, kind: "other" }), expect: { admin: "ok", other: "ok" }, ...admins },
  "units.rename": { input: ({ t }) => ({ unitId: t.unitId, name: `Matriseenhet ${tag} (nytt navn)` }), expect: ADMIN_ONLY, ...admins },
  "units.deactivate": { input: ({ t }) => ({ unitId: t.unitId }), expect: ADMIN_ONLY, ...admins },
  "units.history": { input: ({ t }) => ({ unitId: t.unitId }), expect: ADMIN_ONLY, ...admins },

  // --- Users: the directory for everyone, in their own municipality; managing users for its admins.
  "users.list": { expect: { admin: "ok", other: "ok" }, ...admins },
  "users.directory": { others: EVERYONE },
  "users.create": {
    input: ({ role }) => ({ email: `ny-${role}-${tag}@${role === "other" ? "annen.example" : "demo.laget.no"}`, displayName: "Ny Bruker", memberships: [{ unitId: role === "other" ? otherUnitId : units.PPT, role: "caseworker" }] }),
    expect: { admin: "ok", other: "ok" },
    ...admins,
  },
  "users.addMembership": { input: ({ t }) => ({ userId: t.userId, unitId: units.PPT, role: "caseworker" }), expect: ADMIN_ONLY, ...admins },
  "users.removeMembership": { input: ({ t }) => ({ membershipId: t.membershipId }), expect: ADMIN_ONLY, ...admins },
  "users.deactivate": { input: ({ t }) => ({ userId: t.userId }), expect: ADMIN_ONLY, ...admins },
  "users.reactivate": { input: ({ t }) => ({ userId: t.userId }), expect: ADMIN_ONLY, ...admins },
  "users.resetPassword": { input: ({ t }) => ({ userId: t.userId }), expect: ADMIN_ONLY, ...admins },

  // --- Cases.
  "cases.list": {
    input: () => ({}),
    others: EVERYONE,
    check: (data: { id: string }[], role) => {
      const fixture = [t.caseId, t.spareCaseId];
      const seen = data.map((c) => c.id).filter((id) => fixture.includes(id));
      const expected = role === "koordinator" || role === "nav" ? [t.caseId, t.spareCaseId] : role in SEERS ? [t.caseId] : [];
      expect([...seen].sort(), "the fixture cases listed").toEqual(expected.sort());
    },
  },
  "cases.get": {
    input: ({ t }) => ({ caseId: t.caseId }),
    expect: SEERS,
    check: (data: { participants: { unitId: string; unitKind: string }[] }, role) => {
      if (role === "nav" || role === "helsesykepleier") {
        const shown = data.participants.flatMap((p) => [p.unitId, p.unitKind]);
        expect(shown, "a confidential participant (barnevern) is shown only to those with a basis to know").not.toContain("child_welfare");
        expect(shown, "a confidential participant (barnevern) is shown only to those with a basis to know").not.toContain(units.Barneverntjenesten);
      }
    },
  },
  "cases.create": {
    input: ({ role }) => ({ owningUnitId: ownUnit(role), btiLevel: 1, subjects: [{ role: "child", name: "Nytt Barn", birthYear: 2016 }] }),
    // Volunteer contacts, SLT coordinators and admins do not work on named cases.
    expect: { leader: "ok", koordinator: "ok", helsesykepleier: "ok", nav: "ok", barnevern: "ok" },
    others: err("FORBIDDEN"),
  },
  "cases.update": { input: ({ t }) => ({ caseId: t.caseId, btiLevel: 2 }), expect: COORDINATOR_ONLY },
  "cases.close": { input: ({ t }) => ({ caseId: t.caseId, reason: "Matrisen er ferdig" }), expect: COORDINATOR_ONLY },
  "cases.addSubject": { input: ({ t }) => ({ caseId: t.caseId, subject: { role: "parent", name: "Forelder" } }), expect: COORDINATOR_ONLY },
  "cases.addParticipant": { input: ({ t }) => ({ caseId: t.caseId, unitId: units.PPT }), expect: COORDINATOR_ONLY },
  "cases.removeParticipant": { input: ({ t }) => ({ caseId: t.caseId, participantId: t.participantId }), expect: COORDINATOR_ONLY },
  "cases.proposeHandover": { input: ({ t }) => ({ caseId: t.caseId, toUserId: userIds["helsesykepleier"] }), expect: COORDINATOR_ONLY },
  // A handover is known only to the two people in it.
  "cases.acceptHandover": { input: ({ t }) => ({ handoverId: t.handoverId }), expect: { nav: "ok", koordinator: err("FORBIDDEN") }, before: () => openHandover() },
  "cases.declineHandover": { input: ({ t }) => ({ handoverId: t.handoverId }), expect: { nav: "ok", koordinator: err("FORBIDDEN") }, before: () => openHandover() },
  "cases.withdrawHandover": { input: ({ t }) => ({ handoverId: t.handoverId }), expect: { koordinator: "ok", nav: err("FORBIDDEN") }, before: () => openHandover() },
  "cases.handoverHistory": { input: ({ t }) => ({ caseId: t.caseId }), expect: SEERS },
  "cases.audience": {
    input: ({ t }) => ({ caseId: t.caseId, category: "plan" }),
    expect: SEERS,
    check: (data: { userId: string; unitId: string }[], role) => {
      if (role === "nav" || role === "helsesykepleier") {
        expect(data.map((p) => p.unitId), "a confidential participant's people are not offered to those without a basis to know").not.toContain(units.Barneverntjenesten);
      }
    },
  },
  "cases.notes": {
    input: ({ t }) => ({ caseId: t.caseId }),
    expect: SEERS,
    check: (data: { notes: Note[] }, role) => {
      const fixture = [t.noteHealthStation, t.noteSchoolHealth, t.noteRecategorised, t.noteNav];
      const seen = data.notes.map((n) => n.id).filter((id) => fixture.includes(id)).sort();
      const expected = {
        koordinator: [t.noteSchoolHealth, t.noteRecategorised, t.noteNav],
        helsesykepleier: [t.noteHealthStation, t.noteRecategorised, t.noteNav],
        nav: [t.noteRecategorised, t.noteNav],
        // The school's health data on its disclosure, nothing of Helsestasjonen's.
        barnevern: [t.noteSchoolHealth],
      }[role as keyof typeof SEERS];
      expect(seen, "the fixture notes listed").toEqual([...expected].sort());
    },
  },
  "cases.addNote": { input: ({ t }) => ({ caseId: t.caseId, category: "school", body: "Matrisenotat" }), expect: SEERS },
  "cases.editNote": {
    input: ({ t }) => ({ noteId: t.noteRecategorised, category: "school", body: secrets.recategorisedNew.text }),
    // Only the author edits; a reader without the note's category gets no answer about it.
    expect: { koordinator: "ok", helsesykepleier: err("FORBIDDEN"), nav: err("FORBIDDEN"), barnevern: err("NO_BASIS") },
  },
  "cases.noteHistory": {
    input: ({ t }) => ({ noteId: t.noteRecategorised }),
    expect: { koordinator: "ok", helsesykepleier: "ok", nav: "ok", barnevern: err("NO_BASIS") },
    check: (data: { category: string }[], role) => {
      // Each earlier version is decided for its own category: the old health text is the school's own.
      if (role !== "koordinator") expect(data.map((v) => v.category), "earlier versions in categories without a basis").not.toContain("health");
    },
  },

  // --- Consents: details for the managing unit and the coordinator, each recipient its own provision.
  "consents.list": {
    input: ({ t }) => ({ caseId: t.caseId }),
    expect: SEERS,
    check: (data: Consent[], role) => {
      if (role === "koordinator") return;
      const own = ownUnit(role);
      for (const c of data) {
        expect(c.provisions.map((p) => p.unitId).filter((u) => u !== own), "other units' provisions").toEqual([]);
        expect(c.grantors ?? null, "the grantors").toSatisfy((g: unknown) => g === null || (Array.isArray(g) && g.length === 0));
        expect(c.childViews ?? null, "the child's views").toBeNull();
      }
    },
  },
  "consents.create": { input: ({ t }) => ({ caseId: t.caseId, ...consentTerms(t.subjectId, [units.PPT!]) }), expect: COORDINATOR_ONLY },
  "consents.revise": { input: ({ t }) => ({ consentId: t.consentActive, ...consentTerms(t.subjectId, [units["NAV Fjellheim"]!, units.Helsestasjonen!]) }), expect: COORDINATOR_ONLY },
  "consents.request": { input: ({ t }) => ({ consentId: t.consentToRequest }), expect: COORDINATOR_ONLY },
  "consents.activate": { input: ({ t }) => ({ consentId: t.consentToActivate }), expect: COORDINATOR_ONLY },
  "consents.refuse": { input: ({ t }) => ({ consentId: t.consentToRefuse, reason: "Familien sa nei" }), expect: COORDINATOR_ONLY },
  "consents.withdraw": { input: ({ t }) => ({ consentId: t.consentToWithdraw, reason: "Familien trakk det" }), expect: COORDINATOR_ONLY },
  "consents.invalidate": { input: ({ t }) => ({ consentId: t.consentToInvalidate, reason: "Feil" }), expect: COORDINATOR_ONLY },
  "consents.deleteDraft": { input: ({ t }) => ({ consentId: t.consentToDelete }), expect: COORDINATOR_ONLY },

  // --- Disclosures: visible to the discloser, the recipient, the coordinator and the reviewing leader.
  "disclosures.statutes": { others: EVERYONE },
  "disclosures.forCase": {
    input: ({ t }) => ({ caseId: t.caseId }),
    expect: SEERS,
    check: (data: Disclosure[], role) => {
      const ids = data.map((d) => d.id).sort();
      const expected = { koordinator: [t.disclosureBarnevern, t.disclosureToRevoke].sort(), barnevern: [t.disclosureBarnevern] }[role as string] ?? [];
      expect(ids, "the disclosures listed").toEqual(expected);
    },
  },
  "disclosures.create": {
    input: ({ t }) => ({ caseId: t.caseId, statuteId: statuteId, recipientUnitId: units.PPT, categories: ["school"], justification: "Matrise" }),
    // Only the unit that owns the data discloses it.
    expect: { koordinator: "ok", helsesykepleier: err("NO_BASIS"), nav: err("NO_BASIS"), barnevern: err("NO_BASIS") },
  },
  "disclosures.revoke": { input: ({ t }) => ({ disclosureId: t.disclosureToRevoke }), expect: { koordinator: "ok", leader: "ok" } },
  "disclosures.reviewQueue": { expect: { leader: "ok" }, others: err("FORBIDDEN") },
  "disclosures.review": { input: ({ t }) => ({ disclosureId: t.disclosureBarnevern, outcome: "approved" }), expect: { leader: "ok" } },

  // --- Audit.
  "audit.caseLog": { input: ({ t }) => ({ caseId: t.caseId }), expect: COORDINATOR_ONLY },
  "audit.caseLogCsv": { input: ({ t }) => ({ caseId: t.caseId }), expect: COORDINATOR_ONLY },
  "audit.verify": { expect: { admin: "ok", leader: "ok", other: "ok" }, others: err("FORBIDDEN") },
  "audit.accessReview": {
    expect: { leader: "ok" },
    others: err("FORBIDDEN"),
    check: (data: { caseId: string | null }[]) => {
      // The leader sees neither fixture case: a review never names a case the leader could not see.
      expect(data.map((e) => e.caseId).filter((id) => id === t.caseId || id === t.spareCaseId), "hidden cases named in the review").toEqual([]);
    },
  },

  // --- Notifications: one's own.
  "notifications.list": { others: EVERYONE },
  "notifications.unreadCount": { others: EVERYONE },
  "notifications.markRead": { input: () => ({}), others: EVERYONE },

  // --- Plans.
  "plans.connection": { input: ({ t }) => ({ caseId: t.caseId }), expect: PLAN_READERS },
  "plans.myMeasures": { input: () => ({ filter: "all" }), others: EVERYONE },
  "plans.revisions": { input: ({ t }) => ({ caseId: t.caseId }), expect: PLAN_READERS },
  "plans.restoreRevision": { input: ({ t }) => ({ caseId: t.caseId, revisionId: t.revisionId }), expect: PLAN_READERS },
  "plans.domains": { others: EVERYONE },
  "plans.setDomains": { input: () => ({ domains: null }), expect: { admin: "ok", other: "ok" }, ...admins },

  // --- Messaging (conversations and messages): the case thread by decide(), groups by membership.
  "conversations.list": {
    others: EVERYONE,
    check: (data: { id: string }[], role) => {
      expect(data.some((c) => c.id === t.threadId), "the case thread listed").toBe(role in THREAD_READERS && THREAD_READERS[role as keyof typeof THREAD_READERS] === "ok");
      expect(data.some((c) => c.id === t.groupId), "the group listed").toBe(role === "koordinator" || role === "nav");
    },
  },
  "conversations.get": { input: ({ t }) => ({ conversationId: t.threadId }), expect: THREAD_READERS },
  "conversations.ofCase": { input: ({ t }) => ({ caseId: t.caseId }), expect: THREAD_READERS },
  "conversations.direct": { input: ({ role }) => ({ userId: role === "koordinator" ? userIds.nav : userIds.koordinator }), others: EVERYONE, expect: { other: err("NOT_FOUND") } },
  "conversations.createGroup": { input: () => ({ groupKind: "team", title: "Matrisegruppe", memberIds: [] }), others: EVERYONE },
  "conversations.addMembers": { input: ({ t }) => ({ conversationId: t.groupId, userIds: [userIds.helsesykepleier] }), expect: { koordinator: "ok", nav: err("NOT_GROUP_OWNER") } },
  // The owner removes others; a member may only leave (Helsestasjonen was added just before).
  "conversations.removeMembers": {
    input: ({ t, role }) => ({ conversationId: t.groupId, userIds: [role === "nav" ? userIds.koordinator : role === "helsesykepleier" ? userIds.helsesykepleier : userIds.nav] }),
    expect: { koordinator: "ok", helsesykepleier: "ok", nav: err("NOT_GROUP_OWNER") },
  },
  "conversations.members": { input: ({ t }) => ({ conversationId: t.threadId }), expect: THREAD_READERS },
  "conversations.markRead": { input: ({ t }) => ({ conversationId: t.threadId, seq: 1 }), expect: { koordinator: "ok", helsesykepleier: "ok", nav: "ok" } },
  "messages.history": { input: ({ t }) => ({ conversationId: t.threadId }), expect: THREAD_READERS },
  "messages.edits": { input: ({ t }) => ({ messageId: t.messageId }), expect: THREAD_READERS },
  "messages.send": {
    // Those without access try the id of a message that exists in the hidden thread: it must not answer "in use".
    input: ({ t, allowed }) => ({ id: allowed ? randomUUID() : t.messageId, conversationId: t.threadId, body: "Matrisemelding" }),
    expect: THREAD_READERS,
  },
  "messages.edit": { input: ({ t }) => ({ messageId: t.messageId, body: `${secrets.thread.text} (endret)` }), expect: { ...THREAD_READERS, helsesykepleier: err("NOT_AUTHOR"), nav: err("NOT_AUTHOR") } },
  "messages.delete": { input: ({ t }) => ({ messageId: t.messageToDelete }), expect: { ...THREAD_READERS, helsesykepleier: err("NOT_AUTHOR"), nav: err("NOT_AUTHOR") } },

  // --- Calendar feed tokens: one's own; another's token is NOT_FOUND, exactly like a made-up id.
  "calendar.tokens": {
    others: EVERYONE,
    check: (data: { tokens: { id: string }[] }, role) => {
      expect(data.tokens.some((tk) => tk.id === t.calendarTokenId), "the coordinator's token listed").toBe(role === "koordinator");
      expect(JSON.stringify(data), "a token's secret is never listed").not.toMatch(/"token"/);
    },
  },
  "calendar.createToken": {
    input: () => ({ name: "Matrisekalender" }),
    others: EVERYONE,
    check: (data: { token: string; url: string }) => expect(data.url).toBe(`/api/calendar/feed/${data.token}.ics`),
  },
  "calendar.revokeToken": { input: ({ t }) => ({ tokenId: t.calendarTokenId }), expect: { koordinator: "ok" } },

  // --- Meetings: the series' people read it; the organiser unit and the chair change it.
  "meetings.kinds": { others: EVERYONE },
  "meetings.preview": { input: () => ({ dtstartLocal: "2027-01-07T09:00:00", recurrence: { freq: "weekly", interval: 2, end: { kind: "count", count: 5 } }, holidayPolicy: "drop", durationMinutes: 60 }), others: EVERYONE },
  "meetings.createSeries": {
    input: ({ role }) => ({ ...matrixSeries(ownUnit(role)), chairUserId: null, minuteTakerUserId: null, participantUnitIds: [], externalParticipants: [], title: `Eget møte ${role}` }),
    others: EVERYONE,
    expect: { frivillig: err("FORBIDDEN") },
  },
  "meetings.updateSeries": { input: ({ t }) => ({ seriesId: t.seriesId, scope: "all", changes: { place: "Matriserommet" } }), expect: MEETING_EDITORS },
  "meetings.updateOccurrence": { input: ({ t }) => ({ seriesId: t.seriesId, recurrenceId: "2027-01-14T09:00:00", place: "Matriserommet" }), expect: MEETING_EDITORS },
  "meetings.cancelSeries": { input: ({ t }) => ({ seriesId: t.seriesToCancel }), expect: MEETING_EDITORS },
  "meetings.list": {
    input: () => ({ from: "2027-01-01T00:00:00Z", to: "2027-02-01T00:00:00Z" }),
    others: EVERYONE,
    check: (data: { occurrences: { seriesId: string }[] }, role) => {
      expect(data.occurrences.some((o) => o.seriesId === t.seriesId), "the series listed").toBe(role in MEETING_READERS);
    },
  },
  "meetings.getSeries": { input: ({ t }) => ({ seriesId: t.seriesId }), expect: MEETING_READERS },
  "meetings.open": { input: ({ t }) => ({ seriesId: t.seriesId, recurrenceId: "2027-01-21T09:00:00" }), expect: MEETING_READERS },
  "meetings.get": { input: ({ t }) => ({ meetingId: t.meetingId }), expect: MEETING_READERS },
  "meetings.setAttendance": {
    input: ({ t }) => ({ meetingId: t.meetingId, entries: [{ userId: userIds.nav, status: "present" }] }),
    expect: { nav: "ok", helsesykepleier: "ok", koordinator: err("FORBIDDEN"), leader: err("FORBIDDEN") },
  },
  // --- Meeting agendas: the meeting's parties; a named case's item only to those whose unit has it for purpose meeting.
  "agenda.list": {
    input: ({ t }) => ({ meetingId: t.agendaMeetingId }),
    expect: MEETING_PARTIES,
    check: (data: { items: { id: string; linkedCaseId: string | null }[] }, role) => {
      expect(data.items.some((i) => i.id === t.agendaNamed), "the named item listed").toBe(role !== "slt");
      if (role !== "koordinator") expect(data.items.map((i) => i.linkedCaseId).filter(Boolean), "an anonymous item's case").toEqual([]);
    },
  },
  // Only one who runs the case asks (the answer tells which units have a basis).
  "agenda.eligibility": { input: ({ t }) => ({ meetingId: t.agendaMeetingId, caseId: t.agendaCaseId }), expect: { ...AGENDA_CASE_SEERS, helsesykepleier: err("NOT_COORDINATOR"), nav: err("NOT_COORDINATOR"), barnevern: err("NOT_COORDINATOR") } },
  "agenda.add": { input: ({ t, role }) => ({ meetingId: t.agendaMeetingId, item: { kind: "topic", title: `Tema fra ${role}`, description: "" } }), expect: MEETING_PARTIES },
  "agenda.update": { input: ({ t }) => ({ agendaItemId: t.agendaTopic, description: "Endret" }), expect: { ...MEETING_PARTIES, ...AGENDA_RUNNERS } },
  "agenda.remove": { input: ({ t, role }) => ({ agendaItemId: t[`agendaRemove_${role}`] ?? t.agendaRemove_koordinator }), expect: { ...MEETING_PARTIES, ...AGENDA_RUNNERS } },
  "agenda.reorder": {
    input: ({ t }) => ({ meetingId: t.agendaMeetingId, orderedIds: agendaOrder }),
    expect: { ...MEETING_PARTIES, helsesykepleier: err("FORBIDDEN"), nav: err("FORBIDDEN"), barnevern: err("FORBIDDEN"), slt: err("FORBIDDEN") },
    before: async () => {
      const items = (await clients.koordinator.queryOk<{ items: { id: string; kind: string }[] }>("agenda.list", { meetingId: t.agendaMeetingId })).items;
      agendaOrder = items.filter((i) => i.kind !== "general").map((i) => i.id).reverse();
    },
  },
  "agenda.carryOver": {
    input: ({ t }) => ({ meetingId: t.agendaMeetingId }),
    expect: { ...MEETING_PARTIES, helsesykepleier: err("FORBIDDEN"), nav: err("FORBIDDEN"), barnevern: err("FORBIDDEN"), slt: err("FORBIDDEN") },
  },
  // An editor who runs the case (the organiser unit's leader does not see it: hidden; the minute-taker sees it but does not run it).
  "agenda.promote": {
    input: ({ t }) => ({ agendaItemId: t.agendaPromote, caseId: t.agendaCaseId }),
    expect: { koordinator: "ok", helsesykepleier: err("NOT_COORDINATOR"), nav: err("FORBIDDEN"), barnevern: err("FORBIDDEN"), slt: err("FORBIDDEN") },
  },
  "agenda.addOutcome": { input: ({ t }) => ({ agendaItemId: t.agendaNamed, kind: "information", text: "Orientering" }), expect: NAMED_ITEM_WRITERS },
  "agenda.removeOutcome": { input: ({ t, role }) => ({ outcomeId: t[`agendaOutcome_${role}`] ?? t.agendaOutcome_koordinator }), expect: NAMED_ITEM_WRITERS },
  // Through the plan's own judge: those who may write the plan (Barneverntjenesten has no plan category).
  "agenda.toMeasure": { input: ({ t }) => ({ outcomeId: t.agendaAction }), expect: { koordinator: "ok", helsesykepleier: "ok", nav: "ok", barnevern: err("NO_BASIS") } },
  // The chair sends to review, the minute-taker returns it to draft; the others may not.
  "agenda.setMinutesState": {
    input: ({ t, role }) => ({ meetingId: t.agendaMeetingId, to: role === "helsesykepleier" ? "draft" : "review" }),
    expect: { ...MEETING_PARTIES, leader: err("FORBIDDEN"), nav: err("FORBIDDEN"), barnevern: err("FORBIDDEN"), slt: err("FORBIDDEN") },
  },
  "agenda.minutesVersions": { input: ({ t }) => ({ meetingId: t.agendaMeetingId }), expect: MEETING_PARTIES },
  "agenda.print": {
    input: ({ t }) => ({ meetingId: t.agendaMeetingId }),
    expect: MEETING_PARTIES,
    check: (data: { items: { id: string }[] }, role) => expect(data.items.some((i) => i.id === t.agendaNamed), "the named item printed").toBe(role !== "slt"),
  },
  "agenda.ofCase": {
    input: ({ t }) => ({ caseId: t.agendaCaseId }),
    expect: AGENDA_CASE_SEERS,
    check: (data: { meetings: { meetingId: string }[] }) => expect(data.meetings.map((m) => m.meetingId), "the meeting listed").toContain(t.agendaMeetingId),
  },

  // --- Offers directory: every staff user of the municipality reads the published offers; only the owner unit (Røde Kors) manages them.
  "offers.list": {
    input: () => ({}),
    others: EVERYONE,
    check: (data: { id: string }[], role) => {
      const ids = data.map((o) => o.id);
      expect(ids.includes(t.offerId), "the published offer listed").toBe(role !== "other");
      expect(ids.includes(t.offerDraft), "the owner unit's unpublished offer listed").toBe(role === "frivillig");
    },
  },
  "offers.get": {
    input: ({ t }) => ({ offerId: t.offerId }),
    others: EVERYONE,
    expect: { other: "hidden" },
    check: (data: { abilities: { edit: boolean } }, role) => expect(data.abilities.edit, "abilities.edit").toBe(role === "frivillig"),
  },
  "offers.create": {
    input: () => ({ ...matrixOffer("Nytt matrisetilbud"), ownerUnitId: units["Røde Kors Fjellheim"] }),
    expect: { frivillig: "ok", other: err("NOT_FOUND") },
    others: err("FORBIDDEN"),
  },
  "offers.update": { input: ({ t }) => ({ offerId: t.offerId, ...matrixOffer("Matrisetilbud (endret)") }), expect: { frivillig: "ok", other: "hidden" }, others: err("FORBIDDEN") },
  "offers.archive": { input: ({ t }) => ({ offerId: t.offerToArchive }), expect: { frivillig: "ok", other: "hidden" }, others: err("FORBIDDEN") },
  "offers.areas": { others: EVERYONE },

  // --- Referrals: the case's coordinator makes and follows them; the recipient unit (Røde Kors, frivillig) sees and answers its own; nobody else learns of them.
  "referrals.recipients": { input: ({ t }) => ({ caseId: t.referralCaseId }), expect: { koordinator: "ok" } },
  "referrals.prefill": { input: ({ t }) => ({ caseId: t.referralCaseId, subjectId: t.referralSubjectId }), expect: { koordinator: "ok" } },
  "referrals.create": {
    input: ({ t }) => ({ caseId: t.referralCaseId, subjectId: t.referralSubjectId, recipientUnitId: units["Røde Kors Fjellheim"], data: referralData("Rita", { need: secrets.referralNeed.text }), supportScheme: null, send: true }),
    expect: { koordinator: "ok" },
  },
  "referrals.move": {
    input: ({ t, role }) => (role === "koordinator" ? { referralId: t.referralDraft, move: { to: "sent" } } : { referralId: t.referralToClaim, move: { to: "received" } }),
    expect: { koordinator: "ok", frivillig: "ok" },
  },
  "referrals.get": {
    input: ({ t }) => ({ referralId: t.referralId }),
    expect: { koordinator: "ok", frivillig: "ok" },
    check: (data: Record<string, unknown>, role) => expect("referrer" in data, "the referring side's fields").toBe(role === "koordinator"),
  },
  "referrals.list": {
    input: () => ({ box: "inbox" }),
    others: EVERYONE,
    check: (data: { id: string }[], role) => expect(data.some((r) => r.id === t.referralId), "the referral in the inbox").toBe(role === "frivillig"),
  },
  "referrals.forCase": { input: ({ t }) => ({ caseId: t.referralCaseId }), expect: { koordinator: "ok" } },

  // --- Referral insights: figures (counts, each unit its own, leaders and admins all), the family's feedback without a name, the response deadline.
  "referralInsights.figures": {
    check: (data: { offers: { id: string }[]; units: { id: string }[] }, role) => {
      const volunteers = [units["Fjellheim idrettslag"]!, units["Røde Kors Fjellheim"]!];
      const expected = role === "leader" || role === "admin" ? volunteers : role === "frivillig" ? [units["Røde Kors Fjellheim"]!] : [];
      expect(data.units.map((u) => u.id).filter((id) => volunteers.includes(id)).sort(), "the volunteer units' rows").toEqual([...expected].sort());
      if (!["leader", "admin", "frivillig"].includes(role)) expect(data.offers, "offer rows").toEqual([]);
    },
  },
  "referralInsights.feedback": { input: ({ t }) => ({ offerId: t.insightsOfferRedCross }), expect: { admin: "ok", leader: "ok", frivillig: "ok", other: "hidden" }, others: err("FORBIDDEN") },
  // The referring side on a completed referral; its recipient reads it but does not record the family's words.
  "referralInsights.recordFeedback": {
    input: ({ t }) => ({ referralId: t.insightsReferralCompleted, rating: "good", words: "Det gikk fint" }),
    expect: { koordinator: "ok", frivillig: err("FORBIDDEN") },
  },
  "referralInsights.settings": { others: EVERYONE },
  "referralInsights.updateSettings": { input: () => ({ responseDays: 5 }), expect: { admin: "ok", other: "ok" }, ...admins },
};

/** Procedures that change what the others depend on run last, in this order. */
const last = ["cases.acceptHandover", "cases.close", "auth.logoutEverywhere"];

// At run time tRPC v11 keeps every procedure in one flat record by its dotted path.
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" | "subscription" } }>;
const paths = Object.keys(procedures);
const ordered = [...paths.filter((p) => !last.includes(p)), ...last.filter((p) => paths.includes(p))];
let statuteId: string;

function outcomeFor(probe: Probe, role: Role): Outcome {
  if (role === "anonymous") return probe.anonymous ?? err("UNAUTHENTICATED");
  return probe.expect?.[role] ?? probe.others ?? "hidden";
}

const describeOutcome = (o: Outcome) => (typeof o === "string" ? o : `error ${o.error}`);
const describeResult = (r: TrpcResult) => (r.ok ? "data (200)" : `${r.status} ${r.error.data.code}/${r.error.data.appCode ?? "-"} "${r.error.message}"`);
const shape = (r: TrpcResult) => (r.ok ? { status: r.status } : { status: r.status, code: r.error.data.code, appCode: r.error.data.appCode, message: r.error.message });

const randomTargets = (): Targets => new Proxy({} as Targets, { get: () => randomUUID() });

async function call(path: string, client: HttpClient, input: unknown): Promise<TrpcResult> {
  return procedures[path]!._def.type === "query" ? client.query(path, input) : client.mutation(path, input);
}

async function sessionFor(role: Role): Promise<HttpClient> {
  if (role === "anonymous") return new HttpClient(server.url);
  if (role === "other") return signedIn(server.url, OTHER_EMAIL, OTHER_PASSWORD);
  return signedIn(server.url, emailOf(role), DEMO_PASSWORD);
}

/** One cell of the matrix: the problems found, each naming the procedure, the role and what was expected. */
async function runCell(path: string, probe: Probe, role: Role): Promise<string[]> {
  const expected = outcomeFor(probe, role);
  const allowed = expected === "ok";
  const client = probe.freshSession ? (role === "anonymous" ? new HttpClient(server.url) : await sessionFor(role)) : clients[role];
  const res = await call(path, client, probe.input?.({ t, role, allowed }));
  const where = `${path} as ${role}: expected ${describeOutcome(expected)}`;
  const problems: string[] = [];
  const text = JSON.stringify(res);
  for (const [name, s] of Object.entries(secrets)) {
    if (text.includes(s.text) && !(s.seenBy as readonly string[]).includes(role)) problems.push(`${where}, but the response holds ${name} ("${s.text}"), which only ${s.seenBy.join(", ")} may see`);
  }
  if (role === "other" && (text.includes("@demo.laget.no") || text.includes(t.caseId))) problems.push(`${where}, but the response holds Demo kommune's data`);
  if (expected === "ok") {
    if (!res.ok) return [...problems, `${where}, got ${describeResult(res)}`];
    if (probe.check) {
      try {
        probe.check(res.data as never, role);
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message.split("\n")[0]}`);
      }
    }
  } else if (expected === "hidden") {
    const random = await call(path, client, probe.input?.({ t: randomTargets(), role, allowed }));
    if (res.ok || res.status !== 404 || JSON.stringify(shape(res)) !== JSON.stringify(shape(random))) {
      problems.push(`${where} (the same NOT_FOUND as a random id: ${describeResult(random)}), got ${describeResult(res)}`);
    }
  } else if (res.ok || res.error.data.appCode !== expected.error) {
    problems.push(`${where}, got ${describeResult(res)}`);
  }
  return problems;
}

/** A proposed handover of the spare case from the coordinator to NAV, for the answer probes. */
async function openHandover(): Promise<void> {
  const proposed = await clients.koordinator.mutationOk<{ handoverId: string }>("cases.proposeHandover", { caseId: t.spareCaseId, toUserId: userIds.nav });
  t.handoverId = proposed.handoverId;
}

beforeAll(async () => {
  server = await startTestServer();
  const other = await createMunicipality(server.db, "Annen kommune", OTHER_PASSWORD, [{ email: OTHER_EMAIL, unit: "Annen administrasjon", role: "admin" }]);
  otherUnitId = other.unitIds["Annen administrasjon"]!;
  for (const role of roles) clients[role] = await sessionFor(role);
  const k = clients.koordinator;
  units = await unitIdsByName(k);
  const people = await k.queryOk<{ id: string; displayName: string }[]>("users.directory");
  userIds = Object.fromEntries(
    (["admin", "leader", "koordinator", "helsesykepleier", "nav", "barnevern", "frivillig", "slt"] as const).map((role) => {
      const name = demoUsers.find((u) => u.email === emailOf(role))!.displayName;
      return [role, people.find((p) => p.displayName === name)!.id];
    }),
  );

  // The case: the school's, coordinated by Kari; NAV and Helsestasjonen on the family's consent.
  const main = await createChildCase(k, units["Fjellheim skole"]!, secrets.child.text, 2014);
  t.caseId = main.caseId;
  t.subjectId = main.subjectId;
  const consentFor = async (unitIds: string[], overrides: Record<string, unknown> = {}) =>
    (await k.mutationOk<{ consentId: string }>("consents.create", { caseId: t.caseId, ...consentTerms(t.subjectId, unitIds, overrides) })).consentId;
  t.consentActive = await consentFor([units["NAV Fjellheim"]!, units.Helsestasjonen!], {
    grantors: [{ name: secrets.grantor.text, relation: "parent" }],
    childViews: { heardOn: new Date().toISOString().slice(0, 10), how: "Samtale", summary: secrets.childViews.text },
  });
  await k.mutationOk("consents.activate", { consentId: t.consentActive });

  // Notes: Helsestasjonen's own health note, the school's health note, one moved from health to school, NAV's.
  const note = async (client: HttpClient, category: string, body: string) => (await client.mutationOk<{ noteId: string }>("cases.addNote", { caseId: t.caseId, category, body })).noteId;
  t.noteHealthStation = await note(clients.helsesykepleier, "health", secrets.healthStationNote.text);
  t.noteSchoolHealth = await note(k, "health", secrets.schoolHealthNote.text);
  t.noteRecategorised = await note(k, "health", secrets.recategorisedOld.text);
  await k.mutationOk("cases.editNote", { noteId: t.noteRecategorised, category: "school", body: secrets.recategorisedNew.text });
  t.noteNav = await note(clients.nav, "school", secrets.navNote.text);

  // The school discloses its health data to barnevern on a legal basis (barnevern joins: a confidential participant).
  const statutes = await k.queryOk<{ id: string; key: string }[]>("disclosures.statutes");
  statuteId = statutes.find((s) => s.key === "bvl-13-1")!.id;
  const disclose = async (unitId: string, categories: string[], justification: string) =>
    (await k.mutationOk<{ disclosureId: string }>("disclosures.create", { caseId: t.caseId, statuteId, recipientUnitId: unitId, categories, justification })).disclosureId;
  t.disclosureBarnevern = await disclose(units.Barneverntjenesten!, ["identity", "health"], secrets.justification.text);
  t.disclosureToRevoke = await disclose(units.PPT!, ["school"], "Til PPT");

  // A participant unit without any basis (SLT), and one to remove.
  await k.mutationOk("cases.addParticipant", { caseId: t.caseId, unitId: units.SLT });
  await k.mutationOk("cases.addParticipant", { caseId: t.caseId, unitId: units["Fjellheim barnehage"] });
  const participants = (await k.queryOk<{ participants: { id: string; unitId: string }[] }>("cases.get", { caseId: t.caseId })).participants;
  t.participantId = participants.find((p) => p.unitId === units["Fjellheim barnehage"])!.id;

  // A volunteer organisation named in a consent: the server must refuse it (or it must at least never grant the case).
  const volunteer = await k.mutation<{ consentId: string }>("consents.create", { caseId: t.caseId, ...consentTerms(t.subjectId, [units["Røde Kors Fjellheim"]!]) });
  if (volunteer.ok) await k.mutation("consents.activate", { consentId: volunteer.data.consentId });

  // Consents in each state a transition starts from (all for PPT, which no demo user belongs to).
  const ppt = [units.PPT!];
  t.consentToRequest = await consentFor(ppt);
  t.consentToActivate = await consentFor(ppt);
  t.consentToRefuse = await consentFor(ppt);
  await k.mutationOk("consents.request", { consentId: t.consentToRefuse });
  t.consentToWithdraw = await consentFor(ppt);
  await k.mutationOk("consents.activate", { consentId: t.consentToWithdraw });
  t.consentToInvalidate = await consentFor(ppt);
  t.consentToDelete = await consentFor(ppt);

  // The case thread with two of the coordinator's messages (one edited), and a group with NAV.
  t.threadId = (await k.mutationOk<{ id: string }>("conversations.ofCase", { caseId: t.caseId })).id;
  t.messageId = randomUUID();
  await k.mutationOk("messages.send", { id: t.messageId, conversationId: t.threadId, body: secrets.thread.text });
  await k.mutationOk("messages.edit", { messageId: t.messageId, body: `${secrets.thread.text} (rettet)` });
  t.messageToDelete = randomUUID();
  await k.mutationOk("messages.send", { id: t.messageToDelete, conversationId: t.threadId, body: `${secrets.thread.text} 2` });
  t.groupId = (await k.mutationOk<{ id: string }>("conversations.createGroup", { groupKind: "team", title: "Matrisegruppe", memberIds: [userIds.nav] })).id;

  // A plan revision (the last editor leaving keeps one).
  const plan = connectPlan(server.url, k.cookie, t.caseId);
  await plan.ready;
  addMeasure(plan.doc, { title: "Matrisetiltak" });
  plan.destroy();
  t.revisionId = (await eventually(async () => {
    const list = await k.queryOk<{ id: string }[]>("plans.revisions", { caseId: t.caseId });
    expect(list.length).toBeGreaterThan(0);
    return list;
  }))[0]!.id;

  // A spare case for the handover answers, shared with NAV.
  const spare = await createChildCase(k, units["Fjellheim skole"]!, `Reserve ${tag}`, 2012);
  t.spareCaseId = spare.caseId;
  const spareConsent = await k.mutationOk<{ consentId: string }>("consents.create", { caseId: spare.caseId, ...consentTerms(spare.subjectId, [units["NAV Fjellheim"]!]) });
  await k.mutationOk("consents.activate", { consentId: spareConsent.consentId });

  // A calendar feed token of the coordinator's.
  t.calendarTokenId = (await k.mutationOk<{ id: string }>("calendar.createToken", { name: "Matrise" })).id;

  // The admin's targets: a unit and a user in it.
  const admin = clients.admin;
  t.unitId = (await admin.mutationOk<{ id: string }>("units.create", { name: `Matriseenhet ${tag}`, kind: "other" })).id;
  t.userId = (await admin.mutationOk<{ userId: string }>("users.create", { email: `matrise-${tag}@demo.laget.no`, displayName: "Mats Matrise", memberships: [{ unitId: units.PPT, role: "caseworker" }, { unitId: units.PPT, role: "leader" }] })).userId;
  const listed = await admin.queryOk<{ id: string; memberships: { id: string; role: string }[] }[]>("users.list");
  t.membershipId = listed.find((u) => u.id === t.userId)!.memberships.find((m) => m.role === "leader")!.id;

  // A meeting series of NAV's, an occurrence of it opened, and one to cancel.
  t.seriesId = (await clients.nav.mutationOk<{ seriesId: string }>("meetings.createSeries", matrixSeries(units["NAV Fjellheim"]!))).seriesId;
  t.seriesToCancel = (await clients.nav.mutationOk<{ seriesId: string }>("meetings.createSeries", matrixSeries(units["NAV Fjellheim"]!))).seriesId;
  t.meetingId = (await clients.nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId: t.seriesId, recurrenceId: "2027-01-14T09:00:00" })).meetingId;
  // A meeting (meetings/testing.ts): a named case with consent for every unit, the other case anonymously, a topic, items and outcomes to act on.
  const world = await agendaWorld(server.db, k, ` ${tag}`);
  t.agendaMeetingId = world.meetingId;
  t.agendaCaseId = world.full.caseId;
  const add = async (item: unknown, who: HttpClient = k) => (await who.mutationOk<{ agendaItemId: string }>("agenda.add", { meetingId: t.agendaMeetingId, item })).agendaItemId;
  t.agendaNamed = await add({ kind: "case", caseId: world.full.caseId });
  await add({ kind: "anonymous", pseudonym: "Gutt, 14 år", description: "", linkedCaseId: world.partial.caseId });
  t.agendaTopic = await add({ kind: "topic", title: "Matrisetema", description: "" });
  for (const role of ["leader", "koordinator", "helsesykepleier"] as const) t[`agendaRemove_${role}`] = await add({ kind: "topic", title: `Fjernes av ${role}`, description: "" });
  t.agendaPromote = await add({ kind: "anonymous", pseudonym: "Jente, 9 år", description: "" });
  const outcome = async (kind: string) => (await k.mutationOk<{ outcomeId: string }>("agenda.addOutcome", { agendaItemId: t.agendaNamed, kind, text: `Tiltak ${kind}`, responsibleUserId: userIds.nav })).outcomeId;
  t.agendaAction = await outcome("action");
  for (const role of ["koordinator", "helsesykepleier"] as const) t[`agendaOutcome_${role}`] = await outcome("decision");

  // Offers of Røde Kors (the volunteer contact's unit): one published, one unpublished, one to archive.
  const offerOf = async (title: string, published = true) =>
    (await clients.frivillig.mutationOk<{ offerId: string }>("offers.create", { ...matrixOffer(title, published), ownerUnitId: units["Røde Kors Fjellheim"] })).offerId;
  t.offerId = await offerOf("Matrisetilbud");
  t.offerDraft = await offerOf("Matriseutkast", false);
  t.offerToArchive = await offerOf("Matrisetilbud som arkiveres");

  // Referrals: a case of the school's whose consent lets the child be referred to Røde Kors Fjellheim; one referral sent, one to claim, one draft.
  const referred = await createChildCase(k, units["Fjellheim skole"]!, secrets.referralChild.text, 2015);
  t.referralCaseId = referred.caseId;
  t.referralSubjectId = referred.subjectId;
  const referralConsent = await k.mutationOk<{ consentId: string }>("consents.create", { caseId: referred.caseId, ...referralConsentTerms(referred.subjectId, [units["Røde Kors Fjellheim"]!]) });
  await k.mutationOk("consents.activate", { consentId: referralConsent.consentId });
  const refer = async (send: boolean) =>
    (
      await k.mutationOk<{ referralId: string }>("referrals.create", {
        caseId: referred.caseId,
        subjectId: referred.subjectId,
        recipientUnitId: units["Røde Kors Fjellheim"],
        data: referralData("Rita", { need: secrets.referralNeed.text }),
        supportScheme: "free",
        send,
      })
    ).referralId;
  t.referralId = await refer(true);
  t.referralToClaim = await refer(true);
  t.referralDraft = await refer(false);

  // Referral insights: a completed referral from the case (Kari's) to Røde Kors Fjellheim, and one of its offers.
  const offerIds = await offerIdsByTitle(server.db);
  t.insightsOfferRedCross = offerIds["Ferie for alle – sommerleir"]!;
  const kase = await server.db.selectFrom("cases").select("municipality_id").where("id", "=", t.caseId).executeTakeFirstOrThrow();
  const consent = await server.db.selectFrom("consents").select("version").where("id", "=", t.consentActive).executeTakeFirstOrThrow();
  t.insightsReferralCompleted = await insertReferral(
    server.db,
    { units, users: { koordinator: userIds.koordinator! }, municipalityId: kase.municipality_id, caseId: t.caseId, subjectId: t.subjectId, consentId: t.consentActive, consentVersion: consent.version },
    { recipient: "Røde Kors Fjellheim", offerId: t.insightsOfferRedCross, status: "completed", firstName: "Matrise" },
  );
}, 120_000);
afterAll(() => server?.stop());

test("every procedure of appRouter has a probe (100 % coverage), and every probe a procedure", () => {
  const missing = paths.filter((p) => !(p in probes));
  const stale = Object.keys(probes).filter((p) => !paths.includes(p));
  expect({ missing, stale }, `${paths.length - missing.length} of ${paths.length} procedures have a probe`).toEqual({ missing: [], stale: [] });
});

// A guessed id's audit trace is proven in audit/audit-truth.test.ts (it names neither case nor resource).

test("a search finds the case only for those who may see it", async () => {
  for (const role of roles.filter((r) => r !== "anonymous")) {
    const found = await clients[role].queryOk<{ id: string }[]>("cases.list", { search: secrets.child.text.slice(4), status: "open" });
    expect(found.map((c) => c.id), `${role} searching for the child`).toEqual(role in SEERS ? [t.caseId] : []);
  }
});

for (const path of ordered) {
  test(`${path}: only those with a basis get data; everyone else the answer a random id gets`, async () => {
    const probe = probes[path];
    if (!probe) throw new Error(`${path} has no probe: add one to the table in access-matrix.test.ts`);
    await probe.before?.();
    // Those who may are asked last: their calls may change what the others would see.
    const order = [...roles].sort((a, b) => Number(outcomeFor(probe, a) === "ok") - Number(outcomeFor(probe, b) === "ok"));
    const problems: string[] = [];
    for (const role of order) problems.push(...(await runCell(path, probe, role)));
    expect(problems, problems.join("\n")).toEqual([]);
  });
}
