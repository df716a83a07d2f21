import { agendaCaseBasis, decideAgendaItem } from "@laget/policy";
import * as Y from "yjs";
import { appendAudit } from "../audit/log.ts";
import { policyActor } from "../cases/access.ts";
import { DocumentRefusal, type Authorisation, type DocumentKind } from "../collab/kinds.ts";
import { applyLoggedUpdate, loadSnapshot } from "../collab/store.ts";
import type { Db } from "../db/connect.ts";
import type { Actor } from "../auth/actor.ts";
import { AppError } from "../errors.ts";
import { itemAccess } from "./agenda-access.ts";

/**
 * The minutes of one agenda item as a kind of live document: `minutes:<agenda item id in
 * lower case>` (DESIGN.md §5, §6). Its one judge is the policy's decideAgendaItem: read to
 * open it, writeMinutes to write (the chair and the minute-taker in draft, the chair alone
 * in review, nobody once approved). A named case's minutes carry the case's id, so a
 * consent withdrawal (accessChanged for the case) judges them again at once and closes
 * them for the units that lost their basis. Content: one Y.XmlFragment "minutes", bound to
 * TipTap's Collaboration extension as the plan's notes are.
 */

export const MINUTES_PREFIX = "minutes";
export const MINUTES_FIELD = "minutes";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const minutesDocumentName = (agendaItemId: string) => `${MINUTES_PREFIX}:${agendaItemId}`;

export const minutesFragment = (doc: Y.Doc) => doc.getXmlFragment(MINUTES_FIELD);

/** The minutes as plain text: one line per paragraph (or other block), marks dropped. For print and approval. */
export function minutesText(doc: Y.Doc): string {
  const blocks: string[] = [];
  const textOf = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): string => {
    if (node instanceof Y.XmlText) return node.toDelta().map((d: { insert?: unknown }) => (typeof d.insert === "string" ? d.insert : "")).join("");
    if (node instanceof Y.XmlElement) return node.toArray().map((c) => textOf(c as Y.XmlElement | Y.XmlText)).join("");
    return "";
  };
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlElement) {
        // A list or a quote holds blocks; a paragraph or heading is one.
        const nested = child.toArray().some((c) => c instanceof Y.XmlElement && !["hardBreak"].includes(c.nodeName));
        if (nested) walk(child);
        else blocks.push(textOf(child));
      } else if (child instanceof Y.XmlText) blocks.push(textOf(child));
    }
  };
  try {
    walk(minutesFragment(doc));
  } catch {
    return "";
  }
  return blocks.join("\n").trim();
}

/** The minutes' text as stored (snapshot plus the write-ahead log: every acknowledged edit). */
export async function readMinutesText(db: Db, agendaItemId: string): Promise<string> {
  const loaded = await loadSnapshot(db, minutesDocumentName(agendaItemId));
  const doc = new Y.Doc();
  if (loaded.state) applyLoggedUpdate(doc, loaded.state);
  for (const update of loaded.logged) applyLoggedUpdate(doc, update);
  const text = minutesText(doc);
  doc.destroy();
  return text;
}

/** The case each document was last judged for, for the audit of its edits (a named item's case). */
const caseOfDocument = new Map<string, string | null>();

export async function authoriseMinutes({ db, actor, id, audit }: { db: Db; actor: Actor; id: string; audit: boolean }): Promise<Authorisation> {
  const refuse = async (): Promise<never> => {
    // A refused connection names neither the item nor its case: a guess leaves the same trace.
    if (audit) {
      await appendAudit(db, actor.municipalityId, [
        { actorUserId: actor.id, actorUnitId: null, action: "denied:minutes.connect", resourceType: "agenda_item", resourceId: null, caseId: null, basis: null, purpose: "meeting" },
      ]);
    }
    throw new DocumentRefusal("not-found");
  };
  // The same judge as the agenda's API: an item hidden from the actor does not exist for them.
  let found: Awaited<ReturnType<typeof itemAccess>>;
  try {
    found = await itemAccess({ db, actor, agendaItemId: id, action: "read" });
  } catch (err) {
    if (err instanceof AppError) return refuse();
    throw err;
  }
  const { row, resource: item } = found;
  const subject = policyActor(actor);
  const named = item.subject.kind === "case" ? item.subject : null;
  const basis = named ? agendaCaseBasis(subject, named.case) : null;
  const caseId = named?.caseId ?? null;
  caseOfDocument.set(id, caseId);
  if (audit) {
    await appendAudit(db, actor.municipalityId, [
      { actorUserId: actor.id, actorUnitId: basis?.unitId ?? null, action: "minutes.connect", resourceType: "agenda_item", resourceId: id, caseId, basis, purpose: "meeting" },
    ]);
  }
  return {
    readOnly: !decideAgendaItem(subject, item, "writeMinutes").allow,
    basis,
    municipalityId: row.municipality_id,
    caseId,
    ...(named ? { lapses: named.case } : {}),
  };
}

export const minutesKind: DocumentKind = {
  prefix: MINUTES_PREFIX,
  parse: (tail) => (UUID.test(tail) ? tail : null),
  authorise: authoriseMinutes,
  async municipalityOf({ db, id }) {
    const row = await db.selectFrom("agenda_items").select("municipality_id").where("id", "=", id).executeTakeFirst();
    return row?.municipality_id ?? null;
  },
  auditTarget: (id) => ({ resourceType: "agenda_item", resourceId: id, caseId: caseOfDocument.get(id) ?? null, purpose: "meeting" }),
  auditActions: { update: "minutes.update", transact: "minutes.transact" },
};
