import type { inferOutput } from "@trpc/tanstack-react-query";
import { queryClient, trpc } from "../trpc.ts";

export type Unit = inferOutput<typeof trpc.units.list>[number];
export type User = inferOutput<typeof trpc.users.list>[number];

/**
 * Unit names show up in units, users and the signed-in user's own memberships, so any
 * change to the organisation refreshes all three.
 */
export function refreshOrganisation() {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.units.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
  ]);
}
