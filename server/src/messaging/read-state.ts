import { sql } from "kysely";
import { appendAndDeliver, conversationEvent } from "../events/user-events.ts";
import { authorizeConversation } from "./access.ts";
import type { Deps } from "./messages.ts";

/** Marks the conversation read up to `seq` (never backwards) and clears its mention count. */
export async function markRead(options: Deps & { conversationId: string; seq: number }) {
  const { db, actor, ...input } = options;
  await authorizeConversation({ db, actor, conversationId: input.conversationId, action: "read" });
  return db.transaction().execute(async (trx) => {
    const { last_seq } = await trx.selectFrom("conversations").select("last_seq").where("id", "=", input.conversationId).executeTakeFirstOrThrow();
    const upTo = Math.min(input.seq, last_seq);
    const row = await trx
      .insertInto("conversation_reads")
      .values({ conversation_id: input.conversationId, user_id: actor.id, last_read_seq: upTo, mention_count: 0 })
      .onConflict((oc) =>
        oc.columns(["conversation_id", "user_id"]).doUpdateSet({
          last_read_seq: sql`greatest(conversation_reads.last_read_seq, excluded.last_read_seq)`,
          mention_count: 0,
        }),
      )
      .returning(["last_read_seq", "mention_count"])
      .executeTakeFirstOrThrow();
    const data = { lastReadSeq: row.last_read_seq, unread: last_seq - row.last_read_seq, mentionCount: row.mention_count };
    const deliveries = await appendAndDeliver(trx, [actor.id], conversationEvent("conversation.read", input.conversationId, { data }));
    return { ...data, deliveries };
  });
}
