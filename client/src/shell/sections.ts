import type { Role, UnitKind } from "@laget/domain";
import { caseWorkRoles } from "@laget/policy";

/**
 * Which main sections a signed-in person sees, and where Laget opens for them, from the
 * roles they hold (DESIGN.md §1): the one place this is decided. It decides what the
 * menu offers, not what the server allows; every section asks the server again.
 *
 * - Case work (coordinator, caseworker, leader, and the admin beside them): every section.
 * - A volunteer contact gets referrals, never a case: their inbox (Henvisninger) first,
 *   the offers, Meldinger (they write to colleagues directly), and Møter only when they
 *   take part in a meeting. Never Saker or Tiltak, so never the BTI filters.
 * - An SLT coordinator works on aggregates and meetings, not names: Møter first, the
 *   offers and Meldinger. Never Saker, Tiltak or Henvisninger (they hold no case to refer from).
 */
export const sectionPaths = ["/saker", "/tiltak", "/meldinger", "/moter", "/henvisninger", "/tilbud"] as const;
export type SectionPath = (typeof sectionPaths)[number];

export type Membership = { role: Role; unitKind: UnitKind };
/** Facts beyond roles that decide a section: whether the person takes part in any meeting. */
export type SectionFacts = { hasMeetings: boolean };

/** Roles that work on named cases: the policy's case-work roles, and the admin who runs the municipality beside them. */
const staffRoles: readonly string[] = [...caseWorkRoles, "admin"];

type Frame = "staff" | "volunteer" | "slt";

/** The frames a person works in: a volunteer unit's member works as a volunteer whatever the role says. */
function framesOf(memberships: readonly Membership[]): Set<Frame> {
  const frames = new Set<Frame>();
  for (const m of memberships) {
    if (m.unitKind === "volunteer" || m.role === "volunteer_contact") frames.add("volunteer");
    else if (m.role === "slt_coordinator") frames.add("slt");
    else if (staffRoles.includes(m.role)) frames.add("staff");
  }
  // No membership yet: the staff frame, as before (every section says what is empty).
  if (frames.size === 0) frames.add("staff");
  return frames;
}

/** Whether the sections depend on the person's meetings: only for those outside case work. */
export function needsMeetingFacts(memberships: readonly Membership[]): boolean {
  const frames = framesOf(memberships);
  return !frames.has("staff") && !frames.has("slt");
}

/** The main sections this person sees, in the menu's order. */
export function sectionsFor(memberships: readonly Membership[], facts: SectionFacts): SectionPath[] {
  const frames = framesOf(memberships);
  const shown = new Set<SectionPath>(["/meldinger", "/tilbud"]);
  if (frames.has("staff")) for (const path of sectionPaths) shown.add(path);
  if (frames.has("slt")) shown.add("/moter");
  if (frames.has("volunteer")) {
    shown.add("/henvisninger");
    if (facts.hasMeetings) shown.add("/moter");
  }
  return sectionPaths.filter((path) => shown.has(path));
}

/** Where Laget opens after login (and at "/"): case work on Saker, SLT on Møter, a volunteer contact on their inbox. */
export function startPathFor(memberships: readonly Membership[]): SectionPath {
  const frames = framesOf(memberships);
  if (frames.has("staff")) return "/saker";
  if (frames.has("volunteer")) return "/henvisninger";
  return "/moter";
}

/** Whether the person works on cases at all (Saker, a case's pages, Tiltak). */
export function worksOnCases(memberships: readonly Membership[]): boolean {
  return framesOf(memberships).has("staff");
}

/** Who sees the referral figures (/henvisninger/tall): leaders, and volunteer contacts for their own offers. */
export function seesReferralFigures(memberships: readonly Membership[]): boolean {
  return memberships.some((m) => m.role === "leader" || m.role === "volunteer_contact");
}

/**
 * Which boxes of Henvisninger a person has, the first one shown first: a volunteer contact
 * their units' inbox; case work the referrals sent, then what their own units received
 * (any unit with a published offer may receive referrals).
 */
export function referralBoxesFor(memberships: readonly Membership[]): ("inbox" | "sent")[] {
  const frames = framesOf(memberships);
  if (frames.has("staff")) return frames.has("volunteer") ? ["inbox", "sent"] : ["sent", "inbox"];
  return frames.has("volunteer") ? ["inbox"] : [];
}
