import { conversationOfRoom, conversationRoom } from "@laget/realtime";
import { loadActor, type Actor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import type { AccessChanged, MembershipChanged } from "../events/bus.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import { judgeLoaded, loadConversationFacts } from "./judge.ts";
import type { LagetServer, LagetSocket } from "./socket-types.ts";

/**
 * When access narrows, every node puts its own sockets in the conversation rooms to the
 * same judge that let them join (judge.ts); those it now refuses leave the room and are
 * told (`conversation:revoked`), before the node acknowledges the bus event (so before
 * the narrowing call returns). Messages never reach them anyway: each send decides its
 * readers afresh.
 */
export function createRevocation(options: { io: LagetServer; db: Db; lapses?: LapseTimer }) {
  const { io, db } = options;
  const conversationRooms = (socket: LagetSocket) => [...socket.rooms].filter((r) => conversationOfRoom(r) !== null);

  /** Takes the socket out of a conversation's room and tells it why: it may no longer read it. */
  function revokeRoom(socket: LagetSocket, conversationId: string) {
    // Synchronous for the in-memory room map this node broadcasts from.
    void socket.leave(conversationRoom(conversationId));
    socket.emit("conversation:revoked", { conversationId });
  }

  /** A case narrowed: the sockets here in its thread's room are judged again. */
  async function onAccessChanged(event: AccessChanged): Promise<void> {
    const conversation = await db.selectFrom("conversations").select("id").where("case_id", "=", event.caseId).executeTakeFirst();
    if (!conversation) return;
    const socketIds = [...(io.of("/").adapter.rooms.get(conversationRoom(conversation.id)) ?? [])];
    if (socketIds.length === 0) return;
    const facts = await loadConversationFacts(db, [conversation.id], []);
    const caseFacts = facts.caseFacts.get(event.caseId);
    if (caseFacts) options.lapses?.track(caseFacts);
    const actors = new Map<string, Actor | null>();
    for (const id of socketIds) {
      const socket = io.of("/").sockets.get(id);
      if (!socket) continue;
      const userId = socket.data.actor.id;
      if (!actors.has(userId)) actors.set(userId, await loadActor(db, userId));
      const actor = actors.get(userId);
      if (actor && judgeLoaded(facts, actor, conversation.id).allow) continue;
      revokeRoom(socket, conversation.id);
    }
  }

  /** Some users narrowed (a membership or unit gone): their sockets here are judged again, room by room. */
  async function onMembershipChanged(event: MembershipChanged): Promise<void> {
    const users = new Set(event.userIds);
    const sockets = [...io.of("/").sockets.values()].filter((s) => users.has(s.data.actor.id));
    for (const userId of new Set(sockets.map((s) => s.data.actor.id))) {
      const actor = await loadActor(db, userId);
      const own = sockets.filter((s) => s.data.actor.id === userId);
      if (!actor) {
        for (const s of own) s.disconnect(true);
        continue;
      }
      const rooms = [...new Set(own.flatMap(conversationRooms))];
      const facts = await loadConversationFacts(db, rooms.map((r) => conversationOfRoom(r)!), [userId]);
      for (const socket of own) {
        socket.data.actor = actor;
        socket.data.checkedAt = Date.now();
        for (const room of conversationRooms(socket)) {
          const conversationId = conversationOfRoom(room)!;
          if (!judgeLoaded(facts, actor, conversationId).allow) revokeRoom(socket, conversationId);
        }
      }
    }
  }

  return { onAccessChanged, onMembershipChanged, conversationRooms };
}
