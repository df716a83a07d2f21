import type { Basis, CaseFacts } from "@laget/policy";
import { sql } from "kysely";
import type { Actor } from "../auth/actor.ts";
import { authorizeCase } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import { caseReadersWithBasis } from "../cases/participants.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { CASE_THREAD, judgeConversation, judgeLoaded, type ConversationFacts } from "./judge.ts";

/**
 * Authorizing reads and writes of conversations, and finding their readers. Whether the
 * actor may is always judgeConversation()'s answer (judge.ts), on facts loaded afresh.
 */
export type Conversation = {
  id: string;
  municipality_id: string;
  kind: "case" | "group" | "direct";
  case_id: string | null;
  group_kind: string | null;
  title: string | null;
  owner_user_id: string | null;
  last_seq: number;
};

/**
 * The conversation with its current members who are active users (for a group or direct
 * conversation: its readers, the actor among them or not). One round trip, on every send
 * and read: written as SQL, since building it with the query builder cost more than the
 * rest of authorizing a send.
 */
async function loadConversation(db: Db, conversationId: string): Promise<(Conversation & { member_ids: string[] }) | undefined> {
  const { rows } = await sql<Conversation & { member_ids: string[] }>`
    select c.id, c.municipality_id, c.kind, c.case_id, c.group_kind, c.title, c.owner_user_id, c.last_seq,
      array(select m.user_id::text from conversation_members m join users u on u.id = m.user_id
            where m.conversation_id = c.id and m.left_at is null and u.deactivated_at is null) as member_ids
    from conversations c where c.id = ${conversationId}`.execute(db);
  return rows[0];
}

/** A case thread is read by whom decide() allows (`facts`); any other conversation by its `members`. */
export type ConversationAccess = { conversation: Conversation; facts: CaseFacts; members: null } | { conversation: Conversation; facts: null; members: string[] };

/**
 * Authorizes one read or write of a conversation. An unknown conversation and one the
 * actor may not see are the same NOT_FOUND. For a case thread, `auditAction` makes it a
 * full, audited authorizeCase (history pages, sends, edits); without it the decision is
 * taken on fresh facts but not audited (joining a room, marking read: no content moves).
 */
export async function authorizeConversation(options: {
  db: Db;
  actor: Actor;
  conversationId: string;
  action: "read" | "write";
  auditAction?: string;
}): Promise<ConversationAccess> {
  const { db, actor, conversationId, action, auditAction } = options;
  const row = await loadConversation(db, conversationId);
  if (!row || row.municipality_id !== actor.municipalityId) throw new AppError("NOT_FOUND");
  const { member_ids: members, ...conversation } = row;
  if (conversation.kind !== "case") {
    if (!judgeConversation({ actor, conversation, facts: null, members, action }).allow) throw new AppError("NOT_FOUND");
    return { conversation, facts: null, members };
  }
  const caseId = conversation.case_id!;
  // Audited: authorizeCase() on the case thread's terms (CASE_THREAD) records the read or
  // the refusal; the judge then has the last word on the same facts.
  const facts = auditAction
    ? (
        await authorizeCase(db, actor, caseId, {
          category: CASE_THREAD.category,
          action,
          purpose: CASE_THREAD.purpose,
          auditAction,
          resourceType: "conversation",
          resourceId: conversationId,
        })
      ).facts
    : (await loadCaseFacts(db, [caseId])).get(caseId);
  if (!judgeConversation({ actor, conversation, facts, members: null, action }).allow) throw new AppError("NOT_FOUND");
  return { conversation, facts: facts!, members: null };
}

/** Whether a case may still take new messages: a closed case's thread is read-only. */
export async function assertCaseOpen(db: Db, caseId: string): Promise<void> {
  const row = await db.selectFrom("cases").select("status").where("id", "=", caseId).executeTakeFirstOrThrow();
  if (row.status === "closed") throw new AppError("CASE_CLOSED");
}

/**
 * The users who may read a case thread now: the coordinator and the users of the
 * participating units, each judged by decide() with all of their units.
 */
export async function caseThreadReaders(db: Db, facts: CaseFacts): Promise<string[]> {
  return (await caseThreadReadersWithBasis(db, facts)).map((r) => r.userId);
}

/**
 * The case thread's readers now, each with the basis decide() found: what a delivery is
 * audited with. The inverse of the judge (who, rather than whether), on its terms.
 */
export async function caseThreadReadersWithBasis(db: Db, facts: CaseFacts): Promise<{ userId: string; basis: Basis }[]> {
  return (await caseReadersWithBasis(db, facts, CASE_THREAD.category)).map(({ userId, basis }) => ({ userId, basis }));
}

/**
 * The conversations the actor may read now, without auditing (nothing is shown):
 * used to join socket rooms. Each candidate is put to the judge.
 */
export async function readableConversationIds(db: Db, actor: Actor): Promise<{ ids: Set<string>; caseFacts: Map<string, CaseFacts> }> {
  const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
  const [memberOf, caseThreads] = await Promise.all([
    db
      .selectFrom("conversation_members as m")
      .innerJoin("conversations as c", "c.id", "m.conversation_id")
      .select(["c.id", "c.municipality_id", "c.kind", "c.case_id"])
      .where("m.user_id", "=", actor.id)
      .where("m.left_at", "is", null)
      .execute(),
    candidateCaseThreads(db, actor, unitIds),
  ]);
  const candidates = [...memberOf, ...caseThreads];
  const facts: ConversationFacts = {
    conversations: new Map(candidates.map((c) => [c.id, { ...c, kind: c.kind as "case" | "group" | "direct" }])),
    caseFacts: await loadCaseFacts(db, caseThreads.map((t) => t.case_id)),
    members: new Map(memberOf.map((m) => [m.id, new Set([actor.id])])),
  };
  const ids = new Set(candidates.filter((c) => judgeLoaded(facts, actor, c.id).allow).map((c) => c.id));
  return { ids, caseFacts: facts.caseFacts };
}

/** Case threads of cases the actor might take part in (coordinator, or a unit participating): the judge narrows. */
export async function candidateCaseThreads(db: Db, actor: Actor, unitIds: readonly string[]) {
  return db
    .selectFrom("conversations as c")
    .innerJoin("cases", "cases.id", "c.case_id")
    .select(["c.id", "c.case_id", "c.municipality_id", "c.kind"])
    .$narrowType<{ case_id: string }>()
    .where("c.municipality_id", "=", actor.municipalityId)
    .where((eb) =>
      eb.or([
        eb("cases.coordinator_user_id", "=", actor.id),
        eb.exists(
          eb
            .selectFrom("case_participants as p")
            .select("p.id")
            .whereRef("p.case_id", "=", "c.case_id")
            .where("p.unit_id", "in", unitIds.length ? [...unitIds] : [actor.id])
            .where("p.removed_at", "is", null)
            .where((w) => w.or([w("p.user_id", "is", null), w("p.user_id", "=", actor.id)])),
        ),
      ]),
    )
    .execute();
}
