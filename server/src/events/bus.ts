import { randomUUID } from "node:crypto";
import type { Logger } from "../log.ts";
import type { Delivery } from "./user-events.ts";

/**
 * Internal events that later capabilities subscribe to. In-process always; across server
 * processes through Redis pub/sub when REDIS_URL is set.
 *
 * A publish returns once every node has handled the event: listeners may be async and
 * are awaited, and each other node acknowledges an event only after its own listeners
 * are done. So when a revoking call returns, every node has already closed or narrowed
 * the live connections it judged (DESIGN.md §4.3 "before the lapsing call returns").
 */
export type AccessChangedReason =
  | "consent_withdrawn"
  | "consent_expired"
  | "consent_superseded"
  | "consent_invalidated"
  | "participant_removed"
  | "participant_narrowed"
  | "case_closed"
  | "disclosure_revoked"
  | "disclosure_expired"
  | "coordinator_changed";

/**
 * Who may see a case just narrowed (a consent withdrawn, expired or superseded, a
 * participant removed or narrowed to named people, a disclosure ended, a case closed):
 * live messages, live documents and referrals must re-check at once.
 */
export type AccessChanged = {
  type: "accessChanged";
  caseId: string;
  municipalityId: string;
  reason: AccessChangedReason;
  /** Units whose access may have narrowed (empty: any unit). */
  unitIds: string[];
  /** The users who could see the case before the change and cannot after (when known). */
  lostUserIds?: string[];
  at: string;
};

export type MembershipChangedReason = "membership_removed" | "user_deactivated" | "unit_deactivated";

/**
 * What some users may see just narrowed, whatever the case (a membership removed, which
 * is also how a role changes; a user or a unit deactivated): every live connection of
 * these users is judged again, on every node.
 */
export type MembershipChanged = {
  type: "membershipChanged";
  municipalityId: string;
  userIds: string[];
  reason: MembershipChangedReason;
  at: string;
};

/**
 * Sessions ended (logout, logout everywhere, password change or reset, deactivation):
 * live connections opened with them close at once, on every node.
 */
export type SessionsEnded = {
  type: "sessionsEnded";
  userId: string;
  /** The sessions that ended; null means every session of the user. */
  sessionIds: string[] | null;
  /** With sessionIds null: a session that stays (the one that changed the password). */
  exceptSessionId?: string;
};

/**
 * Events just committed to users' logs (notifications made by a job or a lapse, away from
 * any socket): every node pushes them to its own sockets of those users, so the bell
 * updates at once wherever the user is connected.
 */
export type UserEventsCommitted = { type: "userEventsCommitted"; deliveries: Delivery[] };

/**
 * Live documents to judge again (server/src/collab/revocation.ts): every node re-judges
 * its connections that match every field given, with the document kind's own judge.
 */
export type DocumentsInvalidated = {
  type: "documentsInvalidated";
  scope: {
    documentName?: string;
    caseId?: string;
    userIds?: string[];
    /** Ended sessions: their connections close outright. */
    sessions?: Omit<SessionsEnded, "type">;
  };
  reason: string;
};

export type BusEvent = AccessChanged | MembershipChanged | SessionsEnded | UserEventsCommitted | DocumentsInvalidated;

/** Whether a live connection opened with this session must close. */
export function sessionEnded(event: SessionsEnded, userId: string, sessionId: string): boolean {
  if (event.userId !== userId) return false;
  if (event.sessionIds) return event.sessionIds.includes(sessionId);
  return sessionId !== event.exceptSessionId;
}

/** A listener may return a promise: the event counts as handled on this node once it settles. */
export type BusListener = (event: BusEvent) => unknown;

export interface EventBus {
  /** Delivers to every node and resolves once each has handled it (or the ack timeout passed). */
  publish(event: BusEvent): Promise<void>;
  /** Delivers to this node's listeners only (e.g. a node-local timer saying a basis lapsed). */
  publishLocal(event: BusEvent): Promise<void>;
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

type Envelope = { origin: string; id: string; event: BusEvent };

const CHANNEL = "laget:events";
const ackChannel = (nodeId: string) => `laget:events:ack:${nodeId}`;
/** How long a publish waits for the other nodes; a node that died meanwhile must not block the caller. */
const DEFAULT_ACK_TIMEOUT_MS = 2_000;

export async function createEventBus(options: { redisUrl?: string; log: Logger; ackTimeoutMs?: number }): Promise<EventBus> {
  const listeners = new Set<BusListener>();
  const nodeId = randomUUID();
  const { log } = options;
  const deliver = async (event: BusEvent) => {
    await Promise.all(
      [...listeners].map(async (listener) => {
        try {
          await listener(event);
        } catch (err) {
          log.error({ err, event: event.type }, "event listener failed");
        }
      }),
    );
  };
  const subscribe = (listener: BusListener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  if (!options.redisUrl) {
    return {
      publish: deliver,
      publishLocal: deliver,
      subscribe,
      close: async () => listeners.clear(),
    };
  }

  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  // Loaded only with Redis: the client library is ~13 MB of an idle single-node server's memory.
  const { createClient: createRedisClient } = await import("redis");
  const publisher = createRedisClient({ url: options.redisUrl });
  const subscriber = publisher.duplicate();
  for (const client of [publisher, subscriber]) client.on("error", (err) => log.error({ err }, "redis error"));
  await Promise.all([publisher.connect(), subscriber.connect()]);

  /** Publishes waiting for acks: event id → the acks still missing. */
  const waiting = new Map<string, { acked: number; onAck: () => void }>();
  await subscriber.subscribe(ackChannel(nodeId), (id) => {
    const w = waiting.get(id);
    if (w) {
      w.acked++;
      w.onAck();
    }
  });
  await subscriber.subscribe(CHANNEL, (message) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (err) {
      log.warn({ err }, "ignoring a malformed bus message");
      return;
    }
    // Our own events were delivered locally when published.
    if (envelope.origin === nodeId) return;
    void deliver(envelope.event)
      .then(() => publisher.publish(ackChannel(envelope.origin), envelope.id))
      .catch((err: unknown) => log.error({ err }, "acknowledging a bus event failed"));
  });

  return {
    publish: async (event) => {
      await deliver(event);
      const id = randomUUID();
      let onAck = () => {};
      const entry = { acked: 0, onAck: () => onAck() };
      waiting.set(id, entry);
      try {
        // PUBLISH answers how many subscribers got it: every node's bus (ours included)
        // is one, so exactly that many minus one acks are due.
        const receivers = await publisher.publish(CHANNEL, JSON.stringify({ origin: nodeId, id, event } satisfies Envelope));
        const due = receivers - 1;
        if (entry.acked >= due) return;
        const acked = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), ackTimeoutMs);
          onAck = () => {
            if (entry.acked < due) return;
            clearTimeout(timer);
            resolve(true);
          };
        });
        if (!acked) log.warn({ event: event.type, due, acked: entry.acked }, "not every node acknowledged a bus event in time");
      } finally {
        waiting.delete(id);
      }
    },
    publishLocal: deliver,
    subscribe,
    close: async () => {
      listeners.clear();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}

export function accessChanged(
  caseId: string,
  municipalityId: string,
  reason: AccessChangedReason,
  unitIds: string[] = [],
): AccessChanged {
  return { type: "accessChanged", caseId, municipalityId, reason, unitIds, at: new Date().toISOString() };
}

export function membershipChanged(municipalityId: string, userIds: string[], reason: MembershipChangedReason): MembershipChanged {
  return { type: "membershipChanged", municipalityId, userIds: [...new Set(userIds)], reason, at: new Date().toISOString() };
}
