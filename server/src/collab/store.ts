import type { Basis } from "@laget/policy";
import * as Y from "yjs";
import { appendAudit, type AuditEvent } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import type { DocumentKind } from "./kinds.ts";

/**
 * Live-document snapshots in PostgreSQL, by document name. A snapshot is the whole Yjs
 * state as one update (base64 text, identical on PostgreSQL and PGlite); it is written in
 * one transaction with what the kind keeps beside it (the plan's measure projection), the
 * audit events naming the editors, and, when due, a revision naming everyone who changed
 * the document since the previous one (kept with the document in between, so that
 * whichever node writes the revision knows them all).
 */

export const REVISION_INTERVAL_MS = 10 * 60 * 1000;

/** The origin of changes the server itself applies that must not trigger another store. */
export const MERGE_ORIGIN = { source: "local", skipStoreHooks: true } as const;

export const encodeState = (update: Uint8Array): string => Buffer.from(update).toString("base64");
export const decodeState = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

export type LoadedDocument = {
  state: Uint8Array | null;
  version: number;
  /** Updates logged since the snapshot (live_document_updates), oldest first: replay them on top of it. */
  logged: Uint8Array[];
};

/** The snapshot and the updates logged after it, read in one consistent view. */
export async function loadSnapshot(db: Db, documentName: string): Promise<LoadedDocument> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const row = await trx.selectFrom("live_documents").select(["state", "version"]).where("document_name", "=", documentName).executeTakeFirst();
      const logged = await trx.selectFrom("live_document_updates").select("update").where("document_name", "=", documentName).orderBy("id").execute();
      return {
        state: !row || row.state === "" ? null : decodeState(row.state),
        version: row?.version ?? 0,
        logged: logged.map((r) => decodeState(r.update)),
      };
    });
}

/**
 * Applies a logged update. One that does not decode is skipped: Hocuspocus refused it
 * too (it closes the connection), and it must not stop the document from loading or storing.
 */
export function applyLoggedUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown = MERGE_ORIGIN): boolean {
  try {
    Y.applyUpdate(doc, update, origin);
    return true;
  } catch {
    return false;
  }
}

export type StoreRequest = {
  kind: DocumentKind;
  id: string;
  documentName: string;
  municipalityId: string;
  doc: Y.Doc;
  /** The version this node last loaded or wrote: if the row moved on, another node wrote it, so merge first. */
  knownVersion: number;
  /**
   * Who changed the document since the last snapshot other than through the write-ahead
   * log, with the basis they wrote under. Logged edits are audited from their rows.
   */
  editors: ReadonlyMap<string, Basis | null>;
  /** Who changed it on this node since its last snapshot; those of earlier snapshots are kept with the document. */
  revisionEditors: ReadonlySet<string>;
  /** The last editor left: a revision is due whatever the interval. */
  lastEditorLeft: boolean;
  restore?: { revisionId: string; userId: string };
  /** What the kind's `project` returned at `knownVersion` on this node (see DocumentKind.project). */
  previousProjection?: unknown;
  now?: Date;
};

export type StoreResult = { version: number; revisionId: string | null; projection: unknown };

/**
 * Writes the snapshot, the kind's projection and (when due) a revision in one transaction.
 * If another node wrote the row since this node's version, its state is merged into
 * `doc` first (a CRDT merge: nothing either node acknowledged is lost). The logged
 * updates of the document are deleted and, in the same step, merged into `doc` (a no-op
 * for those it already holds): the snapshot contains every row it deletes, whichever node
 * logged it and however its commit interleaved; rows committed later stay logged.
 * Their editors are audited here, once, by whichever node folds them.
 */
export async function storeSnapshot(db: Db, req: StoreRequest): Promise<StoreResult> {
  const now = req.now ?? new Date();
  const name = req.documentName;
  return db.transaction().execute(async (trx) => {
    const lockRow = () =>
      trx
        .selectFrom("live_documents")
        .select(["state", "version", "last_revision_at", "pending_editor_user_ids"])
        .where("document_name", "=", name)
        .forUpdate()
        .executeTakeFirst();
    let row = await lockRow();
    if (!row) {
      // The first write: a placeholder row first, so the row lock also serializes it.
      await trx
        .insertInto("live_documents")
        .values({ document_name: name, municipality_id: req.municipalityId, state: "", version: 0 })
        .onConflict((oc) => oc.column("document_name").doNothing())
        .execute();
      row = await lockRow();
      if (!row) throw new Error("live_documents row vanished");
    }
    if (row.version !== req.knownVersion && row.state !== "") {
      Y.applyUpdate(req.doc, decodeState(row.state), MERGE_ORIGIN);
    }
    const logged = await trx.deleteFrom("live_document_updates").where("document_name", "=", name).returning(["id", "update", "user_id", "basis"]).execute();
    logged.sort((a, b) => a.id - b.id);
    const editors = new Map<string, Basis | null>();
    for (const entry of logged) {
      applyLoggedUpdate(req.doc, decodeState(entry.update));
      if (!entry.user_id) continue;
      editors.delete(entry.user_id);
      editors.set(entry.user_id, (entry.basis ?? null) as Basis | null);
    }
    for (const [userId, basis] of req.editors) {
      editors.delete(userId);
      editors.set(userId, basis);
    }
    // Everyone since the last revision: those earlier snapshots folded in (by any node), and these.
    const revisionEditors = new Set([...(row.pending_editor_user_ids as string[]), ...req.revisionEditors, ...editors.keys()]);

    const state = encodeState(Y.encodeStateAsUpdate(req.doc));
    const version = row.version + 1;
    const lastEditor = [...editors.keys()].at(-1) ?? req.restore?.userId ?? null;

    const revisionDue =
      req.restore !== undefined ||
      (revisionEditors.size > 0 &&
        (req.lastEditorLeft || row.last_revision_at === null || now.getTime() - row.last_revision_at.getTime() >= REVISION_INTERVAL_MS));
    let revisionId: string | null = null;
    if (revisionDue) {
      const revision = await trx
        .insertInto("document_revisions")
        .values({
          document_name: name,
          state,
          reason: req.restore ? "restore" : req.lastEditorLeft ? "last_editor_left" : "periodic",
          editor_user_ids: JSON.stringify([...new Set([...revisionEditors, ...(req.restore ? [req.restore.userId] : [])])]),
          restored_from: req.restore?.revisionId ?? null,
          created_by: req.restore?.userId ?? null,
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      revisionId = revision.id;
    }

    await trx
      .updateTable("live_documents")
      .set({
        state,
        version,
        updated_at: now,
        ...(lastEditor ? { updated_by: lastEditor } : {}),
        ...(revisionDue ? { last_revision_at: now } : {}),
        pending_editor_user_ids: JSON.stringify(revisionDue ? [] : [...revisionEditors]),
      })
      .where("document_name", "=", name)
      .execute();

    // Only what changed since this node's own last write at this version; whole when that is unknown.
    const previous = row.version === req.knownVersion ? req.previousProjection : undefined;
    const projection = await req.kind.project?.({ trx, id: req.id, municipalityId: req.municipalityId, doc: req.doc, previous, now });

    const target = req.kind.auditTarget(req.id);
    const events: AuditEvent[] = [...editors].map(([userId, basis]) => ({
      actorUserId: userId,
      actorUnitId: basis?.unitId ?? null,
      action: req.kind.auditActions.update,
      ...target,
      basis,
    }));
    await appendAudit(trx, req.municipalityId, events);
    return { version, revisionId, projection };
  });
}
