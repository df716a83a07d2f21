/**
 * Resources beside the case (DESIGN.md §4.6, §6, §7): a meeting, an agenda item, a
 * referral, an offer and the SLT plan. Each is plain data the server loads; `judge()`
 * decides an action on it without I/O, deny by default. A case's own data is never
 * judged here: wherever one of these touches a case (a named agenda item), the answer
 * comes from the case's decision (`unitMaySee`), so consent stays the one boundary.
 */
import { denyMatches, isConsentInForce, provisionCovers, unitMaySee } from "./decide.ts";
import type { CaseFacts, Category, ConsentSnapshot, PolicyActor } from "./types.ts";

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
};

/** What an agenda item is about (DESIGN.md §6): a named case, an anonymous discussion or a topic. */
export type AgendaItemSubject =
  | { kind: "case"; caseId: string; case: CaseFacts }
  | {
      kind: "anonymous";
      /** "Gutt, 14 år": what every participant sees. */
      pseudonym: string;
      /** The case it is about, if linked: only that case's coordinator may follow the link (§4.6). */
      linkedCase: Pick<CaseFacts, "caseId" | "municipalityId" | "coordinatorUserId"> | null;
    }
  | { kind: "topic" };

export type AgendaItemResource = {
  kind: "agenda_item";
  agendaItemId: string;
  meeting: MeetingResource;
  subject: AgendaItemSubject;
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
  recipientUnitId: string;
  /** The coordinator of the case it was made from: they follow it too. Never the case itself. */
  caseCoordinatorUserId: string;
  consentId: string;
  consentVersion: number;
  /** The consent it was sent under, when loaded: sending needs it in force for purpose `referral`. */
  consent?: ConsentSnapshot;
  status: ReferralStatus;
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
  /** read: see it; edit: change its agenda, time and participants. */
  meeting: "read" | "edit";
  /** read: see it and its minutes; writeMinutes: write them; followCaseLink: open the case an anonymous item is about. */
  agenda_item: "read" | "writeMinutes" | "followCaseLink";
  /** read: see it; send: send a draft; update: change or cancel it; respond: move it as its recipient. */
  referral: "read" | "send" | "update" | "respond";
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
 * A meeting is seen by the members of its organiser unit and of its participating units,
 * by the people invited by name, and by its chair and minute-taker; it is changed by its
 * chair and the organiser unit's members.
 */
export function decideMeeting(actor: PolicyActor, meeting: MeetingResource, action: ResourceActions["meeting"]): Judgement {
  if (actor.municipalityId !== meeting.municipalityId) return deny("other_municipality");
  const named = [...meeting.participantUserIds, meeting.chairUserId, meeting.minuteTakerUserId].includes(actor.userId);
  const organiser = actor.unitIds.includes(meeting.organiserUnitId);
  if (!named && !organiser && !memberOf(actor, meeting.participantUnitIds)) return deny("not_party");
  if (action === "read") return allow;
  if (action === "edit") return organiser || actor.userId === meeting.chairUserId ? allow : deny("wrong_role");
  return deny("wrong_role");
}

/**
 * An agenda item is for the meeting's people. A named case's item is shown only to those
 * of them with a unit that may see the case for purpose `meeting`, category `minutes`
 * (its minutes are that category of the case's data). An anonymous item is shown to all
 * participants, and only the case's coordinator may follow its link to the case. A topic
 * is shown to all participants. Minutes are written by the chair and the minute-taker
 * among those who may read the item.
 */
export function decideAgendaItem(actor: PolicyActor, item: AgendaItemResource, action: ResourceActions["agenda_item"], at: Date = new Date()): Judgement {
  const meeting = decideMeeting(actor, item.meeting, "read");
  if (!meeting.allow) return meeting;
  const subject = item.subject;
  if (subject.kind === "case") {
    const facts = subject.case;
    if (facts.municipalityId !== actor.municipalityId) return deny("other_municipality");
    const seen = actor.unitIds.some((u) => unitMaySee(facts, u, { purpose: "meeting", category: AGENDA_ITEM_CATEGORY, at }));
    if (!seen) return deny("no_basis");
  }
  switch (action) {
    case "read":
      return allow;
    case "writeMinutes":
      return actor.userId === item.meeting.chairUserId || actor.userId === item.meeting.minuteTakerUserId ? allow : deny("wrong_role");
    case "followCaseLink": {
      if (subject.kind === "topic") return deny("no_basis");
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
 * A referral is seen by the referring unit's members and the case's coordinator, and
 * (once sent) by the recipient unit's members. It carries its own minimum data: judging
 * it never looks at, and never opens, the case (decide() refuses purpose `referral`).
 * The referring side sends a draft under a covering consent and changes or cancels it
 * until it ends; the recipient moves it along once sent.
 */
export function decideReferral(actor: PolicyActor, referral: ReferralResource, action: ResourceActions["referral"], at: Date = new Date()): Judgement {
  if (actor.municipalityId !== referral.municipalityId) return deny("other_municipality");
  const referrer = actor.unitIds.includes(referral.referringUnitId) || actor.userId === referral.caseCoordinatorUserId;
  const recipient = actor.unitIds.includes(referral.recipientUnitId) && referral.status !== "draft";
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
  }
  return deny("wrong_role");
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
