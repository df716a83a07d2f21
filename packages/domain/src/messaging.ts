import { z } from "./zod.ts";
import { idSchema } from "./org.ts";
import { safeString, text } from "./text.ts";

/** Messaging (DESIGN.md §5): shared by the tRPC procedures, the socket gateway and the client. */
export const conversationKinds = ["case", "group", "direct"] as const;
export type ConversationKind = (typeof conversationKinds)[number];
export const groupKinds = ["team", "forum", "slt"] as const;
export type GroupKind = (typeof groupKinds)[number];

export const MESSAGE_MAX_LENGTH = 10_000;
export const HISTORY_PAGE_MAX = 200;

// The body is checked for emptiness and length by the server itself, so the error says
// MESSAGE_EMPTY / MESSAGE_TOO_LONG rather than a generic validation failure; this only
// bounds what is parsed at all.
const body = safeString.max(MESSAGE_MAX_LENGTH * 4);
const seq = z.number().int().min(0);

export const mentionsInput = z
  .strictObject({
    userIds: z.array(idSchema).max(50).default([]),
    unitIds: z.array(idSchema).max(20).default([]),
  })
  .default({ userIds: [], unitIds: [] });

export const sendMessageInput = z.strictObject({
  /** Client-generated (crypto.randomUUID()): a retried send never duplicates. */
  id: idSchema,
  conversationId: idSchema,
  body,
  replyToSeq: seq.min(1).optional(),
  mentions: mentionsInput,
  /**
   * The client sent this id before (its answer was lost). Only a hint: the server then
   * looks the id up and audits the delivery again only if the message is not there.
   */
  retry: z.boolean().default(false),
});
export type SendMessageInput = z.infer<typeof sendMessageInput>;

export const editMessageInput = z.strictObject({ messageId: idSchema, body });
export const messageIdInput = z.strictObject({ messageId: idSchema });
export const deleteMessageInput = messageIdInput;
export const conversationIdInput = z.strictObject({ conversationId: idSchema });

/** Keyset pagination: give `before` (older page) or `after` (newer page), or neither for the latest. */
export const historyInput = z
  .strictObject({
    conversationId: idSchema,
    before: seq.optional(),
    after: seq.optional(),
    limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
  })
  .refine((i) => i.before === undefined || i.after === undefined, { message: "Give before or after, not both", path: ["after"] });

export const markReadInput = z.strictObject({ conversationId: idSchema, seq });
export const caseConversationInput = z.strictObject({ caseId: idSchema });

export const createGroupInput = z.strictObject({
  groupKind: z.enum(groupKinds),
  title: text(200),
  memberIds: z.array(idSchema).max(500).default([]),
});
export const groupMembersInput = z.strictObject({ conversationId: idSchema, userIds: z.array(idSchema).min(1).max(500) });
export const directInput = z.strictObject({ userId: idSchema });

export const typingInput = z.strictObject({ conversationId: idSchema, typing: z.boolean() });
export const presenceStatuses = ["online", "away", "offline"] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];
export const setPresenceInput = z.strictObject({ status: z.enum(["online", "away"]) });
export const presenceQueryInput = z.strictObject({ userIds: z.array(idSchema).max(200) });
export const syncInput = z.strictObject({ since: z.number().int().min(0), limit: z.number().int().min(1).max(1000).default(500) });
