import { planDocumentName, readPlan, type Plan } from "@laget/plan";
import { loadSnapshot, storeSnapshot, type LoadedDocument, type StoreRequest } from "../collab/store.ts";
import type { Db } from "../db/connect.ts";
import { planKind } from "./kind.ts";
import type { Projection } from "./projection.ts";

/**
 * A case's plan in the generic live-document store (collab/store.ts), by case id: what
 * the plan kind's snapshots do, for tests and tools that work on one plan directly.
 */

export const loadPlanSnapshot = (db: Db, caseId: string): Promise<LoadedDocument> => loadSnapshot(db, planDocumentName(caseId));

/** A store request for a case's plan: the generic one, the plan kind and its name filled in. */
export type PlanSnapshotRequest = Omit<StoreRequest, "kind" | "id" | "documentName" | "previousProjection"> & { caseId: string; previousProjection?: Projection };

export async function storePlanSnapshot(
  db: Db,
  { caseId, ...req }: PlanSnapshotRequest,
): Promise<{ version: number; plan: Plan; revisionId: string | null; projection: Projection }> {
  const result = await storeSnapshot(db, { ...req, kind: planKind, id: caseId, documentName: planDocumentName(caseId) });
  return { ...result, plan: readPlan(req.doc), projection: result.projection as Projection };
}
