import type { Basis, CaseFacts } from "@laget/policy";
import { sql } from "kysely";
import type { Actor } from "../auth/actor.ts";
import { decisionFor, authorizeCase } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import { caseReadersWithBasis } from "../cases/participants.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";

/**
 * Who may read and write a conversation. A group or direct conversation: its current
 * members. A case thread: whoever decide() allows category `conversation` for purpose
 * `coordination`, judged afresh every time (membership of a case thread is never stored).
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

const conversationColumns = ["c.id", "c.municipality_id", "c.kind", "c.case_id", "c.group_kind", "c.title", "c.owner_user_id", "c.last_seq"] as const;

/**
 * The conversation with its current members who are active users (for a group or direct
 * conversation: its readers, the actor among them or not). One round trip.
 */
async function loadConversation(db: Db, conversationId: string) {
  const row = await db
    .selectFrom("conversations as c")
    .select(conversationColumns)
    .select((eb) =>
      sql<string[]>`array(${eb
        .selectFrom("conversation_members as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(sql`m.user_id::text`.as("user_id"))
        .whereRef("m.conversation_id", "=", "c.id")
        .where("m.left_at", "is", null)
        .where("u.deactivated_at", "is", null)})`.as("member_ids"),
    )
    .where("c.id", "=", conversationId)
    .executeTakeFirst();
  return row as (Conversation & { member_ids: string[] }) | undefined;
}

/** A case thread is read by whom decide() allows (`facts`); any other conversation by its `members`. */
export type ConversationAccess = { conversation: Conversation; facts: CaseFacts; members: null } | { conversation: Conversation; facts: null; members: string[] };

/**
 * Authorizes one read or write of a conversation. An unknown conversation and one the
 * actor may not see are the same NOT_FOUND. For a case thread, `auditAction` makes it a
 * full, audited authorizeCase (history pages, sends, edits); without it the decision is
 * taken on fresh facts but not audited (joining a room, marking read: no content moves).
 */
export async function authorizeConversation(
  db: Db,
  actor: Actor,
  conversationId: string,
  action: "read" | "write",
  auditAction?: string,
): Promise<ConversationAccess> {
  const row = await loadConversation(db, conversationId);
  if (!row || row.municipality_id !== actor.municipalityId) throw new AppError("NOT_FOUND");
  const { member_ids: members, ...conversation } = row;
  if (conversation.kind !== "case") {
    if (!members.includes(actor.id)) throw new AppError("NOT_FOUND");
    return { conversation, facts: null, members };
  }
  const caseId = conversation.case_id!;
  if (auditAction) {
    const { facts } = await authorizeCase(db, actor, caseId, {
      category: "conversation",
      action,
      purpose: "coordination",
      auditAction,
      resourceType: "conversation",
      resourceId: conversationId,
    });
    return { conversation, facts, members: null };
  }
  const facts = (await loadCaseFacts(db, [caseId])).get(caseId);
  if (!facts || !decisionFor(actor, facts, "conversation", action, "coordination").allow) throw new AppError("NOT_FOUND");
  return { conversation, facts, members: null };
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

/** The case thread's readers now, each with the basis decide() found: what a delivery is audited with. */
export async function caseThreadReadersWithBasis(db: Db, facts: CaseFacts): Promise<{ userId: string; basis: Basis }[]> {
  return (await caseReadersWithBasis(db, facts, "conversation")).map(({ userId, basis }) => ({ userId, basis }));
}

/** Everyone who may read the conversation now. */
export async function conversationReaders(db: Db, access: ConversationAccess): Promise<string[]> {
  return access.facts ? caseThreadReaders(db, access.facts) : access.members;
}

/**
 * The conversations the actor may read now, without auditing (nothing is shown):
 * used to join socket rooms and to filter replays.
 */
export async function readableConversationIds(db: Db, actor: Actor): Promise<{ ids: Set<string>; caseFacts: Map<string, CaseFacts> }> {
  const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
  const [memberOf, caseThreads] = await Promise.all([
    db
      .selectFrom("conversation_members")
      .select("conversation_id")
      .where("user_id", "=", actor.id)
      .where("left_at", "is", null)
      .execute(),
    candidateCaseThreads(db, actor, unitIds),
  ]);
  const ids = new Set(memberOf.map((r) => r.conversation_id));
  const caseFacts = await loadCaseFacts(db, caseThreads.map((t) => t.case_id));
  for (const t of caseThreads) {
    const facts = caseFacts.get(t.case_id);
    if (facts && decisionFor(actor, facts, "conversation", "read", "coordination").allow) ids.add(t.id);
  }
  return { ids, caseFacts };
}

/** Case threads of cases the actor might take part in (coordinator, or a unit participating): decide() narrows. */
export async function candidateCaseThreads(db: Db, actor: Actor, unitIds: readonly string[]) {
  return db
    .selectFrom("conversations as c")
    .innerJoin("cases", "cases.id", "c.case_id")
    .select(["c.id", "c.case_id"])
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
