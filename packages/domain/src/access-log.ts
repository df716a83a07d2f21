/**
 * The access log as a family reads it ("who has seen my data"): what kind of step each
 * audited action is, and consecutive identical reads folded into one row with a count.
 * Shared by the screen (client) and the CSV export (server), so both fold alike.
 */

export type AuditActionKind = "read" | "change" | "denied";

/** Actions that only show something (everything else changes something). */
const readActions = new Set([
  "case.read",
  "case.list",
  "case.audience",
  "case.handover.history",
  "note.read",
  "note.history",
  "consent.list",
  "disclosure.list",
  "disclosure.review_read",
  "audit.case_log",
  "conversation.open",
  "conversation.read",
  "conversation.list",
  "conversation.sync",
  "conversation.members",
  "message.history",
  "message.deliver",
  "message.deliver_edit",
  "message.deliver_delete",
  "plan.connect",
  "plan.open",
  "plan.revisions",
  "plan.my_measures",
]);

export function auditActionKind(action: string): AuditActionKind {
  if (action.startsWith("denied:")) return "denied";
  return readActions.has(action) ? "read" : "change";
}

export type FoldableEntry = {
  at: Date;
  actorName: string | null;
  unitName: string | null;
  action: string;
  basis: unknown;
  purpose: string | null;
};

export type Folded<T extends FoldableEntry> = T & { count: number; firstAt: Date };

/**
 * Folds runs of identical reads (same person, unit, action, basis and purpose, one after
 * the other) into one row: `at` is the run's latest time, `firstAt` its earliest, `count`
 * how many. Entries come newest first, as the log lists them; changes are never folded.
 */
export function foldReads<T extends FoldableEntry>(entries: readonly T[]): Folded<T>[] {
  const rows: Folded<T>[] = [];
  const key = (e: T) => JSON.stringify([e.actorName, e.unitName, e.action, e.basis ?? null, e.purpose]);
  let lastKey: string | null = null;
  for (const e of entries) {
    const k = auditActionKind(e.action) === "read" ? key(e) : null;
    const last = rows.at(-1);
    if (k !== null && k === lastKey && last) {
      last.count++;
      last.firstAt = e.at;
      continue;
    }
    rows.push({ ...e, count: 1, firstAt: e.at });
    lastKey = k;
  }
  return rows;
}
