import { randomUUID } from "node:crypto";
import type { HttpClient } from "./http-client.ts";
import type { LiveClient } from "./live-client.ts";

/**
 * Proof that nothing arrived, without a fixed sleep. Call it after the thing that must
 * not reach `to`: `from` sends `to` a direct message, and it resolves once `to` has
 * applied it. `to`'s events are applied strictly in the order of their ids, and one
 * socket's pushes arrive in the order they were sent, so anything the server sent `to`
 * before the sentinel has arrived by then: what is missing never came.
 */
export async function sentinel(from: HttpClient, to: { http: HttpClient; live: LiveClient }): Promise<void> {
  const me = await to.http.queryOk<{ id: string }>("auth.me");
  const { id: conversationId } = await from.mutationOk<{ id: string }>("conversations.direct", { userId: me.id });
  const body = `sentinel ${randomUUID()}`;
  await from.mutationOk("messages.send", { id: randomUUID(), conversationId, body });
  await to.live.until((applied) => applied.some((e) => e.message?.body === body));
}
