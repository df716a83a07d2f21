import {
  addMembershipInput,
  createUnitInput,
  createUserInput,
  membershipIdInput,
  renameUnitInput,
  unitIdInput,
  userIdInput,
} from "@laget/domain";
import { adminProcedure, router, userProcedure } from "../trpc/init.ts";
import { createUnit, deactivateUnit, listUnits, renameUnit, unitNameHistory } from "./units.ts";
import {
  addMembership,
  createUser,
  deactivateUser,
  listUsers,
  reactivateUser,
  removeMembership,
  resetPassword,
  staffDirectory,
} from "./users.ts";

/** Units are visible to every user of the municipality; managing them is for its admins. */
export const unitsRouter = router({
  list: userProcedure.query(({ ctx }) => listUnits(ctx.db, ctx.actor)),
  create: adminProcedure.input(createUnitInput).mutation(({ ctx, input }) => createUnit(ctx.db, ctx.actor, input)),
  rename: adminProcedure
    .input(renameUnitInput)
    .mutation(({ ctx, input }) => renameUnit(ctx.db, ctx.actor, input.unitId, input.name)),
  deactivate: adminProcedure
    .input(unitIdInput)
    .mutation(({ ctx, input }) => deactivateUnit(ctx.db, ctx.bus, ctx.actor, input.unitId)),
  history: adminProcedure.input(unitIdInput).query(({ ctx, input }) => unitNameHistory(ctx.db, ctx.actor, input.unitId)),
});

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db, ctx.actor)),
  directory: userProcedure.query(({ ctx }) => staffDirectory(ctx.db, ctx.actor)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),
  addMembership: adminProcedure
    .input(addMembershipInput)
    .mutation(({ ctx, input }) => addMembership(ctx.db, ctx.actor, input.userId, input.unitId, input.role)),
  removeMembership: adminProcedure
    .input(membershipIdInput)
    .mutation(({ ctx, input }) => removeMembership(ctx.db, ctx.bus, ctx.actor, input.membershipId)),
  deactivate: adminProcedure.input(userIdInput).mutation(({ ctx, input }) => deactivateUser(ctx.db, ctx.bus, ctx.actor, input.userId)),
  reactivate: adminProcedure.input(userIdInput).mutation(({ ctx, input }) => reactivateUser(ctx.db, ctx.actor, input.userId)),
  resetPassword: adminProcedure
    .input(userIdInput)
    .mutation(({ ctx, input }) => resetPassword(ctx.db, ctx.bus, ctx.actor, input.userId)),
});
