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

// Thin: each procedure hands its context (db, bus, actor) and its parsed input to one plain function.

/** Units are visible to every user of the municipality; managing them is for its admins. */
export const unitsRouter = router({
  list: userProcedure.query(({ ctx }) => listUnits(ctx)),
  create: adminProcedure.input(createUnitInput).mutation(({ ctx, input }) => createUnit({ ...ctx, ...input })),
  rename: adminProcedure.input(renameUnitInput).mutation(({ ctx, input }) => renameUnit({ ...ctx, ...input })),
  deactivate: adminProcedure.input(unitIdInput).mutation(({ ctx, input }) => deactivateUnit({ ...ctx, ...input })),
  history: adminProcedure.input(unitIdInput).query(({ ctx, input }) => unitNameHistory({ ...ctx, ...input })),
});

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx)),
  directory: userProcedure.query(({ ctx }) => staffDirectory(ctx)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser({ ...ctx, ...input })),
  addMembership: adminProcedure.input(addMembershipInput).mutation(({ ctx, input }) => addMembership({ ...ctx, ...input })),
  removeMembership: adminProcedure.input(membershipIdInput).mutation(({ ctx, input }) => removeMembership({ ...ctx, ...input })),
  deactivate: adminProcedure.input(userIdInput).mutation(({ ctx, input }) => deactivateUser({ ...ctx, ...input })),
  reactivate: adminProcedure.input(userIdInput).mutation(({ ctx, input }) => reactivateUser({ ...ctx, ...input })),
  resetPassword: adminProcedure.input(userIdInput).mutation(({ ctx, input }) => resetPassword({ ...ctx, ...input })),
});
