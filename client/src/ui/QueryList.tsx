import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { LoadFailed, Loading } from "./messages.tsx";

/** A list loaded by a query: loading, failed (with retry), empty, or its cards. */
export function QueryList<T>({ query, empty, children }: { query: UseQueryResult<T[], unknown>; empty: ReactNode; children: (items: T[]) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.length === 0) return <p>{empty}</p>;
  return <ul className="card-list">{children(query.data)}</ul>;
}
