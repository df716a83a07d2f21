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
import type { Db } from "../db/connect.ts";
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
import { deleteMessage, editMessage, history, messageEdits, sendMessage } from "./messages.ts";
import { markRead } from "./read-state.ts";
import { deliverCommitted, type Realtime } from "./realtime.ts";

/**
 * Messaging over tRPC, as two routers: `conversations` (lists, a case's thread, groups and
 * their members, direct conversations, read state) and `messages` (history, edits, and
 * the same send/edit/delete the socket offers). Live traffic goes over the socket; see
 * gateway.ts.
 */
type Ctx = { db: Db; actor: Actor; realtime: Realtime };
const deps = ({ db, actor }: Ctx) => ({ db, actor });
const live = ({ db, actor, realtime }: Ctx) => ({ db, actor, realtime });

export const conversationsRouter = router({
  list: userProcedure.query(({ ctx }) => listConversations(deps(ctx))),
  get: userProcedure.input(conversationIdInput).query(({ ctx, input }) => getConversation({ ...deps(ctx), ...input })),
  ofCase: userProcedure.input(caseConversationInput).mutation(({ ctx, input }) => caseConversation({ ...live(ctx), ...input })),
  direct: userProcedure.input(directInput).mutation(({ ctx, input }) => directConversation({ ...live(ctx), ...input })),
  createGroup: userProcedure.input(createGroupInput).mutation(({ ctx, input }) => createGroup({ ...live(ctx), ...input })),
  addMembers: userProcedure.input(groupMembersInput).mutation(({ ctx, input }) => addGroupMembers({ ...live(ctx), ...input })),
  removeMembers: userProcedure.input(groupMembersInput).mutation(({ ctx, input }) => removeGroupMembers({ ...live(ctx), ...input })),
  members: userProcedure.input(conversationIdInput).query(({ ctx, input }) => conversationMembers({ ...deps(ctx), ...input })),
  markRead: userProcedure.input(markReadInput).mutation(async ({ ctx, input }) => {
    const { deliveries, ...state } = await markRead({ ...deps(ctx), ...input });
    ctx.realtime.deliver(deliveries);
    return state;
  }),
});

/** Sends, edits and deletes over HTTP take from the same per-user bucket as over the socket (once their input is valid). */
function takeMessageToken(ctx: { messageLimiter: RateLimiter; actor: Actor }): void {
  if (!ctx.messageLimiter.take(ctx.actor.id)) throw new AppError("RATE_LIMITED", "Too many requests: slow down");
}

export const messagesRouter = router({
  history: userProcedure.input(historyInput).query(({ ctx, input }) => history({ ...deps(ctx), ...input })),
  edits: userProcedure.input(messageIdInput).query(({ ctx, input }) => messageEdits({ ...deps(ctx), ...input })),
  // The socket is the usual way to send; these serve clients without one (and tests).
  send: userProcedure.input(sendMessageInput).mutation(async ({ ctx, input }) => {
    takeMessageToken(ctx);
    const { deliveries, ...result } = await sendMessage({ ...deps(ctx), ...input });
    deliverCommitted(ctx.realtime, deliveries, ctx.log);
    return result;
  }),
  edit: userProcedure.input(editMessageInput).mutation(async ({ ctx, input }) => {
    takeMessageToken(ctx);
    const { deliveries, message } = await editMessage({ ...deps(ctx), ...input });
    deliverCommitted(ctx.realtime, deliveries, ctx.log);
    return { message };
  }),
  delete: userProcedure.input(deleteMessageInput).mutation(async ({ ctx, input }) => {
    takeMessageToken(ctx);
    const { deliveries, message } = await deleteMessage({ ...deps(ctx), ...input });
    deliverCommitted(ctx.realtime, deliveries, ctx.log);
    return { message };
  }),
});
