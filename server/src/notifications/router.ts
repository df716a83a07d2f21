import { idSchema } from "@laget/domain";
import { z } from "zod";
import { router, userProcedure } from "../trpc/init.ts";
import { listNotifications, markNotificationsRead, unreadNotificationCount } from "./notifications.ts";

export const notificationsRouter = router({
  list: userProcedure.query(({ ctx }) => listNotifications(ctx.db, ctx.actor.id)),
  unreadCount: userProcedure.query(({ ctx }) => unreadNotificationCount(ctx.db, ctx.actor.id)),
  markRead: userProcedure
    .input(z.strictObject({ ids: z.array(idSchema).max(500).optional() }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.db, ctx.actor.id, input.ids)),
});
