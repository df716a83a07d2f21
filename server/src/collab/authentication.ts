import type { Extension } from "@hocuspocus/server";
import { authenticateUpgrade } from "../auth/upgrade.ts";
import type { Db } from "../db/connect.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import { contextOf, REVOKED_CLOSE_REASON, type CollabContext } from "./context.ts";
import { DocumentRefusal, type DocumentKinds } from "./kinds.ts";
import type { Revocation } from "./revocation.ts";

/**
 * Authentication: the document name must be a registered kind's one spelling (refused in
 * onConnect, before anything else); then the session cookie → actor (the one
 * `authenticateUpgrade`, shared with socket.io) → the kind's authorise. No read →
 * refused; read without write → a read-only connection (Hocuspocus drops its updates,
 * so they are never logged or stored).
 */
export function authenticationExtension(options: { db: Db; kinds: DocumentKinds; revocation: Revocation; lapses?: LapseTimer }): Extension {
  const { db, kinds, revocation } = options;
  return {
    extensionName: "laget-authentication",
    async onConnect({ documentName }) {
      if (!kinds.parse(documentName)) throw new DocumentRefusal("not-found");
    },
    async onAuthenticate({ documentName, requestHeaders, connectionConfig }) {
      // Counted before anything is read: a narrowing from here on may not be seen below.
      const seen = revocation.narrowings();
      const parsed = kinds.parse(documentName);
      if (!parsed) throw new DocumentRefusal("not-found");
      const authenticated = await authenticateUpgrade(db, requestHeaders.get("cookie"));
      if (!authenticated) throw new DocumentRefusal("unauthenticated");
      const judged = await parsed.kind.authorise({ db, actor: authenticated.actor, id: parsed.id, audit: true });
      connectionConfig.readOnly = judged.readOnly;
      if (judged.lapses) options.lapses?.track(judged.lapses);
      return {
        userId: authenticated.actor.id,
        sessionId: authenticated.sessionId,
        documentName,
        caseId: judged.caseId,
        municipalityId: judged.municipalityId,
        basis: judged.basis,
        canWrite: !judged.readOnly,
        judgedAt: seen,
      } satisfies CollabContext;
    },
    // A narrowing (or a session ending) handled while this connection was being set up did
    // not see it: judge it again, its session first.
    async connected({ connection }) {
      if (contextOf(connection).judgedAt === revocation.narrowings()) return;
      await revocation.rejudge(connection, "access_changed", { checkSession: true });
    },
    // Defence in depth: a connection marked revoked applies nothing more.
    async beforeHandleMessage({ context }) {
      if ((context as CollabContext | undefined)?.revoked) throw new DocumentRefusal(REVOKED_CLOSE_REASON);
    },
  };
}
