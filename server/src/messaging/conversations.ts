import type { ConversationKind, GroupKind } from "@laget/domain";
import type { Actor } from "../auth/actor.ts";
import { authorizeCase, listVisibleCasesAudited } from "../cases/access.ts";
import { knownReaders } from "../cases/participants.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { staffDirectory } from "../org/users.ts";
import { authorizeConversation, candidateCaseThreads, caseThreadReaders } from "./access.ts";
import { CASE_THREAD, mayReadConversation } from "./judge.ts";
import { appendAndDeliver, conversationEvent, type Delivery } from "../events/user-events.ts";
import type { Deps } from "./messages.ts";
import type { Realtime } from "./realtime.ts";

/** Procedures that move sockets or push events also get the realtime hub. */
type LiveDeps = Deps & { realtime: Realtime };

/**
 * Conversations: one thread per case (created on first use), groups (a team, a forum,
 * an SLT group) whose owner manages the members, and direct conversations between two
 * users of the same municipality.
 */
export type ConversationSummary = {
  id: string;
  kind: ConversationKind;
  groupKind: GroupKind | null;
  caseId: string | null;
  /** Group: its title; direct: the other person's name; case: the subjects' names. */
  title: string;
  ownerUserId: string | null;
  lastSeq: number;
  lastReadSeq: number;
  /** From the counters: last_seq − last_read_seq, never by counting rows. */
  unread: number;
  mentionCount: number;
  lastMessageAt: Date | null;
  /** Group conversations are not for personal data: the client shows the reminder. */
  personalDataWarning: boolean;
};

type Row = {
  id: string;
  kind: string;
  group_kind: string | null;
  case_id: string | null;
  title: string | null;
  owner_user_id: string | null;
  last_seq: number;
  last_message_at: Date | null;
  last_read_seq: number | null;
  mention_count: number | null;
};

function summary(r: Row, title: string): ConversationSummary {
  const lastReadSeq = Math.min(r.last_read_seq ?? 0, r.last_seq);
  return {
    id: r.id,
    kind: r.kind as ConversationKind,
    groupKind: r.group_kind as GroupKind | null,
    caseId: r.case_id,
    title,
    ownerUserId: r.owner_user_id,
    lastSeq: r.last_seq,
    lastReadSeq,
    unread: r.last_seq - lastReadSeq,
    mentionCount: r.mention_count ?? 0,
    lastMessageAt: r.last_message_at,
    personalDataWarning: r.kind === "group",
  };
}

function withReadState(db: Db, userId: string) {
  return db
    .selectFrom("conversations as c")
    .leftJoin("conversation_reads as r", (j) => j.onRef("r.conversation_id", "=", "c.id").on("r.user_id", "=", userId))
    .select([
      "c.id",
      "c.kind",
      "c.group_kind",
      "c.case_id",
      "c.title",
      "c.owner_user_id",
      "c.last_seq",
      "c.last_message_at",
      "r.last_read_seq",
      "r.mention_count",
    ]);
}

async function subjectNames(db: Db, caseIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (caseIds.length === 0) return names;
  const rows = await db
    .selectFrom("case_subjects")
    .select(["case_id", "name"])
    .where("case_id", "in", caseIds)
    .where("role", "in", ["child", "youth"])
    .orderBy("created_at")
    .execute();
  for (const r of rows) names.set(r.case_id, names.has(r.case_id) ? `${names.get(r.case_id)}, ${r.name}` : r.name);
  return names;
}

async function directTitles(db: Db, actorId: string, conversationIds: readonly string[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  if (conversationIds.length === 0) return titles;
  const rows = await db
    .selectFrom("conversation_members as m")
    .innerJoin("users", "users.id", "m.user_id")
    .select(["m.conversation_id", "users.display_name"])
    .where("m.conversation_id", "in", conversationIds)
    .where("m.user_id", "!=", actorId)
    .execute();
  for (const r of rows) titles.set(r.conversation_id, r.display_name);
  return titles;
}

/** Every conversation the actor may read, most recently active first, with unread and mention counts. */
export async function listConversations({ db, actor }: Deps): Promise<ConversationSummary[]> {
  const unitIds = [...new Set(actor.memberships.map((m) => m.unitId))];
  const [memberRows, threads] = await Promise.all([
    withReadState(db, actor.id)
      .innerJoin("conversation_members as m", (j) => j.onRef("m.conversation_id", "=", "c.id").on("m.user_id", "=", actor.id))
      .where("m.left_at", "is", null)
      .execute(),
    candidateCaseThreads(db, actor, unitIds),
  ]);
  // Case threads: the case must be visible (audited as a list read), then the judge allow its thread.
  const visible = await listVisibleCasesAudited({ db, actor, caseIds: threads.map((t) => t.case_id), purpose: "coordination", auditAction: "conversation.list" });
  const readable = threads.filter((t) => {
    const access = visible.get(t.case_id);
    return access && mayReadConversation({ actor, conversation: { ...t, kind: "case" }, facts: access.facts, members: null }).allow;
  });
  const caseRows = readable.length ? await withReadState(db, actor.id).where("c.id", "in", readable.map((t) => t.id)).execute() : [];
  const [names, directs] = await Promise.all([
    subjectNames(db, readable.map((t) => t.case_id)),
    directTitles(db, actor.id, memberRows.filter((r) => r.kind === "direct").map((r) => r.id)),
  ]);
  const all = [
    ...memberRows.map((r) => summary(r, r.kind === "direct" ? (directs.get(r.id) ?? "") : (r.title ?? ""))),
    ...caseRows.map((r) => summary(r, names.get(r.case_id!) ?? "")),
  ];
  return all.sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0));
}

async function summaryOf(db: Db, actor: Actor, conversationId: string): Promise<ConversationSummary> {
  const r = await withReadState(db, actor.id).where("c.id", "=", conversationId).executeTakeFirstOrThrow();
  let title = r.title ?? "";
  if (r.kind === "case") title = (await subjectNames(db, [r.case_id!])).get(r.case_id!) ?? "";
  if (r.kind === "direct") title = (await directTitles(db, actor.id, [r.id])).get(r.id) ?? "";
  return summary(r, title);
}

export async function getConversation({ db, actor, conversationId }: Deps & { conversationId: string }): Promise<ConversationSummary> {
  await authorizeConversation({ db, actor, conversationId, action: "read", auditAction: "conversation.open" });
  return summaryOf(db, actor, conversationId);
}

/** The case's thread, created on first use by anyone who may read it. */
export async function caseConversation({ db, realtime, actor, caseId }: LiveDeps & { caseId: string }): Promise<ConversationSummary> {
  const { facts } = await authorizeCase(db, actor, caseId, {
    category: "conversation",
    action: "read",
    purpose: "coordination",
    auditAction: "conversation.open",
    resourceType: "case",
  });
  const created = await db
    .insertInto("conversations")
    .values({ municipality_id: actor.municipalityId, kind: "case", case_id: caseId, created_by: actor.id })
    .onConflict((oc) => oc.column("case_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  const { id } = created ?? (await db.selectFrom("conversations").select("id").where("case_id", "=", caseId).executeTakeFirstOrThrow());
  // Readers already connected join the new room (typing, presence, revocation).
  if (created) realtime.joinConversation(await caseThreadReaders(db, facts), id);
  return summaryOf(db, actor, id);
}

/** Active users of the actor's municipality among `userIds`; anyone else is NOT_FOUND (never revealed). */
async function requireColleagues(db: Db, actor: Actor, userIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const rows = await db
    .selectFrom("users")
    .select("id")
    .where("id", "in", unique)
    .where("municipality_id", "=", actor.municipalityId)
    .where("deactivated_at", "is", null)
    .execute();
  if (rows.length !== unique.length) throw new AppError("NOT_FOUND");
  return unique;
}

/** Adds members (new or returning) and tells them: their sockets join the room, their logs get `conversation.added`. */
async function addMembers({ db, actor, conversationId, userIds }: Deps & { conversationId: string; userIds: readonly string[] }): Promise<Delivery[]> {
  if (userIds.length === 0) return [];
  await db
    .insertInto("conversation_members")
    .values(userIds.map((user_id) => ({ conversation_id: conversationId, user_id, added_by: actor.id })))
    .onConflict((oc) =>
      oc.columns(["conversation_id", "user_id"]).doUpdateSet({ left_at: null, joined_at: new Date(), added_by: actor.id }).where("conversation_members.left_at", "is not", null),
    )
    .execute();
  return appendAndDeliver(db, userIds, conversationEvent("conversation.added", conversationId));
}

export async function createGroup(options: LiveDeps & { groupKind: GroupKind; title: string; memberIds: string[] }): Promise<ConversationSummary> {
  const { db, realtime, actor, ...input } = options;
  const members = await requireColleagues(db, actor, [actor.id, ...input.memberIds]);
  const { id, deliveries } = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("conversations")
      .values({
        municipality_id: actor.municipalityId,
        kind: "group",
        group_kind: input.groupKind,
        title: input.title,
        owner_user_id: actor.id,
        created_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id, deliveries: await addMembers({ db: trx, actor, conversationId: id, userIds: members }) };
  });
  realtime.joinConversation(members, id);
  realtime.deliver(deliveries);
  return summaryOf(db, actor, id);
}

async function ownedGroup(db: Db, actor: Actor, conversationId: string) {
  const { conversation } = await authorizeConversation({ db, actor, conversationId, action: "read" });
  if (conversation.kind !== "group") throw new AppError("NOT_FOUND");
  if (conversation.owner_user_id !== actor.id) throw new AppError("NOT_GROUP_OWNER");
  return conversation;
}

export async function addGroupMembers({ db, realtime, actor, conversationId, userIds }: LiveDeps & { conversationId: string; userIds: string[] }) {
  await ownedGroup(db, actor, conversationId);
  const members = await requireColleagues(db, actor, userIds);
  const deliveries = await db.transaction().execute((trx) => addMembers({ db: trx, actor, conversationId, userIds: members }));
  realtime.joinConversation(members, conversationId);
  realtime.deliver(deliveries);
  realtime.membersChanged(conversationId);
}

/** The owner removes members; anyone may remove themselves (leave). The owner cannot leave their own group. */
export async function removeGroupMembers({ db, realtime, actor, conversationId, userIds }: LiveDeps & { conversationId: string; userIds: string[] }) {
  const leaving = userIds.length === 1 && userIds[0] === actor.id;
  const conversation = leaving
    ? (await authorizeConversation({ db, actor, conversationId, action: "read" })).conversation
    : await ownedGroup(db, actor, conversationId);
  if (conversation.kind !== "group") throw new AppError("NOT_FOUND");
  const removed = userIds.filter((u) => u !== conversation.owner_user_id);
  if (removed.length === 0) throw new AppError("INVALID_STATE", "The owner cannot leave their own group");
  const deliveries = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable("conversation_members")
      .set({ left_at: new Date() })
      .where("conversation_id", "=", conversationId)
      .where("user_id", "in", removed)
      .where("left_at", "is", null)
      .returning("user_id")
      .execute();
    const users = rows.map((r) => r.user_id);
    return appendAndDeliver(trx, users, conversationEvent("conversation.removed", conversationId));
  });
  // Out of the room first: typing and presence stop at once, and the hint below does not reach them.
  realtime.leaveConversation(removed, conversationId);
  realtime.deliver(deliveries);
  realtime.membersChanged(conversationId);
}

/** The direct conversation between the actor and another user of the municipality, created on first use. */
export async function directConversation({ db, realtime, actor, userId }: LiveDeps & { userId: string }): Promise<ConversationSummary> {
  if (userId === actor.id) throw new AppError("INVALID_STATE", "A direct conversation needs another person");
  await requireColleagues(db, actor, [userId]);
  const pair = [actor.id, userId].sort();
  const directKey = pair.join(":");
  const existing = await db.selectFrom("conversations").select("id").where("direct_key", "=", directKey).executeTakeFirst();
  if (existing) return summaryOf(db, actor, existing.id);
  const created = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("conversations")
      .values({ municipality_id: actor.municipalityId, kind: "direct", direct_key: directKey, created_by: actor.id })
      .onConflict((oc) => oc.column("direct_key").doNothing())
      .returning("id")
      .executeTakeFirst();
    // Lost a race with the other person opening it at the same moment: theirs stands.
    if (!row) return null;
    return { id: row.id, deliveries: await addMembers({ db: trx, actor, conversationId: row.id, userIds: pair }) };
  });
  if (!created) {
    const { id } = await db.selectFrom("conversations").select("id").where("direct_key", "=", directKey).executeTakeFirstOrThrow();
    return summaryOf(db, actor, id);
  }
  realtime.joinConversation(pair, created.id);
  realtime.deliver(created.deliveries);
  return summaryOf(db, actor, created.id);
}

export type ConversationMember = {
  userId: string;
  displayName: string;
  /** The member's current units, as the staff directory shows them. */
  units: { unitId: string; unitName: string }[];
  isOwner: boolean;
};

/** Who can read the conversation now (for a case thread: whom decide() allows), by name and unit. */
export async function conversationMembers({ db, actor, conversationId }: Deps & { conversationId: string }): Promise<ConversationMember[]> {
  const access = await authorizeConversation({ db, actor, conversationId, action: "read", auditAction: "conversation.members" });
  // A case thread's readers through a confidential unit are left out for those without a basis to know.
  const readers = access.facts ? (await knownReaders(db, actor, access.facts, CASE_THREAD.category)).map((r) => r.userId) : access.members;
  if (readers.length === 0) return [];
  const [rows, directory] = await Promise.all([
    db.selectFrom("users").select(["id", "display_name"]).where("id", "in", readers).orderBy("display_name").execute(),
    staffDirectory({ db, actor, userIds: readers }),
  ]);
  const unitsOf = new Map(directory.map((p) => [p.id, p.units.map((u) => ({ unitId: u.unitId, unitName: u.unitName }))]));
  return rows.map((r) => ({
    userId: r.id,
    displayName: r.display_name,
    units: unitsOf.get(r.id) ?? [],
    isOwner: r.id === access.conversation.owner_user_id,
  }));
}
