import { appendAudit, type AuditEvent } from "../audit/log.ts";
import { registerEventJudge, shownAs, type EventJudge } from "../events/replay.ts";
import type { UserEvent } from "../events/user-events.ts";
import { judgeLoaded, loadConversationFacts } from "./judge.ts";
import { messageViews } from "./message-views.ts";

/**
 * How messaging's events replay: each is shown if the judge (judge.ts) lets the user
 * read its conversation now, with its message as it is now; being told of a removal is
 * never withheld. Case-thread content replayed is audited, one event per thread.
 */
export const messagingEventTypes = ["message.created", "message.edited", "message.deleted", "conversation.read", "conversation.added", "conversation.removed"] as const;

const conversationOf = (e: { resourceType: string | null; resourceId: string | null }) => (e.resourceType === "conversation" ? e.resourceId : null);

export const replayMessagingEvents: EventJudge = async ({ db, actor, events }) => {
  const conversationIds = events.flatMap((e) => conversationOf(e) ?? []);
  const facts = await loadConversationFacts(db, conversationIds, [actor.id]);
  const readable = new Set<string>();
  const audits: AuditEvent[] = [];
  for (const conversationId of new Set(conversationIds)) {
    const decision = judgeLoaded(facts, actor, conversationId);
    if (!decision.allow) continue;
    readable.add(conversationId);
    if (decision.via === "case" && events.some((e) => conversationOf(e) === conversationId && e.messageId)) {
      audits.push({
        actorUserId: actor.id,
        actorUnitId: decision.basis.unitId,
        action: "conversation.sync",
        resourceType: "conversation",
        resourceId: conversationId,
        caseId: facts.conversations.get(conversationId)!.case_id,
        basis: decision.basis,
        purpose: "coordination",
      });
    }
  }
  const messages = await messageViews(db, events.filter((e) => e.messageId && readable.has(conversationOf(e)!)).map((e) => e.messageId!));
  await appendAudit(db, actor.municipalityId, audits);
  const shown = new Map<number, UserEvent>();
  for (const e of events) {
    const conversationId = conversationOf(e);
    if (conversationId !== null && e.type !== "conversation.removed" && !readable.has(conversationId)) continue;
    const message = e.messageId ? messages.get(e.messageId) : undefined;
    shown.set(e.eventId, shownAs(e, message ? { message } : {}));
  }
  return shown;
};

registerEventJudge(messagingEventTypes, replayMessagingEvents);
