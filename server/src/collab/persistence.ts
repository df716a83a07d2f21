import { type Document, type Extension, type Hocuspocus, isTransactionOrigin, shouldSkipStoreHooks } from "@hocuspocus/server";
import * as Y from "yjs";
import type { Db } from "../db/connect.ts";
import type { Logger } from "../log.ts";
import { contextOf, type CollabContext, type DocState } from "./context.ts";
import { DocumentRefusal, type DocumentKinds } from "./kinds.ts";
import { createHeldAcks } from "./held-acks.ts";
import { applyLoggedUpdate, loadSnapshot, storeSnapshot } from "./store.ts";
import type { StoreQueue } from "./store-queue.ts";
import type { UpdateLog } from "./update-log.ts";

/**
 * Persistence, generic by document name: every update a client sends is appended to the
 * write-ahead log (update-log.ts, group-committed) as it is applied and relayed, and
 * acknowledged only once committed (held-acks.ts), so even a crash loses nothing
 * acknowledged; a debounced snapshot (Hocuspocus' debounce, 2 s, at most 10 s) folds the log in, with the kind's projection,
 * audit and revisions in one transaction (store.ts); loading replays what the log still
 * holds. Under constant edits each document is stored at a deadline of its own, drawn
 * anew every time between 60 % and 100 % of the 10 s, so documents opened together do
 * not all store at the same moment. Every store waits its turn in the node's store queue
 * (store-queue.ts: a few at once, never two of one document), holding the document's save
 * mutex meanwhile, so the document is not unloaded before it is stored and a later store
 * of it waits for this one; what it writes is read when its turn comes.
 */

/** y-protocols sync message types that carry changes (step 1 is only a state vector). */
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
/** An encoded Yjs update with no structs and no deletions is two bytes: [0, 0]. */
const isEmptyUpdate = (update: Uint8Array) => update.byteLength <= 2;

export function persistenceExtension(options: {
  db: Db;
  log: Logger;
  kinds: DocumentKinds;
  updateLog: UpdateLog;
  docs: Map<string, DocState>;
  storeQueue: StoreQueue;
  hocuspocus: () => Hocuspocus<CollabContext>;
  maxDebounceMs: number;
  /** See createLiveDocuments. */
  storeJitter: number;
}): Extension {
  const { db, log, kinds, updateLog, docs, storeQueue, maxDebounceMs, storeJitter } = options;
  const heldAcks = createHeldAcks(log);

  // Runs the document's pending store (if any) early, through Hocuspocus' own debouncer,
  // so unloading, flush() and the save mutex work exactly as for its maxDebounce.
  function scheduleDeadline(documentName: string, state: DocState) {
    if (state.deadline || storeJitter === 0) return;
    state.deadline = setTimeout(
      () => {
        state.deadline = undefined;
        const id = `onStoreDocument-${documentName}`;
        const { debouncer } = options.hocuspocus();
        if (debouncer.isDebounced(id)) {
          Promise.resolve(debouncer.executeNow(id)).catch((err: unknown) => log.error({ err, documentName }, "storing a live document failed"));
        }
      },
      maxDebounceMs * (1 - storeJitter * Math.random()),
    );
    // Hocuspocus' own debounce timer keeps the process alive while a store is pending.
    state.deadline.unref();
  }

  return {
    extensionName: "laget-persistence",
    async onLoadDocument({ documentName, document }) {
      const parsed = kinds.parse(documentName);
      if (!parsed) throw new DocumentRefusal("not-found");
      const { kind, id } = parsed;
      const municipalityId = await kind.municipalityOf({ db, id });
      if (!municipalityId) throw new DocumentRefusal("not-found");
      const stored = await loadSnapshot(db, documentName);
      if (stored.state) Y.applyUpdate(document, stored.state);
      for (const update of stored.logged) applyLoggedUpdate(document, update);
      if (!stored.state && stored.logged.length === 0 && kind.initialise) {
        await kind.initialise({ db, id, municipalityId, doc: document });
        // Logged before any client sees it: their edits build on these structs.
        await updateLog.append({ documentName, update: Y.encodeStateAsUpdate(document), userId: null, basis: null });
      }
      docs.set(documentName, {
        kind,
        id,
        municipalityId,
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
    // Write-ahead: Hocuspocus applies the update right after this, and relays it; its ack
    // waits for the append's commit (held-acks.ts). Only on the node a client sends to (the
    // Redis extension applies without a connection).
    async beforeSync({ connection, type, payload, documentName }) {
      if (type !== SYNC_STEP_2 && type !== SYNC_UPDATE) return;
      await heldAcks.room(connection);
      // Read-only connections' writes are dropped by Hocuspocus right after this: never logged.
      // Nothing awaits from here on, so a revocation cannot make it read-only in between.
      if (connection.readOnly || isEmptyUpdate(payload)) return;
      const ctx = contextOf(connection);
      heldAcks.holdNextAck(connection, updateLog.append({ documentName, update: payload, userId: ctx.userId, basis: ctx.basis }));
    },
    async onChange({ documentName, transactionOrigin }) {
      const state = docs.get(documentName);
      if (!state || shouldSkipStoreHooks(transactionOrigin)) return;
      // A store is now pending (Hocuspocus schedules it with this very update).
      scheduleDeadline(documentName, state);
      if (!isTransactionOrigin(transactionOrigin)) return;
      if (transactionOrigin.source === "connection") {
        // Audited from the logged update when it is folded into a snapshot.
        state.revisionEditors.add(contextOf(transactionOrigin.connection).userId);
        return;
      }
      if (transactionOrigin.source !== "local" || transactionOrigin.skipStoreHooks) return;
      // A server-side change (transact): logged too, so only its revision needs the editor.
      const ctx = transactionOrigin.context as Partial<CollabContext> | undefined;
      if (ctx?.userId) state.revisionEditors.add(ctx.userId);
    },
    async onStoreDocument({ documentName, document }) {
      const state = docs.get(documentName);
      if (!state) return;
      // Changes from here on are pending again, with a deadline of their own.
      clearDeadline(state);
      await storeQueue.request(documentName, () => store(documentName, document, state));
    },
    async afterUnloadDocument({ documentName, instance }) {
      if (instance.documents.has(documentName)) return;
      const state = docs.get(documentName);
      if (state) clearDeadline(state);
      docs.delete(documentName);
    },
  };

  /** One store, when its turn in the queue comes: what is pending then is what it writes. */
  async function store(documentName: string, document: Document, state: DocState) {
    const { editors, revisionEditors, restore } = state;
    state.editors = new Map();
    state.revisionEditors = new Set();
    state.restore = undefined;
    try {
      const result = await storeSnapshot(db, {
        kind: state.kind,
        id: state.id,
        documentName,
        municipalityId: state.municipalityId,
        doc: document,
        knownVersion: state.version,
        editors,
        revisionEditors,
        lastEditorLeft: document.getConnectionsCount() === 0,
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
      log.error({ err, documentName }, "storing a live document failed");
      throw err;
    }
  }
}

export function clearDeadline(state: DocState) {
  clearTimeout(state.deadline);
  state.deadline = undefined;
}
