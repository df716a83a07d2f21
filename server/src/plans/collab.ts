import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { Redis } from "@hocuspocus/extension-redis";
import { Hocuspocus, type Connection, type Document, type Extension, isTransactionOrigin, shouldSkipStoreHooks } from "@hocuspocus/server";
import { caseIdOfDocument, defaultDomains, initPlan, planDocumentName, replacePlanContent, type Domain } from "@laget/plan";
import type { Basis } from "@laget/policy";
import { WebSocketServer, type WebSocket } from "ws";
import * as Y from "yjs";
import { loadActor, type Actor } from "../auth/actor.ts";
import { sessionStands } from "../auth/sessions.ts";
import { authenticateUpgrade } from "../auth/upgrade.ts";
import { decisionFor, authorizeCase } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { sessionEnded, type BusEvent, type EventBus } from "../events/bus.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import { isSameSiteRequest, type PublicOrigin } from "../http/origin.ts";
import type { Logger } from "../log.ts";
import { applyLoggedUpdate, loadPlanSnapshot, storePlanSnapshot } from "./persistence.ts";
import type { Projection } from "./projection.ts";
import { createPlanUpdateLog } from "./update-log.ts";

/**
 * Live plan documents: Hocuspocus v4 on `/collab`, on the same HTTP server as Hono and
 * socket.io (DESIGN.md §5, §11). Three extensions in one place:
 *  - authentication: the session cookie → actor → decide() for the case, category
 *    `plan`; no read → refused; read without write → a read-only connection (its
 *    updates are dropped by Hocuspocus, so never persisted);
 *  - persistence: every update a client sends is first appended to a write-ahead log
 *    (update-log.ts, group-committed) and only then applied and acknowledged, so even a
 *    crash loses nothing acknowledged; a debounced snapshot (Hocuspocus' debounce, 2 s,
 *    at most 10 s) folds the log in, with the measure projection, audit and revisions
 *    in one transaction; loading replays what the log still holds. Under constant
 *    edits each document is stored at a deadline of its own, drawn anew every time
 *    between 60 % and 100 % of the 10 s, so documents opened together do not all
 *    store at the same moment; the projection is written incrementally;
 *  - revocation: on `accessChanged` (a case narrowed) or `membershipChanged` (users
 *    narrowed), every affected connection is re-decided and closed (or made read-only)
 *    on every node, with a stateless message saying why, before the node acknowledges
 *    the event (so before the revoking call returns); a basis that ends in time (a
 *    consent's period, a disclosure's validUntil) is re-decided at its end moment by the
 *    node's lapse timer.
 *
 * A plan has exactly one name, `plan:<case id in lower case>` (planDocumentName): any
 * other spelling or kind is refused in onConnect, before authentication, so a document
 * is never open under a name that revocation does not look up.
 *
 * Several nodes: the Hocuspocus Redis extension rather than routing each document to
 * one node. It needs no sticky routing in front of the servers (any node serves any
 * document, a node can die without remapping), it is what DESIGN.md §8 names, and the
 * storage stays correct without coordination: a snapshot merges the stored state
 * first when another node wrote since (CRDT merge), so concurrent writers never lose
 * each other's edits. Revocations travel on the event bus, which reaches every node.
 */

export const COLLAB_PATH = "/collab";

/** Stateless messages to the client, as JSON: why its access changed. */
export type CollabNotice =
  | { type: "laget:access-revoked"; reason: string }
  | { type: "laget:read-only"; reason: string };
/** The reason on the close message when access is revoked. */
export const REVOKED_CLOSE_REASON = "access-revoked";

export type CollabContext = {
  userId: string;
  sessionId: string;
  caseId: string;
  municipalityId: string;
  basis: Basis | null;
  canWrite: boolean;
  revoked?: boolean;
  /** How many narrowing events this node had handled when the connection was judged. */
  judgedAt: number;
};

type DocState = {
  caseId: string;
  municipalityId: string;
  version: number;
  /** Loading replayed logged updates: a store is due to fold them in. */
  foldPending: boolean;
  /** Editors of changes made on the server (restores); client edits are audited from the log. */
  editors: Map<string, Basis | null>;
  revisionEditors: Set<string>;
  restore?: { revisionId: string; userId: string };
  /** What this node last wrote to the measure projection (at `version`). */
  projection?: Projection;
  /** This document's own deadline for the pending store (see `storeJitter`). */
  deadline?: NodeJS.Timeout;
};

export type PlanCollab = {
  hocuspocus: Hocuspocus<CollabContext>;
  /** Handles an upgrade for `/collab`; returns false for any other path (left to others). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  attach(server: Server): void;
  /** Applies an old state as a new change to the live document (on whichever nodes hold it). */
  restore(caseId: string, state: Uint8Array, by: { userId: string; basis: Basis }, revisionId: string): Promise<void>;
  /** Persists everything pending now. */
  flush(): Promise<void>;
  close(): Promise<void>;
};

function refusal(reason: string): Error & { reason: string } {
  return Object.assign(new Error(reason), { reason });
}

async function caseIsOpenForWriting(db: Db, caseId: string): Promise<boolean> {
  const row = await db.selectFrom("cases").select("status").where("id", "=", caseId).executeTakeFirst();
  return row !== undefined && row.status !== "closed";
}

export async function planDomainsFor(db: Db, municipalityId: string): Promise<Domain[]> {
  const row = await db.selectFrom("plan_settings").select("domains").where("municipality_id", "=", municipalityId).executeTakeFirst();
  return Array.isArray(row?.domains) ? (row.domains as Domain[]) : [...defaultDomains];
}

function redisConfig(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname || "127.0.0.1",
    port: Number(u.port || 6379),
    options: {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    },
  };
}

/** y-protocols sync message types that carry changes (step 1 is only a state vector). */
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
/** An encoded Yjs update with no structs and no deletions is two bytes: [0, 0]. */
const isEmptyUpdate = (update: Uint8Array) => update.byteLength <= 2;

export function createPlanCollab(options: {
  db: Db;
  bus: EventBus;
  log: Logger;
  /** Upgrades must come from this origin. */
  publicOrigin: PublicOrigin;
  redisUrl?: string;
  /** This node's timer for bases that end in time; without one, only events re-decide. */
  lapses?: LapseTimer;
  debounceMs?: number;
  maxDebounceMs?: number;
  /**
   * Under constant edits a pending store runs at a per-document deadline drawn uniformly
   * from [1 - storeJitter, 1] × maxDebounceMs, anew for every store, so documents that
   * started together spread their stores out instead of all hitting maxDebounce at once.
   * 0 leaves only Hocuspocus' own maxDebounce. Default 0.4.
   */
  storeJitter?: number;
}): PlanCollab {
  const { db, bus, log } = options;
  const docs = new Map<string, DocState>();
  /** Narrowing events handled so far on this node (see `connected`). */
  let narrowings = 0;
  const updateLog = createPlanUpdateLog(db);
  const maxDebounceMs = options.maxDebounceMs ?? 10_000;
  const storeJitter = Math.min(Math.max(options.storeJitter ?? 0.4, 0), 1);

  // Runs the document's pending store (if any) early, through Hocuspocus' own debouncer,
  // so unloading, flush() and the save mutex work exactly as for its maxDebounce.
  function scheduleDeadline(documentName: string, state: DocState) {
    if (state.deadline || storeJitter === 0) return;
    state.deadline = setTimeout(
      () => {
        state.deadline = undefined;
        const id = `onStoreDocument-${documentName}`;
        if (hocuspocus.debouncer.isDebounced(id)) {
          Promise.resolve(hocuspocus.debouncer.executeNow(id)).catch((err: unknown) => log.error({ err, documentName }, "storing a plan failed"));
        }
      },
      maxDebounceMs * (1 - storeJitter * Math.random()),
    );
    // Hocuspocus' own debounce timer keeps the process alive while a store is pending.
    state.deadline.unref();
  }
  function clearDeadline(state: DocState) {
    clearTimeout(state.deadline);
    state.deadline = undefined;
  }

  const authentication: Extension = {
    extensionName: "laget-authentication",
    // The earliest hook for a document: a name not in canonical form never gets further.
    async onConnect({ documentName }) {
      if (!caseIdOfDocument(documentName)) throw refusal("not-found");
    },
    async onAuthenticate({ documentName, requestHeaders, connectionConfig }) {
      // Counted before anything is read: a narrowing from here on may not be seen below.
      const seen = narrowings;
      const caseId = caseIdOfDocument(documentName);
      if (!caseId) throw refusal("not-found");
      const authenticated = await authenticateUpgrade(db, requestHeaders.get("cookie"));
      if (!authenticated) throw refusal("unauthenticated");
      const { actor } = authenticated;
      let access;
      try {
        access = await authorizeCase(db, actor, caseId, {
          category: "plan",
          action: "read",
          purpose: "coordination",
          auditAction: "plan.connect",
          resourceType: "plan",
        });
      } catch (err) {
        if (err instanceof AppError) throw refusal(err.code === "NOT_FOUND" ? "not-found" : "no-basis");
        throw err;
      }
      const canWrite = decisionFor(actor, access.facts, "plan", "write", "coordination").allow && (await caseIsOpenForWriting(db, caseId));
      connectionConfig.readOnly = !canWrite;
      options.lapses?.track(access.facts);
      return {
        userId: actor.id,
        sessionId: authenticated.sessionId,
        caseId,
        municipalityId: access.facts.municipalityId,
        basis: access.basis,
        canWrite,
        judgedAt: seen,
      } satisfies CollabContext;
    },
    // A narrowing (or a session ending) handled while this connection was being set up did
    // not see it: judge it again, its session first.
    async connected({ connection }) {
      const ctx = connection.context as CollabContext;
      if (ctx.judgedAt === narrowings) return;
      if (!(await sessionStands(db, ctx.sessionId, ctx.userId))) return revoke(connection, "signed_out");
      await recheck(ctx.caseId, "access_changed", new Set([ctx.userId]));
    },
    // Defence in depth: a connection marked revoked applies nothing more.
    async beforeHandleMessage({ context }) {
      if ((context as CollabContext | undefined)?.revoked) throw refusal(REVOKED_CLOSE_REASON);
    },
  };

  const persistence: Extension = {
    extensionName: "laget-persistence",
    async onLoadDocument({ documentName, document }) {
      const caseId = caseIdOfDocument(documentName);
      if (!caseId) throw refusal("not-found");
      const c = await db.selectFrom("cases").select("municipality_id").where("id", "=", caseId).executeTakeFirstOrThrow();
      const stored = await loadPlanSnapshot(db, caseId);
      if (stored.state) Y.applyUpdate(document, stored.state);
      for (const update of stored.logged) applyLoggedUpdate(document, update);
      if (!stored.state && stored.logged.length === 0) {
        initPlan(document, await planDomainsFor(db, c.municipality_id));
        // Logged before any client sees it: their edits build on these structs.
        await updateLog.append({ caseId, update: Y.encodeStateAsUpdate(document), userId: null, basis: null });
      }
      docs.set(documentName, {
        caseId,
        municipalityId: c.municipality_id,
        version: stored.version,
        foldPending: stored.logged.length > 0,
        editors: new Map(),
        revisionEditors: new Set(),
      });
    },
    async afterLoadDocument({ documentName, document, instance }) {
      const state = docs.get(documentName);
      if (!state?.foldPending) return;
      // Edits logged but not in the snapshot (a crash, or another node's pending ones): fold
      // them in soon, so the projection and the audit catch up even if no one edits again.
      state.foldPending = false;
      instance.storeDocumentHooks(document, {
        instance,
        clientsCount: document.getConnectionsCount(),
        document,
        documentName,
        lastContext: {},
        lastTransactionOrigin: { source: "local" },
      });
    },
    // Write-ahead: Hocuspocus awaits this before applying the update and acknowledging it.
    // Only on the node a client sends to (the Redis extension applies without a connection).
    async beforeSync({ connection, type, payload }) {
      if (type !== SYNC_STEP_2 && type !== SYNC_UPDATE) return;
      // Read-only connections' writes are dropped by Hocuspocus right after this: never logged.
      if (connection.readOnly || isEmptyUpdate(payload)) return;
      const ctx = connection.context as CollabContext;
      const entry = { caseId: ctx.caseId, update: payload, userId: ctx.userId, basis: ctx.basis };
      const id = await updateLog.append(entry);
      // Made read-only while waiting (a revocation): Hocuspocus drops the update, so must the log.
      if (connection.readOnly) await updateLog.discard(id, entry);
    },
    async onChange({ documentName, transactionOrigin }) {
      const state = docs.get(documentName);
      if (!state || shouldSkipStoreHooks(transactionOrigin)) return;
      // A store is now pending (Hocuspocus schedules it with this very update).
      scheduleDeadline(documentName, state);
      if (!isTransactionOrigin(transactionOrigin)) return;
      if (transactionOrigin.source === "connection") {
        // Audited from the logged update when it is folded into a snapshot.
        state.revisionEditors.add((transactionOrigin.connection.context as CollabContext).userId);
        return;
      }
      if (transactionOrigin.source !== "local" || transactionOrigin.skipStoreHooks) return;
      const ctx = transactionOrigin.context as Partial<CollabContext> | undefined;
      if (!ctx?.userId) return;
      state.editors.delete(ctx.userId);
      state.editors.set(ctx.userId, ctx.basis ?? null);
      state.revisionEditors.add(ctx.userId);
    },
    async onStoreDocument({ documentName, document }) {
      const state = docs.get(documentName);
      if (!state) return;
      // Changes from here on are pending again, with a deadline of their own.
      clearDeadline(state);
      const editors = state.editors;
      const revisionEditors = state.revisionEditors;
      const restore = state.restore;
      state.editors = new Map();
      state.revisionEditors = new Set();
      state.restore = undefined;
      const lastEditorLeft = document.getConnectionsCount() === 0;
      try {
        const result = await storePlanSnapshot(db, {
          caseId: state.caseId,
          municipalityId: state.municipalityId,
          doc: document,
          knownVersion: state.version,
          editors,
          revisionEditors,
          lastEditorLeft,
          restore,
          previousProjection: state.projection,
        });
        state.version = result.version;
        state.projection = result.projection;
      } catch (err) {
        // Keep what is pending, so the next store writes it; Hocuspocus keeps the document in memory.
        for (const [k, v] of editors) if (!state.editors.has(k)) state.editors.set(k, v);
        for (const e of revisionEditors) state.revisionEditors.add(e);
        state.restore ??= restore;
        log.error({ err, documentName }, "storing a plan failed");
        throw err;
      }
    },
    async afterUnloadDocument({ documentName, instance }) {
      if (instance.documents.has(documentName)) return;
      const state = docs.get(documentName);
      if (state) clearDeadline(state);
      docs.delete(documentName);
    },
  };

  const extensions: Extension[] = [authentication, persistence];
  if (options.redisUrl) {
    extensions.push(new Redis({ ...redisConfig(options.redisUrl), prefix: "laget:collab" }));
  }

  const hocuspocus = new Hocuspocus<CollabContext>({
    name: "laget",
    quiet: true,
    debounce: options.debounceMs ?? 2_000,
    maxDebounce: maxDebounceMs,
    extensions,
  });

  // Revocation: re-decide every connection to the case's plan on this node (or only those of `userIds`).
  async function recheck(caseId: string, reason: string, userIds?: ReadonlySet<string>) {
    const document = hocuspocus.documents.get(planDocumentName(caseId));
    if (!document) return;
    const connections = document.getConnections().filter((c) => !userIds || userIds.has((c.context as CollabContext).userId));
    if (connections.length === 0) return;
    const facts = (await loadCaseFacts(db, [caseId])).get(caseId);
    if (facts) options.lapses?.track(facts);
    const open = await caseIsOpenForWriting(db, caseId);
    const actors = new Map<string, Actor | null>();
    for (const connection of connections) {
      const ctx = connection.context as CollabContext;
      if (!actors.has(ctx.userId)) actors.set(ctx.userId, await loadActor(db, ctx.userId));
      const actor = actors.get(ctx.userId);
      const visible = actor && facts ? decisionFor(actor, facts, "identity", "read", "coordination").allow : false;
      const canRead = visible && actor && facts ? decisionFor(actor, facts, "plan", "read", "coordination").allow : false;
      const canWrite = canRead && open && actor && facts ? decisionFor(actor, facts, "plan", "write", "coordination").allow : false;
      if (!canRead) {
        revoke(connection, reason);
      } else if (!canWrite && !connection.readOnly) {
        connection.readOnly = true;
        ctx.canWrite = false;
        notice(connection, { type: "laget:read-only", reason });
      }
    }
  }

  function notice(connection: Connection, payload: CollabNotice) {
    connection.sendStateless(JSON.stringify(payload));
  }

  function revoke(connection: Connection, reason: string) {
    const ctx = connection.context as CollabContext;
    ctx.revoked = true;
    connection.readOnly = true;
    notice(connection, { type: "laget:access-revoked", reason });
    connection.close({ code: 4403, reason: REVOKED_CLOSE_REASON });
    log.info({ caseId: ctx.caseId, userId: ctx.userId, reason }, "plan connection closed: access revoked");
  }

  // Handled before this node acknowledges the event: the revoking call waits for it.
  const unsubscribe = bus.subscribe(async (event: BusEvent) => {
    if (event.type === "userEventsCommitted") return;
    narrowings++;
    if (event.type === "sessionsEnded") {
      for (const document of hocuspocus.documents.values()) {
        for (const connection of document.getConnections()) {
          const ctx = connection.context as CollabContext;
          if (sessionEnded(event, ctx.userId, ctx.sessionId)) revoke(connection, "signed_out");
        }
      }
      return;
    }
    if (event.type === "membershipChanged") {
      const userIds = new Set(event.userIds);
      const caseIds = new Set<string>();
      for (const document of hocuspocus.documents.values()) {
        for (const connection of document.getConnections()) {
          const ctx = connection.context as CollabContext;
          if (userIds.has(ctx.userId)) caseIds.add(ctx.caseId);
        }
      }
      await Promise.all([...caseIds].map((caseId) => recheck(caseId, event.reason, userIds)));
      return;
    }
    if (event.type === "accessChanged") await recheck(event.caseId, event.reason);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 10 * 1024 * 1024 });

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "localhost"}`);
    if (url.pathname !== COLLAB_PATH) return false;
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    if (!isSameSiteRequest(headers, options.publicOrigin())) {
      socket.write("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      socket.destroy();
      return true;
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const connection = hocuspocus.handleConnection(ws, new Request(url, { headers }));
      ws.on("message", (data: Buffer) => connection.handleMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      ws.on("close", (code: number, reason: Buffer) => connection.handleClose({ code, reason: reason.toString() }));
      ws.on("error", (err) => log.warn({ err }, "collab socket error"));
    });
    return true;
  }

  async function flush() {
    const pending: Promise<unknown>[] = [];
    for (const document of hocuspocus.documents.values()) {
      const id = `onStoreDocument-${document.name}`;
      if (!document.isLoading && hocuspocus.debouncer.isDebounced(id)) pending.push(Promise.resolve(hocuspocus.debouncer.executeNow(id)));
    }
    await Promise.allSettled(pending);
    // Wait for stores already running.
    await Promise.allSettled([...hocuspocus.documents.values()].map((d: Document) => d.saveMutex.waitForUnlock()));
  }

  let closing: Promise<void> | undefined;
  return {
    hocuspocus,
    handleUpgrade,
    attach(server) {
      server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        handleUpgrade(request, socket, head);
      });
    },
    async restore(caseId, state, by, revisionId) {
      const old = new Y.Doc();
      Y.applyUpdate(old, state);
      const name = planDocumentName(caseId);
      const context: Partial<CollabContext> = { userId: by.userId, caseId, basis: by.basis, judgedAt: narrowings };
      const direct = await hocuspocus.openDirectConnection(name, context as CollabContext);
      try {
        const docState = docs.get(name);
        if (docState) docState.restore = { revisionId, userId: by.userId };
        await direct.transact((doc) => replacePlanContent(doc, old, { source: "local", context }));
      } finally {
        await direct.disconnect();
      }
    },
    flush,
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
        await flush();
        hocuspocus.closeConnections();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        // Let documents unload (the Redis extension waits for last syncs) before its connections go.
        const deadline = Date.now() + 5_000;
        while ((hocuspocus.documents.size > 0 || hocuspocus.unloadingDocuments.size > 0) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        await flush();
        for (const state of docs.values()) clearDeadline(state);
        await hocuspocus.hooks("onDestroy", { instance: hocuspocus });
      })()),
  };
}
