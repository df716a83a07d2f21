import type { Connection } from "@hocuspocus/server";
import type { Basis } from "@laget/policy";
import type { DocumentKind } from "./kinds.ts";

/** Where the live-document server listens, on the same HTTP server as Hono and socket.io. */
export const COLLAB_PATH = "/collab";

/** Stateless messages to the client, as JSON: why its access changed. */
export type CollabNotice =
  | { type: "laget:access-revoked"; reason: string }
  | { type: "laget:read-only"; reason: string };
/** The reason on the close message when access is revoked. */
export const REVOKED_CLOSE_REASON = "access-revoked" as const;

/** What a connection was judged with (its Hocuspocus context). */
export type CollabContext = {
  userId: string;
  sessionId: string;
  documentName: string;
  /** The case the document belongs to, if any (from the kind's authorise). */
  caseId: string | null;
  municipalityId: string;
  basis: Basis | null;
  canWrite: boolean;
  revoked?: boolean;
  /** How many narrowing events this node had handled when the connection was judged. */
  judgedAt: number;
};

/** What this node keeps about a document it holds open. */
export type DocState = {
  kind: DocumentKind;
  id: string;
  municipalityId: string;
  version: number;
  /** Loading replayed logged updates: a store is due to fold them in. */
  foldPending: boolean;
  /** Editors of changes made on the server not through the log; logged edits are audited from their rows. */
  editors: Map<string, Basis | null>;
  revisionEditors: Set<string>;
  restore?: { revisionId: string; userId: string };
  /** What the kind's projection last returned on this node (at `version`). */
  projection?: unknown;
  /** This document's own deadline for the pending store (see `storeJitter`). */
  deadline?: NodeJS.Timeout;
};

export const contextOf = (connection: Connection) => connection.context as CollabContext;
