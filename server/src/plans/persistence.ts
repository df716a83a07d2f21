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
 * a revision.
 */

export const REVISION_INTERVAL_MS = 10 * 60 * 1000;

/** The origin of changes the server itself applies that must not trigger another store. */
export const MERGE_ORIGIN = { source: "local", skipStoreHooks: true } as const;

export const encodeState = (update: Uint8Array): string => Buffer.from(update).toString("base64");
export const decodeState = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

export async function loadPlanSnapshot(db: Db, caseId: string): Promise<{ state: Uint8Array | null; version: number }> {
  const row = await db.selectFrom("plan_documents").select(["state", "version"]).where("case_id", "=", caseId).executeTakeFirst();
  if (!row || row.state === "") return { state: null, version: row?.version ?? 0 };
  return { state: decodeState(row.state), version: row.version };
}

export type SnapshotRequest = {
  caseId: string;
  municipalityId: string;
  doc: Y.Doc;
  /** The version this node last loaded or wrote: if the row moved on, another node wrote it, so merge first. */
  knownVersion: number;
  /** Who changed the document since the last snapshot, with the basis they wrote under. */
  editors: ReadonlyMap<string, Basis | null>;
  /** Who changed it since the last revision. */
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

export type SnapshotResult = { version: number; plan: Plan; revisionId: string | null; /** What the projection now holds. */ projection: Projection };

/**
 * Writes the snapshot, the projection and (when due) a revision in one transaction.
 * If another node wrote the row since this node's version, its state is merged into
 * `doc` first (a CRDT merge: nothing either node acknowledged is lost).
 */
export async function storePlanSnapshot(db: Db, req: SnapshotRequest): Promise<SnapshotResult> {
  const now = req.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const lockRow = () =>
      trx.selectFrom("plan_documents").select(["state", "version", "last_revision_at"]).where("case_id", "=", req.caseId).forUpdate().executeTakeFirst();
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

    const state = encodeState(Y.encodeStateAsUpdate(req.doc));
    const plan = readPlan(req.doc);
    const version = row.version + 1;
    const lastEditor = [...req.editors.keys()].at(-1) ?? req.restore?.userId ?? null;

    const revisionDue =
      req.restore !== undefined ||
      (req.revisionEditors.size > 0 &&
        (req.lastEditorLeft || row.last_revision_at === null || now.getTime() - row.last_revision_at.getTime() >= REVISION_INTERVAL_MS));
    let revisionId: string | null = null;
    if (revisionDue) {
      const revision = await trx
        .insertInto("plan_revisions")
        .values({
          case_id: req.caseId,
          state,
          reason: req.restore ? "restore" : req.lastEditorLeft ? "last_editor_left" : "periodic",
          editor_user_ids: JSON.stringify([...new Set([...req.revisionEditors, ...(req.restore ? [req.restore.userId] : [])])]),
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

    const events: AuditEvent[] = [...req.editors].map(([userId, basis]) => ({
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
