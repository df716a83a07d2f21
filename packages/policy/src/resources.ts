/**
 * Resources beside the case (DESIGN.md §4.6, §6, §7): a meeting, an agenda item, a
 * referral, an offer and the SLT plan. Each is plain data the server loads; `judge()`
 * decides an action on it without I/O, deny by default. A case's own data is never
 * judged here: wherever one of these touches a case (a named agenda item), the answer
 * comes from the case's decision (`unitMaySee`), so consent stays the one boundary.
 */
import type { RuleVerdict } from "./case-rules.ts";
import { denyMatches, isConsentInForce, provisionCovers, unitSeeBasis, unitsLacking } from "./decide.ts";
import { runsCase } from "./participation.ts";
import type { Basis, CaseFacts, Category, ConsentSnapshot, PolicyActor } from "./types.ts";

/** A meeting's minutes (DESIGN.md §6): written in draft, checked in review, then approved and locked. */
export const minutesStates = ["draft", "review", "approved"] as const;
export type MinutesState = (typeof minutesStates)[number];

export type MeetingResource = {
  kind: "meeting";
  meetingId: string;
  municipalityId: string;
  organiserUnitId: string;
  participantUnitIds: readonly string[];
  /** People invited by name (beside everyone in the participating units). */
  participantUserIds: readonly string[];
  chairUserId: string | null;
  minuteTakerUserId: string | null;
  /**
   * The state of an occurrence's minutes. Absent: the series as a whole, which has no
   * minutes of its own, so nothing in them can be written (deny by default).
   */
  minutesState?: MinutesState;
};

/**
 * What an agenda item is about (DESIGN.md §6): a named case, an anonymous discussion, a
 * topic, or the meeting's general section (judged like a topic).
 */
export type AgendaItemSubject =
  | { kind: "case"; caseId: string; case: CaseFacts }
  | {
      kind: "anonymous";
      /** "Gutt, 14 år": what every participant sees. */
      pseudonym: string;
      /** The case it is about, if linked: only that case's coordinator may follow the link (§4.6). */
      linkedCase: Pick<CaseFacts, "caseId" | "municipalityId" | "coordinatorUserId"> | null;
    }
  | { kind: "topic" }
  | { kind: "general" };

export type AgendaItemResource = {
  kind: "agenda_item";
  agendaItemId: string;
  meeting: MeetingResource;
  subject: AgendaItemSubject;
  /** Who put it on the agenda: they may change it too, as the meeting's runners may. */
  createdByUserId?: string;
};

export const referralStatuses = [
  "draft", "sent", "received", "accepted", "declined", "on_hold", "in_progress", "completed", "failed", "cancelled",
] as const;
export type ReferralStatus = (typeof referralStatuses)[number];
/** A referral in one of these is over: nobody changes it any more (DESIGN.md §7). */
export const terminalReferralStatuses: readonly ReferralStatus[] = ["declined", "completed", "failed", "cancelled"];

export type ReferralResource = {
  kind: "referral";
  referralId: string;
  municipalityId: string;
  referringUnitId: string;
  /** The person who made it: they follow it while they are in the referring unit. */
  referredByUserId: string;
  recipientUnitId: string;
  /** The coordinator of the case it was made from: they follow it too. Never the case itself. */
  caseCoordinatorUserId: string;
  consentId: string;
  consentVersion: number;
  /** The consent it was sent under, when loaded: sending needs it in force for purpose `referral`. */
  consent?: ConsentSnapshot;
  status: ReferralStatus;
  /**
   * Whether it was ever sent (the server's `sent_at` is set). A draft cancelled before it
   * was sent is `cancelled` but never sent: the recipient unit never learns of it.
   */
  sent: boolean;
};

export type OfferResource = {
  kind: "offer";
  offerId: string;
  municipalityId: string;
  ownerUnitId: string;
  /** Published in the directory: every staff user of the municipality reads it. */
  published: boolean;
};

export type SltPlanResource = {
  kind: "slt_plan";
  planId: string;
  municipalityId: string;
  /** The SLT unit that owns the plan, where the SLT coordinator sits. */
  ownerUnitId: string;
  participantUnitIds: readonly string[];
};

export type Resource = MeetingResource | AgendaItemResource | ReferralResource | OfferResource | SltPlanResource;

/** The actions each kind knows; anything else is refused. */
export type ResourceActions = {
  /**
   * read: see it; edit: change its time, participants and the agenda's order; writeAgenda:
   * put items on its agenda; submitMinutes: move its minutes between draft and review;
   * approveMinutes: approve them (and reopen approved ones for a correction);
   * recordAttendance: record who came.
   */
  meeting: "read" | "edit" | "writeAgenda" | "submitMinutes" | "approveMinutes" | "recordAttendance";
  /**
   * read: see it and its minutes; writeMinutes: write them and its outcomes; edit: change or
   * remove the item (and move an anonymous one to named follow-up); followCaseLink: open
   * the case an anonymous item is about.
   */
  agenda_item: "read" | "writeMinutes" | "edit" | "followCaseLink";
  /**
   * read: see it; send: send a draft; update: change or cancel it; respond: move it as its
   * recipient; recordFeedback: record, with the family, how it went once it is completed.
   */
  referral: "read" | "send" | "update" | "respond" | "recordFeedback";
  offer: "read" | "edit";
  /** read and write its content; manage: its participants and settings. */
  slt_plan: "read" | "write" | "manage";
};

export type ResourceDenyReason = "other_municipality" | "not_party" | "no_basis" | "wrong_role" | "wrong_state";
export type Judgement = { allow: true } | { allow: false; reason: ResourceDenyReason };

const allow: Judgement = { allow: true };
const deny = (reason: ResourceDenyReason): Judgement => ({ allow: false, reason });
const memberOf = (actor: PolicyActor, unitIds: readonly string[]) => actor.unitIds.some((u) => unitIds.includes(u));
const hasRole = (actor: PolicyActor, unitId: string, role: string) => (actor.roles ?? []).some((r) => r.unitId === unitId && r.role === role);

/** The category an agenda item's content and minutes are for a named case: the minutes the family consented to. */
export const AGENDA_ITEM_CATEGORY: Category = "minutes";
/**
 * What a named item shows of its case: who it is about (identity) and what is said of them
 * (minutes). A unit sees the item only with both, for purpose `meeting`.
 */
export const AGENDA_ITEM_CATEGORIES: readonly Category[] = ["identity", AGENDA_ITEM_CATEGORY];

/** The units that take part in a meeting: its organiser unit and its participating units. */
export function meetingUnitIds(meeting: MeetingResource): string[] {
  return [...new Set([meeting.organiserUnitId, ...meeting.participantUnitIds])];
}

/**
 * The meeting's units that may not see the case as a named agenda item (sorted): empty
 * exactly when consent (or a unit's own data, or a disclosure) gives every one of them
 * the case's identity and minutes for purpose `meeting`. Only then may it be named on the
 * agenda (DESIGN.md §6); otherwise it is discussed anonymously, or consent is asked for.
 */
export function agendaUnitsLacking(facts: CaseFacts, meeting: MeetingResource, at: Date = new Date()): string[] {
  const units = meetingUnitIds(meeting);
  const lacking = new Set(AGENDA_ITEM_CATEGORIES.flatMap((category) => unitsLacking(facts, units, "meeting", { category, at })));
  return [...lacking].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Who may name a case on an agenda (or ask whether it may be named): one who runs it (its
 * coordinator, or who takes part through its owning unit). Whether every unit of a meeting
 * may see the case tells which units have a basis, which others in the case may not know
 * (confidential participation, DESIGN.md §4.3); those who run it know them all.
 */
export function mayNameOnAgenda(actor: PolicyActor, facts: CaseFacts): RuleVerdict {
  if (actor.municipalityId !== facts.municipalityId) return { allow: false, reason: "not_party" };
  return runsCase(actor, facts) ? { allow: true } : { allow: false, reason: "not_coordinator" };
}

/** The basis on which one of the actor's units sees a named case's item (the first in order), or null. */
export function agendaCaseBasis(actor: PolicyActor, facts: CaseFacts, at: Date = new Date()): Basis | null {
  if (facts.municipalityId !== actor.municipalityId) return null;
  for (const unitId of [...new Set(actor.unitIds)].sort()) {
    let basis: Basis | null = null;
    for (const category of AGENDA_ITEM_CATEGORIES) {
      const b = unitSeeBasis(facts, unitId, { purpose: "meeting", category, at });
      if (!b) {
        basis = null;
        break;
      }
      // The minutes' basis is the one recorded: it is what the item's content is read under.
      basis = b;
    }
    if (basis) return basis;
  }
  return null;
}

/**
 * A meeting is seen by the members of its organiser unit and of its participating units,
 * by the people invited by name, and by its chair and minute-taker; it is changed by its
 * chair and the organiser unit's members. Every party may put items on its agenda. Its
 * minutes are moved between draft and review by the chair and the minute-taker, and
 * approved only by the chair.
 */
export function decideMeeting(actor: PolicyActor, meeting: MeetingResource, action: ResourceActions["meeting"]): Judgement {
  if (actor.municipalityId !== meeting.municipalityId) return deny("other_municipality");
  const named = [...meeting.participantUserIds, meeting.chairUserId, meeting.minuteTakerUserId].includes(actor.userId);
  const organiser = actor.unitIds.includes(meeting.organiserUnitId);
  if (!named && !organiser && !memberOf(actor, meeting.participantUnitIds)) return deny("not_party");
  const chair = actor.userId === meeting.chairUserId;
  switch (action) {
    case "read":
      return allow;
    case "edit":
      return organiser || chair ? allow : deny("wrong_role");
    case "writeAgenda":
      // Approved minutes lock the agenda they are the minutes of.
      return meeting.minutesState === "approved" ? deny("wrong_state") : allow;
    case "submitMinutes":
      return chair || actor.userId === meeting.minuteTakerUserId ? allow : deny("wrong_role");
    case "approveMinutes":
      return chair ? allow : deny("wrong_role");
    case "recordAttendance":
      return organiser || chair || actor.userId === meeting.minuteTakerUserId ? allow : deny("wrong_role");
  }
  return deny("wrong_role");
}

/**
 * An agenda item is for the meeting's people. A named case's item is shown only to those
 * of them with a unit that may see the case's identity and minutes for purpose `meeting`
 * (AGENDA_ITEM_CATEGORIES). An anonymous item is shown to all participants, and only the
 * case's coordinator may follow its link to the case. A topic, and the general section,
 * are shown to all participants. Minutes (and outcomes) are written by the chair and the
 * minute-taker among those who may read the item while the minutes are a draft, by the
 * chair alone in review, by nobody once approved. An item is changed by the meeting's
 * runners (organiser unit, chair, minute-taker) and by whoever put it on the agenda, until
 * the minutes are approved; the general section is never changed as an item.
 */
export function decideAgendaItem(actor: PolicyActor, item: AgendaItemResource, action: ResourceActions["agenda_item"], at: Date = new Date()): Judgement {
  const meeting = decideMeeting(actor, item.meeting, "read");
  if (!meeting.allow) return meeting;
  const subject = item.subject;
  if (subject.kind === "case") {
    const facts = subject.case;
    if (facts.municipalityId !== actor.municipalityId) return deny("other_municipality");
    if (!agendaCaseBasis(actor, facts, at)) return deny("no_basis");
  }
  const chair = actor.userId === item.meeting.chairUserId;
  const state = item.meeting.minutesState;
  switch (action) {
    case "read":
      return allow;
    case "writeMinutes":
      if (!chair && actor.userId !== item.meeting.minuteTakerUserId) return deny("wrong_role");
      // In review only the chair still edits; approved minutes are locked; a series has none.
      if (state === undefined || state === "approved" || (state === "review" && !chair)) return deny("wrong_state");
      return allow;
    case "edit": {
      const runs = decideMeeting(actor, item.meeting, "edit").allow || actor.userId === item.meeting.minuteTakerUserId;
      if (!runs && (item.createdByUserId === undefined || item.createdByUserId !== actor.userId)) return deny("wrong_role");
      // The general section is the meeting's own: it is never changed or removed as an item.
      if (subject.kind === "general") return deny("wrong_role");
      return state === undefined || state === "approved" ? deny("wrong_state") : allow;
    }
    case "followCaseLink": {
      if (subject.kind === "topic" || subject.kind === "general") return deny("no_basis");
      const linked = subject.kind === "case" ? subject.case : subject.linkedCase;
      if (!linked || linked.municipalityId !== actor.municipalityId) return deny("no_basis");
      // A named item already shows the case to whom may see it; an anonymous one links only for its coordinator.
      return subject.kind === "case" || linked.coordinatorUserId === actor.userId ? allow : deny("not_party");
    }
  }
  return deny("wrong_role");
}

/** A referral's minimum data (first name, age, contact) is identity data of the case's subject. */
export const REFERRAL_CATEGORY: Category = "identity";

/** Whether the consent a referral names covers sending it: in force, that version, purpose `referral` for the recipient. */
export function referralConsentCovers(referral: ReferralResource, at: Date = new Date()): boolean {
  const c = referral.consent;
  return (
    c !== undefined &&
    c.id === referral.consentId &&
    c.version === referral.consentVersion &&
    isConsentInForce(c, at) &&
    c.provisions.some(
      (p) =>
        p.unitId === referral.recipientUnitId &&
        provisionCovers(p, "access", "referral", REFERRAL_CATEGORY) &&
        !p.denies.some((d) => denyMatches(d, "access", "referral", REFERRAL_CATEGORY)),
    )
  );
}

/**
 * A referral is seen by the person who made it (while in the referring unit) and the
 * case's coordinator, never by the rest of the referring unit (case membership narrows
 * who in a unit sees a case), and by the recipient unit's members only once it was sent
 * (`sent`): a draft, and a draft cancelled before it was ever sent, are the referring
 * side's alone, so the recipient unit never learns of them, even once over. (A draft is
 * never the recipient's even if `sent` said otherwise: contradictory facts deny.) It
 * carries its own minimum data: judging it never looks at, and never opens, the case
 * (decide() refuses purpose `referral`). The referring side sends a draft under a
 * covering consent and changes or cancels it until it ends; the recipient moves it along
 * once sent.
 */
export function decideReferral(actor: PolicyActor, referral: ReferralResource, action: ResourceActions["referral"], at: Date = new Date()): Judgement {
  if (actor.municipalityId !== referral.municipalityId) return deny("other_municipality");
  const referrer =
    (actor.userId === referral.referredByUserId && actor.unitIds.includes(referral.referringUnitId)) || actor.userId === referral.caseCoordinatorUserId;
  const recipient = actor.unitIds.includes(referral.recipientUnitId) && referral.sent && referral.status !== "draft";
  if (!referrer && !recipient) return deny("not_party");
  const over = terminalReferralStatuses.includes(referral.status);
  switch (action) {
    case "read":
      return allow;
    case "send":
      if (!referrer) return deny("wrong_role");
      if (referral.status !== "draft") return deny("wrong_state");
      return referralConsentCovers(referral, at) ? allow : deny("no_basis");
    case "update":
      if (!referrer) return deny("wrong_role");
      return over ? deny("wrong_state") : allow;
    case "respond":
      if (!recipient) return deny("wrong_role");
      return over ? deny("wrong_state") : allow;
    case "recordFeedback":
      // The family's words are recorded by the referring side, only once it is completed.
      if (!referrer) return deny("wrong_role");
      return referral.status === "completed" ? allow : deny("wrong_state");
  }
  return deny("wrong_role");
}

/**
 * Who reads a unit's referral figures and the feedback on its offers (DESIGN.md §7): the
 * unit's own members (the offering, receiving unit), and the municipality's leaders and
 * admins, for every unit. The figures are counts, never a person; small ones are hidden
 * where they are computed.
 */
export function mayReadReferralFigures(actor: PolicyActor, unit: { municipalityId: string; unitId: string }): Judgement {
  if (actor.municipalityId !== unit.municipalityId) return deny("other_municipality");
  if (actor.unitIds.includes(unit.unitId)) return allow;
  return (actor.roles ?? []).some((r) => r.role === "leader" || r.role === "admin") ? allow : deny("not_party");
}

/** An offer is read by every staff user of its municipality once published (else by its owner unit), edited by its owner unit's members. */
export function decideOffer(actor: PolicyActor, offer: OfferResource, action: ResourceActions["offer"]): Judgement {
  if (actor.municipalityId !== offer.municipalityId) return deny("other_municipality");
  const owner = actor.unitIds.includes(offer.ownerUnitId);
  if (action === "read") return offer.published || owner ? allow : deny("not_party");
  if (action === "edit") return owner ? allow : deny("wrong_role");
  return deny("wrong_role");
}

/**
 * The SLT action plan is read and written by the SLT coordinator of its owner unit and the
 * members of its participating units; only the SLT coordinator manages it.
 */
export function decideSltPlan(actor: PolicyActor, plan: SltPlanResource, action: ResourceActions["slt_plan"]): Judgement {
  if (actor.municipalityId !== plan.municipalityId) return deny("other_municipality");
  const coordinator = hasRole(actor, plan.ownerUnitId, "slt_coordinator");
  if (!coordinator && !memberOf(actor, plan.participantUnitIds)) return deny("not_party");
  if (action === "read" || action === "write") return allow;
  if (action === "manage") return coordinator ? allow : deny("wrong_role");
  return deny("wrong_role");
}

/** One entry for every kind: dispatches on `resource.kind`. */
export function judge<R extends Resource>(actor: PolicyActor, resource: R, action: ResourceActions[R["kind"]], at: Date = new Date()): Judgement {
  const r: Resource = resource;
  switch (r.kind) {
    case "meeting":
      return decideMeeting(actor, r, action as ResourceActions["meeting"]);
    case "agenda_item":
      return decideAgendaItem(actor, r, action as ResourceActions["agenda_item"], at);
    case "referral":
      return decideReferral(actor, r, action as ResourceActions["referral"], at);
    case "offer":
      return decideOffer(actor, r, action as ResourceActions["offer"]);
    case "slt_plan":
      return decideSltPlan(actor, r, action as ResourceActions["slt_plan"]);
  }
  return deny("not_party");
}
