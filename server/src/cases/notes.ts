import { mayEditNote, type Category } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit, type AuditEvent } from "../audit/log.ts";
import { AppError } from "../errors.ts";
import { authorizeCase, decisionFor, policyActor, readCase, readableCategories, readableFromOtherUnits, recordAccess, ruleRefusal, visibilityBasis } from "./access.ts";

/**
 * Case notes (observasjoner, lysglimt): written by a unit into the case, never deleted,
 * every edit kept. A note is its author unit's data: others read it only where
 * decide() allows that category from that unit.
 */
export async function addNote({ db, actor, ...input }: AsActor & { caseId: string; category: Category; kind: "observation" | "bright_spot"; body: string }) {
  // The note belongs to the unit through which the actor sees the case. Only the write is
  // audited (a refusal included): finding that unit is not a read of the case.
  const seenThrough = await visibilityBasis(db, actor, input.caseId);
  const unitId = seenThrough?.unitId;
  const write = {
    category: input.category,
    action: "write",
    purpose: "coordination",
    auditAction: "note.create",
    resourceType: "note",
    ...(unitId ? { dataOwnerUnitId: unitId } : {}),
  } as const;
  // A refusal (a closed case's CASE_CLOSED included: decide() refuses every write on it) is
  // audited at once; the creation only once the note exists.
  const { basis } = await authorizeCase(db, actor, input.caseId, { ...write, recordAllowed: false });
  return db.transaction().execute(async (trx) => {
    const note = await trx
      .insertInto("case_notes")
      .values({ case_id: input.caseId, unit_id: unitId!, author_user_id: actor.id, category: input.category, kind: input.kind, body: input.body })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.updateTable("cases").set({ updated_at: new Date() }).where("id", "=", input.caseId).execute();
    await recordAccess({ db: trx, actor, caseId: input.caseId, req: { ...write, resourceId: note.id }, basis });
    return { noteId: note.id };
  });
}

/** The notes the actor may read, each read audited; the rest are left out without a trace. */
export async function listNotes({ db, actor, caseId }: AsActor & { caseId: string }) {
  const { facts } = await readCase({ db, actor, caseId, auditAction: "case.read" });
  const rows = await db
    .selectFrom("case_notes as n")
    .innerJoin("units", "units.id", "n.unit_id")
    .innerJoin("users", "users.id", "n.author_user_id")
    .select(["n.id", "n.unit_id", "units.name as unit_name", "n.author_user_id", "users.display_name as author_name", "n.category", "n.kind", "n.body", "n.version", "n.created_at", "n.updated_at"])
    .where("n.case_id", "=", caseId)
    .orderBy("n.created_at", "desc")
    .execute();
  const events: AuditEvent[] = [];
  const notes = rows.flatMap((n) => {
    const d = decisionFor(actor, facts, n.category as Category, "read", "coordination", n.unit_id);
    if (!d.allow) return [];
    events.push({
      actorUserId: actor.id,
      actorUnitId: d.basis.unitId,
      action: "note.read",
      resourceType: "note",
      resourceId: n.id,
      caseId,
      basis: d.basis,
      purpose: "coordination",
    });
    return [
      {
        id: n.id,
        unitName: n.unit_name,
        authorName: n.author_name,
        mine: n.author_user_id === actor.id,
        abilities: { edit: mayEditNote(policyActor(actor), facts, { authorUserId: n.author_user_id }).allow },
        category: n.category as Category,
        kind: n.kind as "observation" | "bright_spot",
        body: n.body,
        version: n.version,
        edited: n.version > 1,
        createdAt: n.created_at,
        updatedAt: n.updated_at,
      },
    ];
  });
  await appendAudit(db, actor.municipalityId, events);
  return {
    notes,
    // What the actor's units may read from the owning unit, and of other units' notes: for the UI's explanation.
    readableCategories: readableCategories(actor, facts, "coordination"),
    readableFromOthers: readableFromOtherUnits(actor, facts, "coordination"),
  };
}

async function authorizeOwnNote({ db, actor, noteId, auditAction }: AsActor & { noteId: string; auditAction: string }) {
  const note = await db
    .selectFrom("case_notes")
    .innerJoin("cases", "cases.id", "case_notes.case_id")
    .select(["case_notes.id", "case_notes.case_id", "case_notes.unit_id", "case_notes.author_user_id", "case_notes.category", "case_notes.body", "case_notes.version"])
    .where("case_notes.id", "=", noteId)
    .where("cases.municipality_id", "=", actor.municipalityId)
    .executeTakeFirst();
  if (!note) throw new AppError("NOT_FOUND");
  const access = await authorizeCase(db, actor, note.case_id, {
    category: note.category as Category,
    action: "read",
    purpose: "coordination",
    auditAction,
    resourceType: "note",
    resourceId: noteId,
    dataOwnerUnitId: note.unit_id,
  });
  return { ...note, facts: access.facts };
}

/** Only the author edits; the previous text is kept as a version. */
export async function editNote({ db, actor, ...input }: AsActor & { noteId: string; category: Category; body: string; version?: number }) {
  const note = await authorizeOwnNote({ db, actor, noteId: input.noteId, auditAction: "note.edit" });
  const verdict = mayEditNote(policyActor(actor), note.facts, { authorUserId: note.author_user_id });
  if (!verdict.allow) throw ruleRefusal(verdict.reason);
  if (input.version !== undefined && input.version !== note.version) throw new AppError("INVALID_STATE", "The note was changed in the meantime");
  await db.transaction().execute(async (trx) => {
    // Optimistic: only the version the edit was made from (or, without one, the version read
    // above) is replaced. Of parallel edits one wins (the row lock makes the others re-check
    // the version) and the rest are told to reload.
    const updated = await trx
      .updateTable("case_notes")
      .set({ category: input.category, body: input.body, version: note.version + 1, updated_at: new Date() })
      .where("id", "=", note.id)
      .where("version", "=", note.version)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new AppError("INVALID_STATE", "The note was changed in the meantime");
    await trx
      .insertInto("case_note_versions")
      .values({ note_id: note.id, version: note.version, category: note.category, body: note.body, edited_by: actor.id })
      .execute();
  });
}

/**
 * A note's earlier versions, each decided for its own category (the owner is the note's
 * unit, which never changes): a note moved from `health` to `school` must not show its
 * health text to a reader who may see only `school`. Versions the reader may not see are
 * left out without a trace, and the rest are numbered among themselves (oldest 1), so a
 * gap never tells that a hidden version, and so a re-categorisation, exists. The author's
 * unit sees every version, numbered as stored.
 */
export async function noteHistory({ db, actor, noteId }: AsActor & { noteId: string }) {
  const note = await authorizeOwnNote({ db, actor, noteId, auditAction: "note.history" });
  const rows = await db
    .selectFrom("case_note_versions as v")
    .innerJoin("users", "users.id", "v.edited_by")
    .select(["v.version", "v.category", "v.body", "v.edited_at", "users.display_name"])
    .where("v.note_id", "=", noteId)
    .orderBy("v.version", "asc")
    .execute();
  const events: AuditEvent[] = [];
  const shown = rows.flatMap((r) => {
    const d = decisionFor(actor, note.facts, r.category as Category, "read", "coordination", note.unit_id);
    if (!d.allow) return [];
    events.push({
      actorUserId: actor.id,
      actorUnitId: d.basis.unitId,
      action: "note.version.read",
      resourceType: "note",
      resourceId: noteId,
      caseId: note.case_id,
      basis: d.basis,
      purpose: "coordination",
    });
    return [r];
  });
  await appendAudit(db, actor.municipalityId, events);
  return shown
    .map((r, i) => ({ version: i + 1, category: r.category as Category, body: r.body, replacedAt: r.edited_at, editedBy: r.display_name }))
    .reverse();
}
