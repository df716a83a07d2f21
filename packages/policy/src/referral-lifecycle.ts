/**
 * A referral's lifecycle (DESIGN.md §7) as one table: every change of status Laget
 * allows, who may make it, and what it requires. The server applies a row with a guarded
 * update (`where status = from`), so two concurrent answers cannot both succeed; nothing
 * else moves a referral.
 */
import { terminalReferralStatuses, type ReferralStatus } from "./resources.ts";

/** Who moves it: the referring side (its unit and the case's coordinator), the recipient unit, or Laget itself when a basis ends. */
export type ReferralMover = "referrer" | "recipient" | "laget";

/** What a target status needs recorded with it. */
export type ReferralRequirement = "consent" | "declineReason" | "resumeOn" | "outcome" | "failReason" | "cancelReason";

export type ReferralTransition = { from: ReferralStatus; to: ReferralStatus; by: ReferralMover };

/** Laget's status beside the FHIR Task status it maps to. */
export const fhirTaskStatus: Record<ReferralStatus, string> = {
  draft: "draft",
  sent: "requested",
  received: "received",
  accepted: "accepted",
  declined: "rejected",
  on_hold: "on-hold",
  in_progress: "in-progress",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

const open = (["draft", "sent", "received", "accepted", "on_hold", "in_progress"] as const satisfies readonly ReferralStatus[]);

export const referralTransitions: readonly ReferralTransition[] = [
  { from: "draft", to: "sent", by: "referrer" },
  // The recipient claims it (a named volunteer contact), then answers.
  { from: "sent", to: "received", by: "recipient" },
  { from: "sent", to: "declined", by: "recipient" },
  { from: "received", to: "accepted", by: "recipient" },
  { from: "received", to: "declined", by: "recipient" },
  { from: "received", to: "on_hold", by: "recipient" },
  // A waiting list: a place comes free, or does not.
  { from: "on_hold", to: "accepted", by: "recipient" },
  { from: "on_hold", to: "declined", by: "recipient" },
  { from: "accepted", to: "in_progress", by: "recipient" },
  // A holiday trip is over the day it starts: accepted may complete at once.
  { from: "accepted", to: "completed", by: "recipient" },
  { from: "accepted", to: "failed", by: "recipient" },
  { from: "in_progress", to: "completed", by: "recipient" },
  { from: "in_progress", to: "failed", by: "recipient" },
  // The referrer may withdraw it, and Laget cancels it when its basis ends, from any open state.
  ...open.map((from) => ({ from, to: "cancelled" as const, by: "referrer" as const })),
  ...open.map((from) => ({ from, to: "cancelled" as const, by: "laget" as const })),
];

/** What each target requires, whoever moves to it. */
export const referralRequirements: Partial<Record<ReferralStatus, readonly ReferralRequirement[]>> = {
  sent: ["consent"],
  declined: ["declineReason"],
  on_hold: ["resumeOn"],
  completed: ["outcome"],
  failed: ["failReason"],
  cancelled: ["cancelReason"],
};

/** The row that allows this move, or null: the one question every move asks. */
export function referralTransition(from: ReferralStatus, to: ReferralStatus, by: ReferralMover): ReferralTransition | null {
  if (terminalReferralStatuses.includes(from)) return null;
  return referralTransitions.find((t) => t.from === from && t.to === to && t.by === by) ?? null;
}

/** Where a mover may take a referral from here (for the client's buttons, through abilities). */
export function referralMovesFrom(from: ReferralStatus, by: ReferralMover): ReferralStatus[] {
  return referralTransitions.filter((t) => t.from === from && t.by === by).map((t) => t.to);
}
