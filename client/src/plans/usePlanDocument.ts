import { HocuspocusProvider, WebSocketStatus } from "@hocuspocus/provider";
import { planDocumentName, readPlan, type Plan } from "@laget/plan";
import { useEffect, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import { localPlanName } from "./local-copies.ts";
import * as Y from "yjs";
import { colorFor } from "./presence.ts";

/**
 * One case's live plan: a Yjs document kept in IndexedDB on this device (so edits made
 * offline survive a reload and merge when the connection returns) and synced over
 * Hocuspocus on `/collab` (the session cookie authenticates the upgrade).
 *
 * The server decides everything: a read-only scope (or a later "laget:read-only" notice)
 * disables editing; the copy on this device is shown only once the server has let the
 * session in (`authorized`); "laget:access-revoked" (or the close that follows it) ends the
 * session for good: no reconnects, and the local copy is deleted.
 */

export type ConnectionStatus = "connecting" | "connected" | "disconnected";
/** Why the plan cannot be shown any more (or at all). */
export type PlanEnded = { kind: "revoked"; reason: string } | { kind: "refused"; reason: "unauthenticated" | "not-found" | "no-basis" | string };
export type Peer = { clientId: number; userId: string; name: string; color: string; self: boolean };

export type PlanSession = {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  status: ConnectionStatus;
  /** The server's state has been merged at least once in this session. */
  synced: boolean;
  /** The copy on this device has been read (it may be empty). */
  localLoaded: boolean;
  /** The server has let this session in: until then nothing of the plan is shown, not even this device's copy. */
  authorized: boolean;
  /** Edits not yet confirmed by the server. */
  unsynced: boolean;
  readOnly: boolean;
  /** "case_closed" and the like, from the server's notice; null when read-only from the start. */
  readOnlyReason: string | null;
  ended: PlanEnded | null;
  plan: Plan;
  peers: Peer[];
};

type SessionState = Omit<PlanSession, "doc" | "provider" | "plan">;

const REVOKED_CLOSE_REASON = "access-revoked";

function collabUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/collab`;
}

function parseNotice(payload: string): { type?: string; reason?: string } {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === "object" && value !== null ? (value as { type?: string; reason?: string }) : {};
  } catch {
    return {};
  }
}

type Live = { doc: Y.Doc; provider: HocuspocusProvider; persistence: IndexeddbPersistence };

export function usePlanDocument(caseId: string, me: { id: string; displayName: string }): PlanSession | null {
  const [live, setLive] = useState<Live | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [state, setState] = useState<SessionState>(initialState);

  useEffect(() => {
    const doc = new Y.Doc();
    const update = (patch: Partial<SessionState>) => setState((s) => ({ ...s, ...patch }));
    setState(initialState());
    let stopped = false;

    const persistence = new IndexeddbPersistence(localPlanName(me.id, caseId), doc);
    void persistence.whenSynced.then(() => {
      if (!stopped) update({ localLoaded: true });
    });

    const stop = (ended: PlanEnded, clearLocal: boolean) => {
      if (stopped) return;
      stopped = true;
      update({ ended, status: "disconnected" });
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      // No reconnecting: the socket is ours alone, so destroying the provider ends it.
      provider.destroy();
      if (clearLocal) void persistence.clearData();
    };

    const provider = new HocuspocusProvider({
      url: collabUrl(),
      name: planDocumentName(caseId),
      document: doc,
      onAuthenticated: ({ scope }) => update({ authorized: true, readOnly: scope === "readonly", readOnlyReason: null }),
      onAuthenticationFailed: ({ reason }) => stop({ kind: "refused", reason }, reason !== "unauthenticated"),
      onStatus: ({ status }) => {
        if (stopped) return;
        const offline = typeof navigator !== "undefined" && navigator.onLine === false;
        update({ status: offline ? "disconnected" : status === WebSocketStatus.Connected ? "connected" : status === WebSocketStatus.Connecting ? "connecting" : "disconnected" });
        if (status !== WebSocketStatus.Connected) update({ synced: false });
      },
      onSynced: () => update({ synced: true }),
      onUnsyncedChanges: ({ number }) => update({ unsynced: number > 0 }),
      onStateless: ({ payload }) => {
        const notice = parseNotice(payload);
        if (notice.type === "laget:access-revoked") stop({ kind: "revoked", reason: notice.reason ?? "" }, true);
        else if (notice.type === "laget:read-only") update({ readOnly: true, readOnlyReason: notice.reason ?? null });
      },
      onClose: ({ event }) => {
        if (event?.reason === REVOKED_CLOSE_REASON) stop({ kind: "revoked", reason: "" }, true);
      },
      onAwarenessChange: ({ states }) => {
        const seen = new Set<string>();
        const peers: Peer[] = [];
        for (const s of states) {
          const user = (s as { user?: { id?: unknown; name?: unknown; color?: unknown } }).user;
          if (!user || typeof user.id !== "string" || typeof user.name !== "string" || seen.has(user.id)) continue;
          seen.add(user.id);
          peers.push({
            clientId: s.clientId,
            userId: user.id,
            name: user.name.slice(0, 100),
            color: typeof user.color === "string" && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : colorFor(user.id),
            self: user.id === me.id,
          });
        }
        peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
        update({ peers });
      },
    });
    provider.setAwarenessField("user", { id: me.id, name: me.displayName, color: colorFor(me.id) });

    // The browser knows first when the network goes: close at once (so nothing is sent
    // into a dead socket and the status is honest), and reconnect when it is back.
    const socket = provider.configuration.websocketProvider;
    function goOffline() {
      socket.disconnect();
      if (socket.status !== WebSocketStatus.Disconnected) {
        // A closing socket can wait long for its close handshake: take it down now.
        socket.onClose({ event: { code: 4000, reason: "offline" } });
        provider.onClose();
      }
      update({ status: "disconnected", synced: false });
    }
    function goOnline() {
      void socket.connect();
    }
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    if (navigator.onLine === false) goOffline();

    const onUpdate = () => setPlan(readPlan(doc));
    doc.on("update", onUpdate);
    setPlan(readPlan(doc));
    setLive({ doc, provider, persistence });

    return () => {
      stopped = true;
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      doc.off("update", onUpdate);
      provider.destroy();
      void persistence.destroy();
      doc.destroy();
      setLive(null);
    };
  }, [caseId, me.id, me.displayName]);

  if (!live || !plan) return null;
  return { ...state, doc: live.doc, provider: live.provider, plan };
}

function initialState(): SessionState {
  return { status: "connecting", synced: false, localLoaded: false, authorized: false, unsynced: false, readOnly: false, readOnlyReason: null, ended: null, peers: [] };
}
