import type { Connection, Hocuspocus } from "@hocuspocus/server";
import { loadActor, type Actor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import { sessionEnded, type BusEvent, type DocumentsInvalidated, type EventBus } from "../events/bus.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import type { Logger } from "../log.ts";
import { contextOf, REVOKED_CLOSE_REASON, type CollabContext, type CollabNotice } from "./context.ts";
import { DocumentRefusal, type DocumentKinds } from "./kinds.ts";

/**
 * Revocation as in Outline's AuthenticationExtension: `invalidate(scope)` goes to every
 * node (the event bus, whose publish returns once every node has handled it), and each
 * node judges its own matching connections again with the document kind's own
 * authorise, the very judge that let them in: refused → closed with a stateless message
 * saying why; read-only now → made read-only. A scope of ended sessions closes their
 * connections outright (the session is what was judged).
 *
 * The bus's narrowing events map onto it: `accessChanged` → the case's documents,
 * `membershipChanged` → those users' connections, `sessionsEnded` → those sessions.
 */
export type InvalidationScope = DocumentsInvalidated["scope"];

export type Revocation = {
  /** Narrowing events handled so far on this node (a connection judged before one is judged again). */
  narrowings(): number;
  /** Publishes the invalidation to every node and resolves once each has handled it. */
  invalidate(scope: InvalidationScope, reason: string): Promise<void>;
  /** Judges one connection again (its session is checked first when `checkSession`). */
  rejudge(connection: Connection, reason: string, options?: { checkSession?: boolean }): Promise<void>;
  revoke(connection: Connection, reason: string): void;
  close(): void;
};

const matches = (scope: InvalidationScope, ctx: CollabContext) =>
  (scope.documentName === undefined || scope.documentName === ctx.documentName) &&
  (scope.caseId === undefined || scope.caseId === ctx.caseId) &&
  (scope.userIds === undefined || scope.userIds.includes(ctx.userId)) &&
  (scope.sessions === undefined || sessionEnded({ type: "sessionsEnded", ...scope.sessions }, ctx.userId, ctx.sessionId));

export function createRevocation(options: {
  db: Db;
  bus: EventBus;
  log: Logger;
  kinds: DocumentKinds;
  hocuspocus: () => Hocuspocus<CollabContext>;
  lapses?: LapseTimer;
  /** Re-checks whether a session still stands (auth/sessions.ts). */
  sessionStands(sessionId: string, userId: string): Promise<boolean>;
}): Revocation {
  const { db, log, kinds } = options;
  let narrowings = 0;

  function notice(connection: Connection, payload: CollabNotice) {
    connection.sendStateless(JSON.stringify(payload));
  }

  function revoke(connection: Connection, reason: string) {
    const ctx = contextOf(connection);
    ctx.revoked = true;
    connection.readOnly = true;
    notice(connection, { type: "laget:access-revoked", reason });
    connection.close({ code: 4403, reason: REVOKED_CLOSE_REASON });
    log.info({ documentName: ctx.documentName, userId: ctx.userId, reason }, "live document connection closed: access revoked");
  }

  async function judge(connection: Connection, reason: string, actors: Map<string, Promise<Actor | null>>) {
    const ctx = contextOf(connection);
    const parsed = kinds.parse(ctx.documentName);
    if (!actors.has(ctx.userId)) actors.set(ctx.userId, loadActor(db, ctx.userId));
    const actor = await actors.get(ctx.userId);
    if (!parsed || !actor) return revoke(connection, reason);
    let judged;
    try {
      judged = await parsed.kind.authorise({ db, actor, id: parsed.id, audit: false });
    } catch (err) {
      if (err instanceof DocumentRefusal) return revoke(connection, reason);
      throw err;
    }
    if (judged.lapses) options.lapses?.track(judged.lapses);
    // The document may now belong to a case (an anonymous agenda item named): later changes of it re-judge this connection.
    ctx.caseId = judged.caseId;
    if (judged.readOnly && !connection.readOnly) {
      connection.readOnly = true;
      ctx.canWrite = false;
      notice(connection, { type: "laget:read-only", reason });
    }
  }

  /** This node's part of an invalidation. */
  async function invalidateHere(scope: InvalidationScope, reason: string) {
    const connections: Connection[] = [];
    for (const document of options.hocuspocus().documents.values()) {
      for (const connection of document.getConnections()) if (matches(scope, contextOf(connection))) connections.push(connection);
    }
    if (scope.sessions) {
      for (const connection of connections) revoke(connection, reason);
      return;
    }
    const actors = new Map<string, Promise<Actor | null>>();
    await Promise.all(connections.map((c) => judge(c, reason, actors)));
  }

  const scopeOf = (event: BusEvent): { scope: InvalidationScope; reason: string } | null => {
    switch (event.type) {
      case "accessChanged":
        return { scope: { caseId: event.caseId }, reason: event.reason };
      case "membershipChanged":
        return { scope: { userIds: event.userIds }, reason: event.reason };
      case "sessionsEnded":
        return { scope: { sessions: { userId: event.userId, sessionIds: event.sessionIds, exceptSessionId: event.exceptSessionId } }, reason: "signed_out" };
      case "documentsInvalidated":
        return { scope: event.scope, reason: event.reason };
      default:
        return null;
    }
  };

  // Handled before this node acknowledges the event: the revoking call waits for it.
  const unsubscribe = options.bus.subscribe(async (event: BusEvent) => {
    const invalidation = scopeOf(event);
    if (!invalidation) return;
    narrowings++;
    await invalidateHere(invalidation.scope, invalidation.reason);
  });

  return {
    narrowings: () => narrowings,
    invalidate: (scope, reason) => options.bus.publish({ type: "documentsInvalidated", scope, reason }),
    async rejudge(connection, reason, { checkSession = false } = {}) {
      const ctx = contextOf(connection);
      if (checkSession && !(await options.sessionStands(ctx.sessionId, ctx.userId))) return revoke(connection, "signed_out");
      await judge(connection, reason, new Map());
    },
    revoke,
    close: unsubscribe,
  };
}
