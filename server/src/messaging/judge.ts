import type { Basis, CaseFacts, DenyReason } from "@laget/policy";
import type { Actor } from "../auth/actor.ts";
import { decisionFor } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";

/**
 * The one judge of "may this actor read (or write) this conversation". Every path asks
 * it: opening and sending (access.ts), joining a socket room, the conversation list,
 * a replay of the event log, a recovered session, and revocation when access narrows
 * (gateway.ts), so what revokes a room is the very rule that let it be joined.
 *
 * A case thread is read by whom decide() allows category `conversation` for purpose
 * `coordination` (membership of a case thread is never stored); a group or direct
 * conversation by its current members. Nothing crosses a municipality border.
 */
export type ConversationKind = "case" | "group" | "direct";
/** What the judge needs of a conversation. */
export type JudgedConversation = { id: string; municipality_id: string; kind: ConversationKind; case_id: string | null };

/** The case boundary's terms for a case thread: also what an audited authorizeCase() of it asks. */
export const CASE_THREAD = { category: "conversation", purpose: "coordination" } as const;

export type ConversationDecision =
  | { allow: true; via: "case"; basis: Basis }
  | { allow: true; via: "membership" }
  | { allow: false; reason: DenyReason | "not_member" | "unknown_case" };

export function judgeConversation(options: {
  actor: Actor;
  conversation: JudgedConversation;
  /** A case thread's case facts, fresh (undefined when its case is gone). */
  facts: CaseFacts | null | undefined;
  /** A group or direct conversation's current members (at least: whether the actor is one). */
  members: ReadonlySet<string> | readonly string[] | null;
  action?: "read" | "write";
}): ConversationDecision {
  const { actor, conversation, facts, members } = options;
  if (conversation.municipality_id !== actor.municipalityId) return { allow: false, reason: "other_municipality" };
  if (conversation.kind === "case") {
    if (!facts || facts.caseId !== conversation.case_id) return { allow: false, reason: "unknown_case" };
    const decision = decisionFor(actor, facts, CASE_THREAD.category, options.action ?? "read", CASE_THREAD.purpose);
    return decision.allow ? { allow: true, via: "case", basis: decision.basis } : decision;
  }
  const isMember = members !== null && ("has" in members ? members.has(actor.id) : members.includes(actor.id));
  return isMember ? { allow: true, via: "membership" } : { allow: false, reason: "not_member" };
}

/** judgeConversation() for a read. */
export const mayReadConversation = (options: Omit<Parameters<typeof judgeConversation>[0], "action">) => judgeConversation({ ...options, action: "read" });

/** What the judge needs about some conversations, for some users: for judging many at once. */
export type ConversationFacts = {
  conversations: Map<string, JudgedConversation>;
  caseFacts: Map<string, CaseFacts>;
  /** conversation id → its current members among the users asked about (active users only). */
  members: Map<string, Set<string>>;
};

/** Loads what judging these conversations needs, for these users, in three round trips at most. */
export async function loadConversationFacts(db: Db, conversationIds: readonly string[], userIds: readonly string[]): Promise<ConversationFacts> {
  const ids = [...new Set(conversationIds)];
  const users = [...new Set(userIds)];
  if (ids.length === 0) return { conversations: new Map(), caseFacts: new Map(), members: new Map() };
  const [rows, memberRows] = await Promise.all([
    db.selectFrom("conversations").select(["id", "municipality_id", "kind", "case_id"]).where("id", "in", ids).execute(),
    users.length
      ? db
          .selectFrom("conversation_members as m")
          .innerJoin("users as u", "u.id", "m.user_id")
          .select(["m.conversation_id", "m.user_id"])
          .where("m.conversation_id", "in", ids)
          .where("m.user_id", "in", users)
          .where("m.left_at", "is", null)
          .where("u.deactivated_at", "is", null)
          .execute()
      : [],
  ]);
  const conversations = new Map(rows.map((r) => [r.id, { ...r, kind: r.kind as ConversationKind }]));
  const caseIds = rows.flatMap((r) => (r.kind === "case" && r.case_id ? [r.case_id] : []));
  const caseFacts = await loadCaseFacts(db, caseIds);
  const members = new Map<string, Set<string>>();
  for (const m of memberRows) members.set(m.conversation_id, (members.get(m.conversation_id) ?? new Set()).add(m.user_id));
  return { conversations, caseFacts, members };
}

/** The judge over loaded facts: an unknown conversation is never readable. */
export function judgeLoaded(facts: ConversationFacts, actor: Actor, conversationId: string, action: "read" | "write" = "read"): ConversationDecision {
  const conversation = facts.conversations.get(conversationId);
  if (!conversation) return { allow: false, reason: "not_member" };
  return judgeConversation({
    actor,
    conversation,
    facts: conversation.case_id ? facts.caseFacts.get(conversation.case_id) : null,
    members: facts.members.get(conversationId) ?? new Set(),
    action,
  });
}
