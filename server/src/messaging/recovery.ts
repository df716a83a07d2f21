import { conversationOfRoom } from "@laget/realtime";
import { loadActor } from "../auth/actor.ts";
import { sessionStands } from "../auth/sessions.ts";
import type { Db } from "../db/connect.ts";
import type { Logger } from "../log.ts";
import { judgeLoaded, loadConversationFacts } from "./judge.ts";
import type { LagetServer, SocketData } from "./socket-types.ts";

/**
 * socket.io's connection-state recovery puts a returning socket back in the rooms it had
 * and replays what those rooms got meanwhile, before any middleware or handler runs. A
 * basis may have lapsed in between (the socket was gone when the nodes evicted), so a
 * session is restored only if its user and session still stand and the judge still lets
 * it read every conversation room it would rejoin; otherwise it connects afresh (rooms
 * judged anew, messages from the user's log, which is re-judged on replay) and nothing is
 * replayed.
 */
export function guardRecovery(io: LagetServer, db: Db, log: Logger) {
  const adapter = io.of("/").adapter;
  const restore = adapter.restoreSession.bind(adapter);
  type Session = Awaited<ReturnType<typeof restore>>;
  // Undefined: not recovered, the socket connects afresh.
  const judged = async (pid: string, offset: string): Promise<Session | undefined> => {
    const session = await restore(pid, offset);
    if (!session) return undefined;
    try {
      const data = session.data as Partial<SocketData> | undefined;
      const userId = data?.actor?.id;
      const stands = userId && data?.sessionId ? await sessionStands(db, data.sessionId, userId) : false;
      const actor = userId && stands ? await loadActor(db, userId) : null;
      if (!actor || actor.mustChangePassword) return undefined;
      const conversationIds = session.rooms.flatMap((r) => conversationOfRoom(r) ?? []);
      const facts = await loadConversationFacts(db, conversationIds, [actor.id]);
      if (!conversationIds.every((id) => judgeLoaded(facts, actor, id).allow)) return undefined;
      session.data = { ...data, actor, checkedAt: Date.now() };
      return session;
    } catch (err) {
      log.warn({ err }, "judging a recovered session failed: connecting afresh");
      return undefined;
    }
  };
  adapter.restoreSession = judged as typeof adapter.restoreSession;
}
