import type { Delivery } from "../events/user-events.ts";
import type { Logger } from "../log.ts";

/**
 * What plain functions (and tRPC procedures) need from the socket gateway: push events
 * committed to users' logs, and move users' sockets in or out of a conversation's room.
 * Created before the gateway exists and bound to it once socket.io is attached; until
 * then (or with no gateway at all) pushes are dropped, and clients catch up by replay.
 */
export interface Realtime {
  deliver(deliveries: readonly Delivery[]): void;
  joinConversation(userIds: readonly string[], conversationId: string): void;
  leaveConversation(userIds: readonly string[], conversationId: string): void;
  /** Tells the sockets in a conversation's room that its members changed (a hint to fetch them again; no content). */
  membersChanged(conversationId: string): void;
}

export type RealtimeHub = Realtime & { bind(target: Realtime | null): void };

export function createRealtimeHub(): RealtimeHub {
  let target: Realtime | null = null;
  return {
    bind: (t) => {
      target = t;
    },
    deliver: (deliveries) => target?.deliver(deliveries),
    joinConversation: (userIds, conversationId) => target?.joinConversation(userIds, conversationId),
    leaveConversation: (userIds, conversationId) => target?.leaveConversation(userIds, conversationId),
    membersChanged: (conversationId) => target?.membersChanged(conversationId),
  };
}

/**
 * Pushes events already committed: committed means done, so a push that fails cannot make
 * the request that committed them a failure (readers who miss a push catch up by replay).
 * Its error is logged, never thrown.
 */
export function deliverCommitted(realtime: Realtime, deliveries: readonly Delivery[], log: Logger): void {
  try {
    realtime.deliver(deliveries);
  } catch (err) {
    log.error({ err }, "pushing committed events failed");
  }
}

export { conversationRoom, userRoom } from "@laget/realtime";
