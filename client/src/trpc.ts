import { appErrorCodes, type AppErrorCode } from "@laget/domain";
import type { AppRouter } from "@laget/server/router";
import { hashKey, MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import { setLoginNotice } from "./auth/notice.ts";
import { clearLocalPlansOf } from "./plans/local-copies.ts";

/** What the UI needs to know about a failed call. */
export type ApiError = {
  appCode: AppErrorCode | null;
  fieldErrors: Record<string, string[]> | null;
  /** The request never got an answer (offline, server down). */
  network: boolean;
};

/** A refused or unanswered socket request (see messaging/realtime.ts), shown like a failed tRPC call. */
export class SocketRequestError extends Error {
  readonly appCode: AppErrorCode | null;
  readonly fieldErrors: Record<string, string[]> | null;
  readonly network: boolean;
  constructor(code: string | null, fieldErrors: Record<string, string[]> | null = null) {
    super(code ?? "NO_ANSWER");
    this.appCode = code && (appErrorCodes as readonly string[]).includes(code) ? (code as AppErrorCode) : null;
    this.fieldErrors = fieldErrors;
    this.network = code === null;
  }
}

export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof SocketRequestError) return { appCode: error.appCode, fieldErrors: error.fieldErrors, network: error.network };
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data;
    if (data) return { appCode: data.appCode ?? null, fieldErrors: data.fieldErrors ?? null, network: false };
    // No tRPC error body: fetch itself failed, or something in between answered.
    return { appCode: null, fieldErrors: null, network: error.cause instanceof TypeError };
  }
  return { appCode: null, fieldErrors: null, network: false };
}

/**
 * Session problems are handled once, here, whatever call hit them: a lost session
 * deletes the plan copies on the device and sends the user back to the login page, a pending first-login password change
 * brings up the change-password page (both follow from the `auth.me` answer).
 */
function onApiError(error: unknown) {
  const { appCode } = apiErrorOf(error);
  const meKey = trpc.auth.me.queryKey();
  if (appCode === "UNAUTHENTICATED") {
    const me = queryClient.getQueryData(meKey);
    if (me) {
      setLoginNotice("sessionEnded");
      // However the session ended (expiry, logout elsewhere, deactivation), no plan copy outlives it.
      void clearLocalPlansOf(me.id);
    }
    clearSession();
  } else if (appCode === "PASSWORD_CHANGE_REQUIRED") {
    void queryClient.invalidateQueries({ queryKey: meKey });
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      // Retrying only helps with flaky networks; a domain answer will not change.
      retry: (failureCount, error) => apiErrorOf(error).appCode === null && failureCount < 2,
      staleTime: 10_000,
    },
  },
});

// Same origin as the page: the session cookie goes along by default.
export const trpcClient = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/trpc", transformer: superjson })],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

/** Forget everything the previous user could see; `auth.me` = null shows the login page. */
export function clearSession() {
  const meHash = hashKey(trpc.auth.me.queryKey());
  queryClient.removeQueries({ predicate: (q) => q.queryHash !== meHash });
  queryClient.setQueryData(trpc.auth.me.queryKey(), null);
}
