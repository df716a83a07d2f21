import { registerEventJudge, shownAs, type EventJudge } from "../events/replay.ts";
import type { UserEvent } from "../events/user-events.ts";
import { judgeLoaded, loadConversationFacts } from "../messaging/judge.ts";

/**
 * A notification event carries its kind only. It replays as long as what it links to may
 * still be read: a mention in a conversation the user can no longer read is `gone`
 * (the conversation judge decides); one about no resource always shows.
 */
export const replayNotificationEvents: EventJudge = async ({ db, actor, events }) => {
  const conversationIds = events.flatMap((e) => (e.resourceType === "conversation" && e.resourceId ? [e.resourceId] : []));
  const facts = await loadConversationFacts(db, conversationIds, [actor.id]);
  const shown = new Map<number, UserEvent>();
  for (const e of events) {
    if (e.resourceType === "conversation" && !judgeLoaded(facts, actor, e.resourceId!).allow) continue;
    if (e.resourceType !== null && e.resourceType !== "conversation") continue;
    shown.set(e.eventId, shownAs(e));
  }
  return shown;
};

registerEventJudge(["notification"], replayNotificationEvents);
