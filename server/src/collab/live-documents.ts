import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { Hocuspocus, type Document, type Extension } from "@hocuspocus/server";
import { sql } from "kysely";
import { WebSocketServer, type WebSocket } from "ws";
import * as Y from "yjs";
import type { Actor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { sessionStands } from "../auth/sessions.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import { isSameSiteRequest, type PublicOrigin } from "../http/origin.ts";
import type { Logger } from "../log.ts";
import { authenticationExtension } from "./authentication.ts";
import { COLLAB_PATH, type CollabContext, type DocState } from "./context.ts";
import { DocumentRefusal, type DocumentKinds } from "./kinds.ts";
import { clearDeadline, persistenceExtension } from "./persistence.ts";
import { createRevocation, type InvalidationScope } from "./revocation.ts";
import { createStoreQueue, type StoreQueue } from "./store-queue.ts";
import { createUpdateLog } from "./update-log.ts";

/**
 * Live documents: Hocuspocus v4 on `/collab`, on the same HTTP server as Hono and
 * socket.io (DESIGN.md §5, §11), hosting the registered document kinds (kinds.ts) through
 * three extensions: authentication.ts, persistence.ts and revocation.ts.
 *
 * Several nodes: the Hocuspocus Redis extension rather than routing each document to
 * one node. It needs no sticky routing in front of the servers (any node serves any
 * document, a node can die without remapping), it is what DESIGN.md §8 names, and the
 * storage stays correct without coordination: a snapshot merges the stored state
 * first when another node wrote since (CRDT merge), so concurrent writers never lose
 * each other's edits. Invalidations travel on the event bus, which reaches every node.
 */

export type TransactOptions = {
  documentName: string;
  /** Who makes the change: judged by the kind's authorise, which must let them write. */
  actor: Actor;
  /** Changes the document, as a client would (it runs on a copy; the update is what counts). */
  change: (doc: Y.Doc) => void;
  /** Audited as this action; the kind's `transact` action by default, null when the caller audited the step itself. */
  auditAction?: string | null;
  /** A restore of this revision: the snapshot is written as a `restore` revision. */
  restoredFrom?: string;
  /** Store at once rather than after the debounce (the change is in the write-ahead log either way). */
  storeNow?: boolean;
};

export type LiveDocuments = {
  hocuspocus: Hocuspocus<CollabContext>;
  kinds: DocumentKinds;
  /** Handles an upgrade for `/collab`; returns false for any other path (left to others). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  attach(server: Server): void;
  /**
   * Applies a change made on the server as an ordinary update: logged, applied to the live
   * document on whichever nodes hold it (every client gets it), stored, projected, audited.
   */
  transact(options: TransactOptions): Promise<void>;
  /** Judges every matching connection again, on every node; resolves once each node has. */
  invalidate(scope: InvalidationScope, reason: string): Promise<void>;
  /** Every snapshot store of this node waits its turn here (its stats are what the bench prints). */
  storeQueue: StoreQueue;
  /** Persists everything pending now. */
  flush(): Promise<void>;
  close(): Promise<void>;
};

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

export async function createLiveDocuments(options: {
  db: Db;
  bus: EventBus;
  log: Logger;
  kinds: DocumentKinds;
  /** Upgrades must come from this origin. */
  publicOrigin: PublicOrigin;
  redisUrl?: string;
  /** This node's timer for bases that end in time; without one, only events re-judge. */
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
  /**
   * How many snapshot stores may run at once. Default: 3 on PostgreSQL (each holds a
   * pooled connection and the document's row lock), 1 on PGlite (one transaction at a
   * time in any case; a second only waits there, in front of the write-ahead log's appends).
   */
  storeConcurrency?: number;
}): Promise<LiveDocuments> {
  // Loaded only with Redis, like the event bus's client: a single node does without it (and ioredis).
  // First, so that everything below is set up synchronously as before.
  const redis = options.redisUrl ? await import("@hocuspocus/extension-redis") : undefined;
  const { db, bus, log, kinds } = options;
  const docs = new Map<string, DocState>();
  const updateLog = createUpdateLog(db);
  // One until the database says what it is: PGlite reports itself in version().
  const storeQueue = createStoreQueue({ concurrency: options.storeConcurrency ?? 1 });
  if (options.storeConcurrency === undefined) {
    sql<{ version: string }>`select version() as version`
      .execute(db)
      .then((r) => storeQueue.setConcurrency(/PGlite/.test(r.rows[0]?.version ?? "") ? 1 : 3))
      .catch((err: unknown) => log.warn({ err }, "could not tell the database engine: one snapshot store at a time"));
  }
  const maxDebounceMs = options.maxDebounceMs ?? 10_000;
  const storeJitter = Math.min(Math.max(options.storeJitter ?? 0.4, 0), 1);
  const revocation = createRevocation({
    db,
    bus,
    log,
    kinds,
    hocuspocus: () => hocuspocus,
    lapses: options.lapses,
    sessionStands: (sessionId, userId) => sessionStands(db, sessionId, userId),
  });

  const extensions: Extension[] = [
    authenticationExtension({ db, kinds, revocation, lapses: options.lapses }),
    persistenceExtension({ db, log, kinds, updateLog, docs, storeQueue, hocuspocus: () => hocuspocus, maxDebounceMs, storeJitter }),
  ];
  if (options.redisUrl && redis) extensions.push(new redis.Redis({ ...redisConfig(options.redisUrl), prefix: "laget:collab" }));

  const hocuspocus = new Hocuspocus<CollabContext>({
    name: "laget",
    quiet: true,
    debounce: options.debounceMs ?? 2_000,
    maxDebounce: maxDebounceMs,
    extensions,
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 10 * 1024 * 1024, perMessageDeflate: false });

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

  async function transact({ documentName, actor, change, auditAction, restoredFrom, storeNow = false }: TransactOptions) {
    const parsed = kinds.parse(documentName);
    if (!parsed) throw new AppError("NOT_FOUND");
    let judged;
    try {
      judged = await parsed.kind.authorise({ db, actor, id: parsed.id, audit: false });
    } catch (err) {
      if (err instanceof DocumentRefusal) throw new AppError(err.reason === "not-found" ? "NOT_FOUND" : "NO_BASIS");
      throw err;
    }
    if (judged.readOnly) throw new AppError("FORBIDDEN", "the document is read-only for this actor");
    const context: CollabContext = {
      userId: actor.id,
      sessionId: "",
      documentName,
      caseId: judged.caseId,
      municipalityId: judged.municipalityId,
      basis: judged.basis,
      canWrite: true,
      judgedAt: revocation.narrowings(),
    };
    // Opens (loads) the document on this node if it is not open; the Redis extension
    // carries the change to every other node holding it.
    const direct = await hocuspocus.openDirectConnection(documentName, context);
    try {
      const live = direct.document!;
      // Made on a copy first: its update is in the write-ahead log before any client has it.
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
      const before = Y.encodeStateVector(copy);
      change(copy);
      const update = Y.encodeStateAsUpdate(copy, before);
      if (update.byteLength <= 2 && !restoredFrom) return;
      await updateLog.append({ documentName, update, userId: actor.id, basis: judged.basis });
      const state = docs.get(documentName);
      if (state && restoredFrom) state.restore = { revisionId: restoredFrom, userId: actor.id };
      await direct.transact((doc) => Y.applyUpdate(doc, update));
      const action = auditAction === undefined ? parsed.kind.auditActions.transact : auditAction;
      if (action) {
        const event = { actorUserId: actor.id, actorUnitId: judged.basis?.unitId ?? null, action, ...parsed.kind.auditTarget(parsed.id), basis: judged.basis };
        await appendAudit(db, judged.municipalityId, [event]);
      }
    } finally {
      await direct.disconnect({ unloadImmediately: storeNow });
    }
  }

  async function flush() {
    const pending: Promise<unknown>[] = [];
    for (const document of hocuspocus.documents.values()) {
      const id = `onStoreDocument-${document.name}`;
      if (!document.isLoading && hocuspocus.debouncer.isDebounced(id)) pending.push(Promise.resolve(hocuspocus.debouncer.executeNow(id)));
    }
    await Promise.allSettled(pending);
    // Wait for stores already queued or running.
    await storeQueue.drain();
    await Promise.allSettled([...hocuspocus.documents.values()].map((d: Document) => d.saveMutex.waitForUnlock()));
  }

  let closing: Promise<void> | undefined;
  return {
    hocuspocus,
    kinds,
    storeQueue,
    handleUpgrade,
    attach(server) {
      server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        handleUpgrade(request, socket, head);
      });
    },
    transact,
    invalidate: revocation.invalidate,
    flush,
    close: () =>
      (closing ??= (async () => {
        revocation.close();
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
