import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { Realtime } from "./realtime.ts";

const RealtimeContext = createContext<Realtime | null>(null);

/** One messaging socket for the signed-in user, open while the signed-in frame is shown. */
export function RealtimeProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const [realtime] = useState(() => new Realtime(userId));
  useEffect(() => {
    realtime.start();
    return () => realtime.stop();
  }, [realtime]);
  return <RealtimeContext.Provider value={realtime}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): Realtime {
  const realtime = useContext(RealtimeContext);
  if (!realtime) throw new Error("useRealtime outside RealtimeProvider");
  return realtime;
}

export function useConnection() {
  const rt = useRealtime();
  return useSyncExternalStore(rt.connection.subscribe, rt.connection.get);
}

const none: readonly string[] = [];
export function useTyping(conversationId: string): readonly string[] {
  const rt = useRealtime();
  const all = useSyncExternalStore(rt.typing.subscribe, rt.typing.get);
  return all.get(conversationId) ?? none;
}

export function usePresence() {
  const rt = useRealtime();
  return useSyncExternalStore(rt.presence.subscribe, rt.presence.get);
}

export function useLost(conversationId: string) {
  const rt = useRealtime();
  const all = useSyncExternalStore(rt.lost.subscribe, rt.lost.get);
  return all.get(conversationId) ?? null;
}

/** Why access to this open case ended, or null while it lasts. */
export function useCaseEnded(caseId: string) {
  const rt = useRealtime();
  const all = useSyncExternalStore(rt.ended.subscribe, rt.ended.get);
  return all.get(caseId) ?? null;
}
