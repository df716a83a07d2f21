import { readPlan, type Plan } from "@laget/plan";
import type { Basis } from "@laget/policy";
import * as Y from "yjs";
import { appendAudit, type AuditEvent } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { diffProjection, measureRows, projectionOf, type Projection } from "./projection.ts";

/**
 * Plan snapshots in PostgreSQL. A snapshot is the whole Yjs state as one update
 * (base64 text, identical on PostgreSQL and PGlite); it is written in one transaction
 * with the measure projection, the audit events naming the editors, and, when due,
 * a revision naming everyone who changed the plan since the previous one (kept with the
 * plan in between, so that whichever node writes the revision knows them all).
 */

export const REVISION_INTERVAL_MS = 10 * 60 * 1000;

/** The origin of changes the server itself applies that must not trigger another store. */
export const MERGE_ORIGIN = { source: "local", skipStoreHooks: true } as const;

export const encodeState = (update: Uint8Array): string => Buffer.from(update).toString("base64");
export const decodeState = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

export type LoadedPlan = {
  state: Uint8Array | null;
  version: number;
  /** Updates logged since the snapshot (plan_updates), oldest first: replay them on top of it. */
  logged: Uint8Array[];
};

/** The snapshot and the updates logged after it, read in one consistent view. */
export async function loadPlanSnapshot(db: Db, caseId: string): Promise<LoadedPlan> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const row = await trx.selectFrom("plan_documents").select(["state", "version"]).where("case_id", "=", caseId).executeTakeFirst();
      const logged = await trx.selectFrom("plan_updates").select("update").where("case_id", "=", caseId).orderBy("id").execute();
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

export type SnapshotRequest = {
  caseId: string;
  municipalityId: string;
  doc: Y.Doc;
  /** The version this node last loaded or wrote: if the row moved on, another node wrote it, so merge first. */
  knownVersion: number;
  /**
   * Who changed the document since the last snapshot other than through a client
   * connection (e.g. a restore), with the basis they wrote under. Client edits are
   * audited from the logged updates this snapshot folds in.
   */
  editors: ReadonlyMap<string, Basis | null>;
  /** Who changed it on this node since its last snapshot; those of earlier snapshots are kept with the plan. */
  revisionEditors: ReadonlySet<string>;
  /** The last editor left: a revision is due whatever the interval. */
  lastEditorLeft: boolean;
  restore?: { revisionId: string; userId: string };
  /**
   * The measure projection this node wrote at `knownVersion` (from a previous result).
   * When the row is still at that version, only the measures that changed are written;
   * otherwise (first store, or another node wrote since) the projection is replaced whole.
   */
  previousProjection?: Projection;
  now?: Date;
};

export type SnapshotResult = {
  version: number;
  plan: Plan;
  revisionId: string | null;
  /** What the projection now holds. */
  projection: Projection;
};

/**
 * Writes the snapshot, the projection and (when due) a revision in one transaction.
 * If another node wrote the row since this node's version, its state is merged into
 * `doc` first (a CRDT merge: nothing either node acknowledged is lost). The logged
 * updates of the case are deleted and, in the same step, merged into `doc` (a no-op for
 * those it already holds): the snapshot contains every row it deletes, whichever node
 * logged it and however its commit interleaved; rows committed later stay logged.
 * Their editors are audited here, once, by whichever node folds them.
 */
export async function storePlanSnapshot(db: Db, req: SnapshotRequest): Promise<SnapshotResult> {
  const now = req.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const lockRow = () =>
      trx
        .selectFrom("plan_documents")
        .select(["state", "version", "last_revision_at", "pending_editor_user_ids"])
        .where("case_id", "=", req.caseId)
        .forUpdate()
        .executeTakeFirst();
    let row = await lockRow();
    if (!row) {
      // The first write: a placeholder row first, so the row lock also serializes it.
      await trx
        .insertInto("plan_documents")
        .values({ case_id: req.caseId, municipality_id: req.municipalityId, state: "", version: 0 })
        .onConflict((oc) => oc.column("case_id").doNothing())
        .execute();
      row = await lockRow();
      if (!row) throw new Error("plan_documents row vanished");
    }
    if (row.version !== req.knownVersion && row.state !== "") {
      Y.applyUpdate(req.doc, decodeState(row.state), MERGE_ORIGIN);
    }
    const logged = await trx.deleteFrom("plan_updates").where("case_id", "=", req.caseId).returning(["id", "update", "user_id", "basis"]).execute();
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
    const plan = readPlan(req.doc);
    const version = row.version + 1;
    const lastEditor = [...editors.keys()].at(-1) ?? req.restore?.userId ?? null;

    const revisionDue =
      req.restore !== undefined ||
      (revisionEditors.size > 0 &&
        (req.lastEditorLeft || row.last_revision_at === null || now.getTime() - row.last_revision_at.getTime() >= REVISION_INTERVAL_MS));
    let revisionId: string | null = null;
    if (revisionDue) {
      const revision = await trx
        .insertInto("plan_revisions")
        .values({
          case_id: req.caseId,
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
      .updateTable("plan_documents")
      .set({
        state,
        version,
        updated_at: now,
        ...(lastEditor ? { updated_by: lastEditor } : {}),
        ...(revisionDue ? { last_revision_at: now } : {}),
        pending_editor_user_ids: JSON.stringify(revisionDue ? [] : [...revisionEditors]),
      })
      .where("case_id", "=", req.caseId)
      .execute();

    // The projection: only what changed since this node's own last write at this version;
    // replaced whole when that is unknown or another node wrote in between.
    const rows = measureRows(req.caseId, req.municipalityId, plan, now);
    const projection = projectionOf(rows);
    if (req.previousProjection && row.version === req.knownVersion) {
      const { removed, changed } = diffProjection(req.previousProjection, projection, rows);
      if (removed.length) await trx.deleteFrom("plan_measures").where("case_id", "=", req.caseId).where("measure_id", "in", removed).execute();
      if (changed.length) {
        await trx
          .insertInto("plan_measures")
          .values(changed)
          .onConflict((oc) =>
            oc.columns(["case_id", "measure_id"]).doUpdateSet((eb) => ({
              municipality_id: eb.ref("excluded.municipality_id"),
              domain_id: eb.ref("excluded.domain_id"),
              title: eb.ref("excluded.title"),
              status: eb.ref("excluded.status"),
              responsible_unit_id: eb.ref("excluded.responsible_unit_id"),
              responsible_user_id: eb.ref("excluded.responsible_user_id"),
              start_date: eb.ref("excluded.start_date"),
              deadline: eb.ref("excluded.deadline"),
              evaluation_date: eb.ref("excluded.evaluation_date"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          )
          .execute();
      }
    } else {
      await trx.deleteFrom("plan_measures").where("case_id", "=", req.caseId).execute();
      if (rows.length) await trx.insertInto("plan_measures").values(rows).execute();
    }

    const events: AuditEvent[] = [...editors].map(([userId, basis]) => ({
      actorUserId: userId,
      actorUnitId: basis?.unitId ?? null,
      action: "plan.update",
      resourceType: "plan",
      resourceId: req.caseId,
      caseId: req.caseId,
      basis,
      purpose: "coordination",
    }));
    await appendAudit(trx, req.municipalityId, events);
    return { version, plan, revisionId, projection };
  });
}
