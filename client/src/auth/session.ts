import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferOutput } from "@trpc/tanstack-react-query";
import { clearSession, trpc } from "../trpc.ts";
import { setLoginNotice } from "./notice.ts";

export type Actor = NonNullable<inferOutput<typeof trpc.auth.me>>;

/** The signed-in user, or null when signed out. */
export function useMe() {
  return useQuery(trpc.auth.me.queryOptions());
}

export function isAdmin(actor: Actor): boolean {
  return actor.memberships.some((m) => m.role === "admin");
}

export function useLogout() {
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const logoutEverywhere = useMutation(trpc.auth.logoutEverywhere.mutationOptions());
  const done = () => {
    setLoginNotice("loggedOut");
    clearSession();
  };
  return {
    logout: () => logout.mutate(undefined, { onSuccess: done }),
    logoutEverywhere: () => logoutEverywhere.mutate(undefined, { onSuccess: done }),
    pending: logout.isPending || logoutEverywhere.isPending,
    error: logout.error ?? logoutEverywhere.error,
  };
}
