import { HocuspocusProvider, WebSocketStatus } from "@hocuspocus/provider";
import { useEffect, useState } from "react";
import * as Y from "yjs";
import { colorFor } from "../plans/presence.ts";
import type { Peer } from "../plans/usePlanDocument.ts";

/**
 * One agenda item's live minutes (document `minutes:<agendaItemId>`) over Hocuspocus on
 * `/collab`, the session cookie authenticating the upgrade. Nothing is kept on the device:
 * minutes are shown only while the server lets this session in. A read-only scope or a
 * later "laget:read-only" notice (minutes approved) makes the editor read-only; a refusal
 * or "laget:access-revoked" (consent withdrawn) ends the session, no reconnects.
 */

export type MinutesStatus = "connecting" | "connected" | "disconnected";
export type MinutesSession = {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  status: MinutesStatus;
  authorized: boolean;
  readOnly: boolean;
  ended: null | "refused" | "revoked";
  peers: Peer[];
};
type State = Omit<MinutesSession, "doc" | "provider">;
const initial = (): State => ({ status: "connecting", authorized: false, readOnly: false, ended: null, peers: [] });

function collabUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/collab`;
}

function noticeType(payload: string): string | undefined {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === "object" && value !== null ? (value as { type?: string }).type : undefined;
  } catch {
    return undefined;
  }
}

export function useMinutesDocument(documentName: string, me: { id: string; displayName: string }): MinutesSession | null {
  const [live, setLive] = useState<{ doc: Y.Doc; provider: HocuspocusProvider } | null>(null);
  const [state, setState] = useState<State>(initial);

  useEffect(() => {
    const doc = new Y.Doc();
    const update = (patch: Partial<State>) => setState((s) => ({ ...s, ...patch }));
    setState(initial());
    let stopped = false;
    const stop = (ended: "refused" | "revoked") => {
      if (stopped) return;
      stopped = true;
      update({ ended, status: "disconnected" });
      provider.destroy();
    };
    const provider = new HocuspocusProvider({
      url: collabUrl(),
      name: documentName,
      document: doc,
      onAuthenticated: ({ scope }) => update({ authorized: true, readOnly: scope === "readonly" }),
      onAuthenticationFailed: () => stop("refused"),
      onStatus: ({ status }) => {
        if (!stopped) update({ status: status === WebSocketStatus.Connected ? "connected" : status === WebSocketStatus.Connecting ? "connecting" : "disconnected" });
      },
      onStateless: ({ payload }) => {
        const type = noticeType(payload);
        if (type === "laget:access-revoked") stop("revoked");
        else if (type === "laget:read-only") update({ readOnly: true });
      },
      onClose: ({ event }) => {
        if (event?.reason === "access-revoked") stop("revoked");
      },
      onAwarenessChange: ({ states }) => {
        const seen = new Set<string>();
        const peers: Peer[] = [];
        for (const s of states) {
          const user = (s as { user?: { id?: unknown; name?: unknown } }).user;
          if (!user || typeof user.id !== "string" || typeof user.name !== "string" || seen.has(user.id)) continue;
          seen.add(user.id);
          peers.push({ clientId: s.clientId, userId: user.id, name: user.name.slice(0, 100), color: colorFor(user.id), self: user.id === me.id });
        }
        peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
        update({ peers });
      },
    });
    provider.setAwarenessField("user", { id: me.id, name: me.displayName, color: colorFor(me.id) });
    setLive({ doc, provider });
    return () => {
      stopped = true;
      provider.destroy();
      doc.destroy();
      setLive(null);
    };
  }, [documentName, me.id, me.displayName]);

  if (!live) return null;
  return { ...state, ...live };
}
