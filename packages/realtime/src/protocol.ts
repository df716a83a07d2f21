import type { PresenceStatus } from "@laget/domain";

/**
 * The socket protocol between the web client (and the tests' client) and the gateway
 * (server/src/messaging/gateway.ts): event names, payloads and the ack shape, stated once.
 *
 * Client → server events take a payload and an ack callback; the ack is always
 * `{ ok: true, ... }` or `{ ok: false, error: { code, message, fieldErrors? } }`.
 */

export type Mentions = { userIds: string[]; unitIds: string[] };

/** A message as a reader sees it. `D` is Date on the server and an ISO string on the wire. */
export type MessageView<D = string> = {
  id: string;
  conversationId: string;
  seq: number;
  authorUserId: string;
  authorName: string;
  replyToSeq: number | null;
  /** Null once deleted: the text is gone for readers (kept for audit). */
  body: string | null;
  mentions: Mentions;
  createdAt: D;
  editedAt: D | null;
  deletedAt: D | null;
};

/** The event types of messaging; other capabilities add their own (`meeting.*`, `referral.*`, …). */
export const messagingEventTypes = [
  "message.created",
  "message.edited",
  "message.deleted",
  "conversation.read",
  "conversation.added",
  "conversation.removed",
] as const;
export type MessagingEventType = (typeof messagingEventTypes)[number];
/** What a replay shows in place of an event the user may no longer see: its id, nothing else. */
export const GONE = "gone";

/**
 * One event of a user's log, live or in a replay. Every event is about one resource
 * (`resourceType`/`resourceId`, or none); `conversationId` is that id when the resource
 * is a conversation, kept for the messaging views.
 */
export type UserEvent<D = string> = {
  eventId: number;
  type: string;
  resourceType?: string | null;
  resourceId?: string | null;
  conversationId: string | null;
  message?: MessageView<D>;
  /** Small, non-personal extras (read state, a notification's kind). */
  data?: Record<string, unknown> | null;
};

export type AckError = { code: string; message: string; fieldErrors?: Record<string, string[]> | null };
export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: AckError };

/** The answer to `sync`: the events after `since`, or `reset` when some were pruned. */
export type SyncAnswer<E = UserEvent> = { events: E[]; more: boolean; reset: boolean; lastEventId: number };

export type WatchScope = "case" | "plan";
/** Why access to an open case ended, in words that say no more than the user knew. */
export type AccessEndedReason = "consent_withdrawn" | "consent_expired" | "access_ended";
export type CaseAccessEnded = { caseId: string; scope: WatchScope; reason: AccessEndedReason };

export type Hello = { userId: string; lastEventId: number; recovered: boolean };
export type Typing = { conversationId: string; userId: string; typing: boolean };
export type Presence = { userId: string; status: PresenceStatus };

/** What the server pushes; dates inside arrive as ISO strings. */
export interface ServerToClientEvents<D = string> {
  /** On every (re)connect: the head of the user's event log. */
  hello(p: Hello): void;
  /** One event of the user's log, with its event id. */
  event(e: UserEvent<D>): void;
  typing(p: Typing): void;
  presence(p: Presence): void;
  /** The user may no longer read this case thread. */
  "conversation:revoked"(p: { conversationId: string }): void;
  /** The conversation's members changed: fetch them again (sent to its room only). */
  "conversation:members"(p: { conversationId: string }): void;
  /** This socket's session ended: the client drops what it keeps on the device (plan copies). */
  "session:ended"(): void;
  /** Access to a watched case (or its plan) ended: clear what is shown. */
  "case:accessEnded"(p: CaseAccessEnded): void;
}

/** Client → server requests, by name: the payload each takes and what its ack carries when ok. */
export type ClientRequests = {
  "message:send": { payload: { id: string; conversationId: string; body: string; replyToSeq?: number; mentions?: Partial<Mentions> }; answer: { message: MessageView; duplicate: boolean } };
  "message:edit": { payload: { messageId: string; body: string }; answer: { message: MessageView } };
  "message:delete": { payload: { messageId: string }; answer: { message: MessageView } };
  "conversation:join": { payload: { conversationId: string }; answer: Record<string, never> };
  "conversation:leave": { payload: { conversationId: string }; answer: Record<string, never> };
  "conversation:read": { payload: { conversationId: string; seq: number }; answer: { lastReadSeq: number; unread: number; mentionCount: number } };
  "case:watch": { payload: { caseId: string; scope?: WatchScope }; answer: Record<string, never> };
  "case:unwatch": { payload: { caseId: string; scope?: WatchScope }; answer: Record<string, never> };
  sync: { payload: { since: number; limit?: number }; answer: SyncAnswer };
  "presence:set": { payload: { status: "online" | "away" }; answer: Record<string, never> };
  "presence:query": { payload: { userIds: string[] }; answer: { presence: Record<string, PresenceStatus> } };
};
export type ClientRequest = keyof ClientRequests;
/** Fire-and-forget client events (no ack). */
export type ClientSignals = { typing: { conversationId: string; typing: boolean } };

export const userRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
export const CONVERSATION_ROOM_PREFIX = "conversation:";
/** The conversation a room is of, or null for any other room. */
export const conversationOfRoom = (room: string) => (room.startsWith(CONVERSATION_ROOM_PREFIX) ? room.slice(CONVERSATION_ROOM_PREFIX.length) : null);
