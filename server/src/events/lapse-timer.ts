import { isConsentInForce, isDisclosureValid, type CaseFacts } from "@laget/policy";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import type { Logger } from "../log.ts";
import { accessChanged, type AccessChangedReason, type EventBus } from "./bus.ts";

/**
 * Time-based ends of a basis (a consent's period, a disclosure's validUntil) close live
 * access at that very moment (DESIGN.md §4.3), not when the expiry job next runs. Each
 * node keeps one timer for the nearest end among the cases its live connections were
 * judged on (`track`, called whenever a connection is judged); when it fires, an
 * `accessChanged` goes to this node's listeners only (every node has its own timer for
 * its own connections), and the case is tracked again for its next end.
 */
export type LapseTimer = {
  /** Remembers the next end among this case's bases (in force now). */
  track(facts: CaseFacts): void;
  close(): void;
};

/** Node timers take at most 2^31-1 ms; a later end is re-armed on the way. */
const MAX_DELAY_MS = 2 ** 31 - 1;

type NextEnd = { at: number; reason: AccessChangedReason; municipalityId: string };

/** The nearest future end among the case's bases now in force, if any. */
export function nextEnd(facts: CaseFacts, now = new Date()): NextEnd | null {
  let next: NextEnd | null = null;
  const consider = (at: number, reason: AccessChangedReason) => {
    if (at > now.getTime() && (!next || at < next.at)) next = { at, reason, municipalityId: facts.municipalityId };
  };
  for (const c of facts.consents) if (isConsentInForce(c, now)) consider(c.periodEnd.getTime(), "consent_expired");
  for (const d of facts.disclosures) if (isDisclosureValid(d, now) && d.validUntil) consider(d.validUntil.getTime(), "disclosure_expired");
  return next;
}

export function createLapseTimer(options: { db: Db; bus: EventBus; log: Logger }): LapseTimer {
  const { db, bus, log } = options;
  const ends = new Map<string, NextEnd>();
  let timer: NodeJS.Timeout | undefined;
  let armedFor = Infinity;
  let closed = false;

  function arm() {
    if (closed) return;
    let nearest = Infinity;
    for (const e of ends.values()) nearest = Math.min(nearest, e.at);
    if (nearest === armedFor && timer) return;
    clearTimeout(timer);
    timer = undefined;
    armedFor = nearest;
    if (nearest === Infinity) return;
    timer = setTimeout(() => void fire().catch((err: unknown) => log.error({ err }, "lapse timer failed")), Math.min(Math.max(nearest - Date.now(), 0), MAX_DELAY_MS));
    timer.unref();
  }

  async function fire() {
    timer = undefined;
    armedFor = Infinity;
    const now = Date.now();
    const due = [...ends].filter(([, e]) => e.at <= now);
    for (const [caseId] of due) ends.delete(caseId);
    // decide() judges a basis as ended from its end moment on, so every re-check now denies.
    await Promise.all(due.map(([caseId, e]) => bus.publishLocal(accessChanged(caseId, e.municipalityId, e.reason))));
    if (due.length) for (const facts of (await loadCaseFacts(db, due.map(([caseId]) => caseId))).values()) track(facts);
    arm();
  }

  function track(facts: CaseFacts) {
    const next = nextEnd(facts);
    if (next) ends.set(facts.caseId, next);
    else ends.delete(facts.caseId);
    arm();
  }

  return {
    track,
    close() {
      closed = true;
      clearTimeout(timer);
      ends.clear();
    },
  };
}
