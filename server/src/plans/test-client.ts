import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { planDocumentName } from "@laget/plan";
import * as Y from "yjs";
import { syncStatusOf } from "../collab/held-acks.ts";

/**
 * A plan client in Node for tests and benchmarks: @hocuspocus/provider over Node 24's
 * global WebSocket (undici), sending the session cookie and an Origin equal to the
 * server's URL, exactly as a browser on the same origin does.
 */
export type PlanClient = {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /** Resolves on the first successful sync; rejects if authentication fails. */
  ready: Promise<{ readOnly: boolean }>;
  stateless: string[];
  /** The server's answer to each update this client sent, in order: applied (true) or refused (false). */
  syncAnswers: boolean[];
  closeReasons: string[];
  authFailures: string[];
  destroy(): void;
};

export function socketClass(baseUrl: string, cookie: string | null) {
  const headers: Record<string, string> = { origin: baseUrl };
  if (cookie) headers.cookie = cookie;
  return class CookieWebSocket extends WebSocket {
    constructor(url: string | URL) {
      // undici's WebSocket takes a non-standard init with headers.
      super(url, { headers } as unknown as string[]);
    }
  };
}

export function connectPlan(baseUrl: string, cookie: string | null, caseId: string, options: { name?: string } = {}): PlanClient {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace(/^http/, "ws")}/collab`,
    WebSocketPolyfill: socketClass(baseUrl, cookie),
    // Tests want to see a refusal, not a retry loop.
    maxAttempts: 1,
  });
  const stateless: string[] = [];
  const syncAnswers: boolean[] = [];
  const closeReasons: string[] = [];
  const authFailures: string[] = [];
  let readOnly = false;
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: options.name ?? planDocumentName(caseId),
    document: doc,
    onAuthenticated: ({ scope }) => {
      readOnly = scope === "readonly";
    },
    onStateless: ({ payload }) => void stateless.push(payload),
    onClose: ({ event }) => void closeReasons.push(event.reason),
  });
  const ready = new Promise<{ readOnly: boolean }>((resolve, reject) => {
    provider.on("synced", () => resolve({ readOnly }));
    provider.on("authenticationFailed", ({ reason }: { reason: string }) => {
      authFailures.push(reason);
      reject(new Error(`authentication failed: ${reason}`));
    });
  });
  ready.catch(() => {});
  provider.on("message", ({ event }: { event: MessageEvent }) => {
    const answer = syncStatusOf(new Uint8Array(event.data as ArrayBuffer));
    if (answer !== null) syncAnswers.push(answer);
  });
  provider.attach();
  return {
    doc,
    provider,
    socket,
    ready,
    stateless,
    syncAnswers,
    closeReasons,
    authFailures,
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Polls until the check passes (or throws its last error after the timeout). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
