import { sql } from "kysely";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { groupCommit, type Settled } from "../db/group-commit.ts";
import { appendUserEventsBatch, conversationEvent, deliveriesFor, viewOf, type Delivery, type Mentions, type MessageView } from "../events/user-events.ts";
import { notify } from "../notifications/notifications.ts";

/**
 * The write half of a send, group-committed: sends arriving while a batch commits wait
 * for the next batch, which writes them all in one transaction of a few statements (their
 * conversations locked in id order, the messages, the read states, every reader's event).
 * Each sender's promise resolves once its batch has committed. A batch that fails as a
 * whole is retried send by send, so one bad send never fails the others.
 *
 * Everything a send decides (may the actor write, who reads, who is mentioned) is decided
 * before, for that send alone (messages.ts); this only writes what was decided.
 */
export type PendingSend = {
  id: string;
  conversationId: string;
  authorUserId: string;
  authorName: string;
  body: string;
  replyToSeq: number | null;
  mentions: Mentions;
  /** The readers (the author among them): each gets the event in their log. */
  readers: readonly string[];
  /** Readers to notify of a mention (never the author). */
  mentioned: readonly string[];
  caseId: string | null;
  now: Date;
};

/** Null: the client's id was already used (a duplicate, resolved by the caller). */
export type CommittedSend = { message: MessageView; deliveries: Delivery[] } | null;

/** Thrown by a batch that found an id taken meanwhile: the batch is retried send by send. */
class IdRace extends Error {}

async function commitBatch(db: Db, sends: readonly PendingSend[]): Promise<Settled<CommittedSend>[]> {
  return db.transaction().execute(async (trx) => {
    const results: Settled<CommittedSend>[] = sends.map(() => ({ ok: true, value: null }));
    const conversationIds = [...new Set(sends.map((s) => s.conversationId))].sort();
    // Locked in id order (no deadlocks between batches): the next send to any of them waits for this commit.
    const locked = await trx
      .selectFrom("conversations")
      .select(["id", "last_seq"])
      .where("id", "in", conversationIds)
      .orderBy("id")
      .forUpdate()
      .execute();
    const lastSeq = new Map(locked.map((c) => [c.id, Number(c.last_seq)]));
    const taken = new Set(
      (await trx.selectFrom("messages").select("id").where("id", "in", [...new Set(sends.map((s) => s.id))]).execute()).map((m) => m.id),
    );
    const written: { index: number; send: PendingSend; seq: number }[] = [];
    sends.forEach((send, index) => {
      const last = lastSeq.get(send.conversationId);
      if (last === undefined) return void (results[index] = { ok: false, error: new AppError("NOT_FOUND") });
      // An id already used (before, or earlier in this batch) writes nothing: a duplicate.
      if (taken.has(send.id)) return;
      const seq = last + 1;
      if (send.replyToSeq !== null && send.replyToSeq >= seq) {
        return void (results[index] = { ok: false, error: new AppError("VALIDATION", "The message replied to does not exist") });
      }
      taken.add(send.id);
      lastSeq.set(send.conversationId, seq);
      written.push({ index, send, seq });
    });
    if (written.length === 0) return results;

    const lastAt = new Map<string, Date>();
    for (const { send } of written) {
      const at = lastAt.get(send.conversationId);
      if (!at || send.now > at) lastAt.set(send.conversationId, send.now);
    }
    const bumped = [...lastAt.keys()].sort();
    await sql`
      update conversations as c set last_seq = v.last_seq, last_message_at = v.at
      from (values ${sql.join(bumped.map((id) => sql`(${id}::uuid, ${lastSeq.get(id)!}::bigint, ${lastAt.get(id)!}::timestamptz)`))}) as v(id, last_seq, at)
      where c.id = v.id`.execute(trx);
    const inserted = await trx
      .insertInto("messages")
      .values(
        written.map(({ send, seq }) => ({
          id: send.id,
          conversation_id: send.conversationId,
          seq,
          author_user_id: send.authorUserId,
          reply_to_seq: send.replyToSeq,
          body: send.body,
          mentions: sql`${JSON.stringify(send.mentions)}::jsonb`,
          created_at: send.now,
        })),
      )
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .execute();
    // Another node took one of the ids since we looked: let each send find out alone.
    if (inserted.length !== written.length) throw new IdRace();

    // Read state, one row per (conversation, user) in that order (no deadlocks): the author has
    // read their own message; each mention counts one.
    const reads = new Map<string, { conversation_id: string; user_id: string; last_read_seq: number; mention_count: number }>();
    const read = (conversation_id: string, user_id: string, seq: number, mentions: number) => {
      const key = `${conversation_id} ${user_id}`;
      const r = reads.get(key) ?? reads.set(key, { conversation_id, user_id, last_read_seq: 0, mention_count: 0 }).get(key)!;
      r.last_read_seq = Math.max(r.last_read_seq, seq);
      r.mention_count += mentions;
    };
    for (const { send, seq } of written) {
      read(send.conversationId, send.authorUserId, seq, 0);
      for (const u of send.mentioned) read(send.conversationId, u, 0, 1);
    }
    await trx
      .insertInto("conversation_reads")
      .values([...reads.keys()].sort().map((k) => reads.get(k)!))
      .onConflict((oc) =>
        oc.columns(["conversation_id", "user_id"]).doUpdateSet({
          last_read_seq: sql`greatest(conversation_reads.last_read_seq, excluded.last_read_seq)`,
          mention_count: sql`conversation_reads.mention_count + excluded.mention_count`,
        }),
      )
      .execute();

    const events = written.map(({ send }) => conversationEvent("message.created", send.conversationId, { messageId: send.id }));
    const eventIds = await appendUserEventsBatch(
      trx,
      written.map(({ send }, i) => ({ userIds: send.readers, event: events[i]! })),
    );
    for (const [i, { index, send, seq }] of written.entries()) {
      const message: MessageView = {
        id: send.id,
        conversationId: send.conversationId,
        seq,
        authorUserId: send.authorUserId,
        authorName: send.authorName,
        replyToSeq: send.replyToSeq,
        body: send.body,
        mentions: send.mentions,
        createdAt: send.now,
        editedAt: null,
        deletedAt: null,
      };
      const deliveries = deliveriesFor(eventIds[i]!, viewOf(events[i]!, { message }));
      results[index] = { ok: true, value: { message, deliveries } };
    }
    // Neutral: the notification names no one and carries no content, only where to look.
    for (const { index, send } of written) {
      if (send.mentioned.length === 0) continue;
      const result = results[index] as { ok: true; value: { deliveries: Delivery[] } };
      result.value.deliveries.push(...(await notify({ db: trx, userIds: send.mentioned, kind: "mention", caseId: send.caseId, dedupeKey: `mention:${send.id}`, conversationId: send.conversationId })));
    }
    return results;
  });
}

const commits = new WeakMap<Db, (send: PendingSend) => Promise<CommittedSend>>();

/** Writes a send in the next batch; resolves once that batch has committed. */
export function commitSend(db: Db, send: PendingSend): Promise<CommittedSend> {
  let commit = commits.get(db);
  if (!commit) {
    commit = groupCommit<PendingSend, CommittedSend>((sends) => commitBatch(db, sends), {
      // Bounded by the rows a batch writes (one event per reader).
      weight: (s) => 1 + s.readers.length,
      maxWeight: 2_000,
      // A few batches at once (their conversations and counters locked in id order): one
      // slow round trip on a busy database does not hold every send behind it.
      concurrency: 4,
    });
    commits.set(db, commit);
  }
  return commit(send);
}
