import type { Basis, CaseFacts, Purpose } from "@laget/policy";
import type * as Y from "yjs";
import type { Actor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";

/**
 * The kinds of live document the server hosts. A document's name is `<prefix>:<id>` with
 * exactly one spelling per document (the kind's `parse` accepts only that one), so a
 * document is never open under a name that revocation does not look up. The generic
 * server (authentication, persistence, revocation, transact) knows nothing of plans:
 * a kind says who may open its documents, what a new one holds, and what is kept beside
 * the snapshot.
 */

/** Every prefix a kind has or will have: `plan:<case id>` now; meetings and the SLT plan later. */
export const documentPrefixes = ["plan", "minutes", "slt-plan"] as const;

/** Why a connection or a change is refused: the reason the client sees. */
export type RefusalReason = "not-found" | "unauthenticated" | "no-basis" | "read-only" | "access-revoked";

export class DocumentRefusal extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason) {
    super(reason);
    this.reason = reason;
  }
}

/** What the kind's judge says about one actor and one document. */
export type Authorisation = {
  /** May read but not change it. */
  readOnly: boolean;
  /** The basis the actor reads (and, unless readOnly, writes) under: audited with their edits. */
  basis: Basis | null;
  municipalityId: string;
  /** The case the document belongs to, if any: an `accessChanged` for it re-judges the connection. */
  caseId: string | null;
  /** A case whose bases may end in time: the node's lapse timer re-judges at that moment. */
  lapses?: CaseFacts;
};

/** How an edit of a document is audited. */
export type AuditTarget = { resourceType: string; resourceId: string; caseId: string | null; purpose: Purpose };

export type DocumentKind = {
  prefix: string;
  /** The id in a name's tail (after `prefix:`) in its one canonical spelling, or null. */
  parse(tail: string): string | null;
  /**
   * The kind's one judge, at connection and on every re-judging (revocation, transact).
   * Throws a DocumentRefusal. `audit`: the access is recorded (a connection); a
   * re-judging records nothing (it is no attempt of the user's).
   */
  authorise(options: { db: Db; actor: Actor; id: string; audit: boolean }): Promise<Authorisation>;
  /** The municipality a stored document belongs to (null: it does not exist). */
  municipalityOf(options: { db: Db; id: string }): Promise<string | null>;
  /** The content of a document never stored before. */
  initialise?(options: { db: Db; id: string; municipalityId: string; doc: Y.Doc }): Promise<void>;
  /**
   * Writes what the kind keeps beside the snapshot (the plan's measure projection), in the
   * snapshot's transaction. `previous` is what this node's last call returned if the row
   * has not moved since (else undefined: write it whole). Returns what to pass next time.
   */
  project?(options: { trx: Db; id: string; municipalityId: string; doc: Y.Doc; previous: unknown; now: Date }): Promise<unknown>;
  /** Audit: what an edit names, and the actions for an edit and a server-side change. */
  auditTarget(id: string): AuditTarget;
  auditActions: { update: string; transact: string };
};

export type ParsedName = { kind: DocumentKind; id: string; name: string };

export type DocumentKinds = {
  register(kind: DocumentKind): void;
  /** The kind and id of a canonical name; null for any other spelling or an unknown kind. */
  parse(documentName: string): ParsedName | null;
  /** The one name of a document of a kind. */
  nameOf(prefix: string, id: string): string;
};

export function createDocumentKinds(kinds: readonly DocumentKind[] = []): DocumentKinds {
  const byPrefix = new Map<string, DocumentKind>();
  const registry: DocumentKinds = {
    register(kind) {
      if (!/^[a-z][a-z-]*$/.test(kind.prefix)) throw new Error(`a document prefix is lower-case letters and dashes: ${kind.prefix}`);
      if (byPrefix.has(kind.prefix)) throw new Error(`document kind ${kind.prefix} is registered twice`);
      byPrefix.set(kind.prefix, kind);
    },
    parse(documentName) {
      const colon = documentName.indexOf(":");
      if (colon < 0) return null;
      const kind = byPrefix.get(documentName.slice(0, colon));
      const id = kind?.parse(documentName.slice(colon + 1));
      if (!kind || !id || `${kind.prefix}:${id}` !== documentName) return null;
      return { kind, id, name: documentName };
    },
    nameOf(prefix, id) {
      return `${prefix}:${id}`;
    },
  };
  for (const kind of kinds) registry.register(kind);
  return registry;
}
