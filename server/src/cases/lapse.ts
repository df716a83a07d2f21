import { decide, type CaseFacts } from "@laget/policy";
import { loadActor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import type { AccessChanged, EventBus, MembershipChanged } from "../events/bus.ts";
import { notifyNow } from "../notifications/notifications.ts";
import { policyActor } from "./access.ts";
import { loadCaseFacts } from "./facts.ts";
import { caseReadersWithBasis } from "./participants.ts";

/**
 * When a basis lapses (DESIGN.md §4.3): who could see a case before a change and cannot
 * after. Every change that may narrow access takes a snapshot of the readers first and
 * publishes through it afterwards, so that the event names the users who lost access
 * and each of them gets one neutral notice (`case_access_ended`, no case content),
 * created here, on the node where the change happened, never by the nodes that react.
 *
 *   const lapse = await caseLapse(db, [caseId]);
 *   ...the change...
 *   await lapse.publish(bus, accessChanged(caseId, ...));
 */

/** Who may see each case (identity, coordination) at `at`: the case's readers as decide() judges them. */
export async function caseReaders(db: Db, facts: ReadonlyMap<string, CaseFacts>, at = new Date()): Promise<Map<string, Set<string>>> {
  const readers = new Map<string, Set<string>>();
  for (const [caseId, f] of facts) {
    readers.set(caseId, new Set((await caseReadersWithBasis(db, f, "identity", at)).map((r) => r.userId)));
  }
  return readers;
}

/** The cases each user may see now (identity, coordination): found through participation or coordination, judged by decide(). */
export async function casesReadableBy(db: Db, userIds: readonly string[], at = new Date()): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  for (const userId of new Set(userIds)) {
    const readable = new Set<string>();
    result.set(userId, readable);
    const actor = await loadActor(db, userId);
    if (!actor) continue;
    const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
    const candidates = await db
      .selectFrom("cases as c")
      .select("c.id")
      .where("c.municipality_id", "=", actor.municipalityId)
      .where((eb) =>
        eb.or([
          eb("c.coordinator_user_id", "=", userId),
          ...(unitIds.length
            ? [
                eb.exists(
                  eb
                    .selectFrom("case_participants as p")
                    .select("p.id")
                    .whereRef("p.case_id", "=", "c.id")
                    .where("p.unit_id", "in", unitIds)
                    .where("p.removed_at", "is", null),
                ),
              ]
            : []),
        ]),
      )
      .execute();
    const facts = await loadCaseFacts(db, candidates.map((c) => c.id));
    const subject = policyActor(actor);
    for (const [caseId, f] of facts) {
      if (decide(subject, { case: f, category: "identity" }, "read", "coordination", at).allow) readable.add(caseId);
    }
  }
  return result;
}

async function notifyEnded({ db, bus, lost, dedupeKey }: { db: Db; bus: EventBus; lost: Iterable<[caseId: string, userIds: Iterable<string>]>; dedupeKey?: string }): Promise<void> {
  for (const [caseId, userIds] of lost) await notifyNow({ db, bus, userIds: [...userIds], kind: "case_access_ended", caseId, dedupeKey });
}

export type CaseLapse = {
  /** Publishes the event (every node closes what it must before this returns) with `lostUserIds`, then notifies those users. */
  publish(bus: EventBus, event: AccessChanged): Promise<string[]>;
  /** Only tells those who lost the case (once per `dedupeKey`): for an end the nodes already acted on by their timers. */
  notify(bus: EventBus, caseId: string, dedupeKey: string): Promise<string[]>;
};

/**
 * The readers of these cases now (or, for a time-based end, just before `before`),
 * to compare with after the change.
 */
export async function caseLapse(db: Db, caseIds: readonly string[], options: { before?: Date } = {}): Promise<CaseLapse> {
  const at = options.before ? new Date(options.before.getTime() - 1) : new Date();
  const before = await caseReaders(db, await loadCaseFacts(db, caseIds), at);
  const lostNow = async (caseId: string) => {
    const after = await caseReaders(db, await loadCaseFacts(db, [caseId]));
    return [...(before.get(caseId) ?? [])].filter((u) => !after.get(caseId)?.has(u));
  };
  return {
    async publish(bus, event) {
      const lost = await lostNow(event.caseId);
      await bus.publish({ ...event, lostUserIds: lost });
      await notifyEnded({ db, bus, lost: [[event.caseId, lost]] });
      return lost;
    },
    async notify(bus, caseId, dedupeKey) {
      const lost = await lostNow(caseId);
      await notifyEnded({ db, bus, lost: [[caseId, lost]], dedupeKey });
      return lost;
    },
  };
}

export type UserLapse = {
  /** Publishes the event (every node re-judges these users' connections before this returns), then notifies per case lost. */
  publish(bus: EventBus, event: MembershipChanged): Promise<Map<string, string[]>>;
};

/** The cases these users may see now, to compare with after a change to their memberships. */
export async function userLapse(db: Db, userIds: readonly string[]): Promise<UserLapse> {
  const before = await casesReadableBy(db, userIds);
  return {
    async publish(bus, event) {
      const after = await casesReadableBy(db, event.userIds);
      await bus.publish(event);
      const lostByCase = new Map<string, string[]>();
      for (const [userId, cases] of before) {
        for (const caseId of cases) {
          if (after.get(userId)?.has(caseId)) continue;
          lostByCase.set(caseId, [...(lostByCase.get(caseId) ?? []), userId]);
        }
      }
      await notifyEnded({ db, bus, lost: lostByCase });
      return lostByCase;
    },
  };
}
