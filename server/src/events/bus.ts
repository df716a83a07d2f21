import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createClient } from "redis";
import type { Logger } from "../log.ts";

/**
 * Internal events that later capabilities subscribe to. `accessChanged` says that who
 * may see a case just narrowed (a consent withdrawn, expired or superseded, a
 * participant removed, a case closed): live messages, live documents and referrals
 * must re-check at once. In-process always; across server processes through Redis
 * pub/sub when REDIS_URL is set.
 */
export type AccessChangedReason =
  | "consent_withdrawn"
  | "consent_expired"
  | "consent_superseded"
  | "consent_invalidated"
  | "participant_removed"
  | "case_closed"
  | "disclosure_revoked"
  | "coordinator_changed";

export type AccessChanged = {
  type: "accessChanged";
  caseId: string;
  municipalityId: string;
  reason: AccessChangedReason;
  /** Units whose access may have narrowed (empty: any unit). */
  unitIds: string[];
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

export type BusEvent = AccessChanged | SessionsEnded;

/** Whether a live connection opened with this session must close. */
export function sessionEnded(event: SessionsEnded, userId: string, sessionId: string): boolean {
  if (event.userId !== userId) return false;
  if (event.sessionIds) return event.sessionIds.includes(sessionId);
  return sessionId !== event.exceptSessionId;
}
type Envelope = { origin: string; event: BusEvent };

export interface EventBus {
  publish(event: BusEvent): Promise<void>;
  subscribe(listener: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = "laget:events";

export async function createEventBus(options: { redisUrl?: string; log: Logger }): Promise<EventBus> {
  const local = new EventEmitter();
  const nodeId = randomUUID();
  const deliver = (event: BusEvent) => {
    for (const listener of local.listeners("event")) {
      try {
        (listener as (e: BusEvent) => void)(event);
      } catch (err) {
        options.log.error({ err, event: event.type }, "event listener failed");
      }
    }
  };

  if (!options.redisUrl) {
    return {
      publish: async (event) => deliver(event),
      subscribe: (listener) => {
        local.on("event", listener);
        return () => local.off("event", listener);
      },
      close: async () => {
        local.removeAllListeners();
      },
    };
  }

  const publisher = createClient({ url: options.redisUrl });
  const subscriber = publisher.duplicate();
  for (const client of [publisher, subscriber]) client.on("error", (err) => options.log.error({ err }, "redis error"));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(CHANNEL, (message) => {
    try {
      const envelope = JSON.parse(message) as Envelope;
      // Our own events were delivered locally when published.
      if (envelope.origin !== nodeId) deliver(envelope.event);
    } catch (err) {
      options.log.warn({ err }, "ignoring a malformed bus message");
    }
  });
  return {
    publish: async (event) => {
      deliver(event);
      await publisher.publish(CHANNEL, JSON.stringify({ origin: nodeId, event } satisfies Envelope));
    },
    subscribe: (listener) => {
      local.on("event", listener);
      return () => local.off("event", listener);
    },
    close: async () => {
      local.removeAllListeners();
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
