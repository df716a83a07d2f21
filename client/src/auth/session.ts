import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferOutput } from "@trpc/tanstack-react-query";
import { clearSession, trpc } from "../trpc.ts";
import { clearLocalPlansOf } from "../plans/local-copies.ts";
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
  const me = useMe();
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const logoutEverywhere = useMutation(trpc.auth.logoutEverywhere.mutationOptions());
  const done = async () => {
    if (me.data) await clearLocalPlansOf(me.data.id).catch(() => {});
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
