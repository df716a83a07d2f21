import {
  caseConversationInput,
  conversationIdInput,
  createGroupInput,
  directInput,
  groupMembersInput,
  historyInput,
  markReadInput,
  sendMessageInput,
  editMessageInput,
  deleteMessageInput,
  messageIdInput,
} from "@laget/domain";
import type { Actor } from "../auth/actor.ts";
import { AppError } from "../errors.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { router, userProcedure } from "../trpc/init.ts";
import {
  addGroupMembers,
  caseConversation,
  conversationMembers,
  createGroup,
  directConversation,
  getConversation,
  listConversations,
  removeGroupMembers,
} from "./conversations.ts";
import { deleteMessage, editMessage, history, markRead, messageEdits, sendMessage } from "./messages.ts";

/**
 * Messaging over tRPC: lists, history and management. Live traffic (and the same
 * send/edit/delete/read) goes over the socket; see gateway.ts.
 */
/** Sends, edits and deletes over HTTP take from the same per-user bucket as over the socket (once their input is valid). */
function takeMessageToken(ctx: { messageLimiter: RateLimiter; actor: Actor }): void {
  if (!ctx.messageLimiter.take(ctx.actor.id)) throw new AppError("RATE_LIMITED", "Too many requests: slow down");
}

export const messagingRouter = router({
  conversations: userProcedure.query(({ ctx }) => listConversations(ctx.db, ctx.actor)),
  conversation: userProcedure.input(conversationIdInput).query(({ ctx, input }) => getConversation(ctx.db, ctx.actor, input.conversationId)),
  caseConversation: userProcedure
    .input(caseConversationInput)
    .mutation(({ ctx, input }) => caseConversation(ctx.db, ctx.realtime, ctx.actor, input.caseId)),
  direct: userProcedure.input(directInput).mutation(({ ctx, input }) => directConversation(ctx.db, ctx.realtime, ctx.actor, input.userId)),
  createGroup: userProcedure.input(createGroupInput).mutation(({ ctx, input }) => createGroup(ctx.db, ctx.realtime, ctx.actor, input)),
  addMembers: userProcedure
    .input(groupMembersInput)
    .mutation(({ ctx, input }) => addGroupMembers(ctx.db, ctx.realtime, ctx.actor, input.conversationId, input.userIds)),
  removeMembers: userProcedure
    .input(groupMembersInput)
    .mutation(({ ctx, input }) => removeGroupMembers(ctx.db, ctx.realtime, ctx.actor, input.conversationId, input.userIds)),
  members: userProcedure.input(conversationIdInput).query(({ ctx, input }) => conversationMembers(ctx.db, ctx.actor, input.conversationId)),

  history: userProcedure.input(historyInput).query(({ ctx, input }) => history(ctx.db, ctx.actor, input)),
  edits: userProcedure.input(messageIdInput).query(({ ctx, input }) => messageEdits(ctx.db, ctx.actor, input.messageId)),
  markRead: userProcedure.input(markReadInput).mutation(async ({ ctx, input }) => {
    const { deliveries, ...state } = await markRead(ctx.db, ctx.actor, input);
    ctx.realtime.deliver(deliveries);
    return state;
  }),
  // The socket is the usual way to send; these serve clients without one (and tests).
  send: userProcedure.input(sendMessageInput).mutation(async ({ ctx, input }) => {
    takeMessageToken(ctx);
    const { deliveries, ...result } = await sendMessage(ctx.db, ctx.actor, input);
    ctx.realtime.deliver(deliveries);
    return result;
  }),
  edit: userProcedure.input(editMessageInput).mutation(async ({ ctx, input }) => {
    takeMessageToken(ctx);
    const { deliveries, message } = await editMessage(ctx.db, ctx.actor, input);
    ctx.realtime.deliver(deliveries);
    return { message };
  }),
  delete: userProcedure.input(deleteMessageInput).mutation(async ({ ctx, input }) => {
    takeMessageToken(ctx);
    const { deliveries, message } = await deleteMessage(ctx.db, ctx.actor, input.messageId);
    ctx.realtime.deliver(deliveries);
    return { message };
  }),
});
