import { EventCursor, type Ack, type SyncAnswer, type UserEvent } from "@laget/realtime";
import { io, type Socket } from "socket.io-client";

/**
 * A Node socket.io client that follows the socket protocol exactly as the web client
 * does (tests and the benchmark use it): the same event cursor (@laget/realtime's
 * EventCursor: gaps filled with `sync`, nothing applied twice, a `reset` starting over)
 * over the same protocol types.
 */
export type LiveClient = {
  socket: Socket;
  /** Every event applied, in order, each once. */
  applied: UserEvent[];
  lastEventId(): number;
  request<T = Record<string, unknown>>(event: string, payload?: unknown): Promise<Ack<T>>;
  /** Resolves once `predicate` holds for the applied events (checked on every change). */
  until(predicate: (applied: UserEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves on the next server push named `event` for which `predicate` holds. */
  next<T>(event: string, predicate?: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
};
export type { Ack };

export function connectLive(
  url: string,
  cookie: string,
  options: {
    lastEventId?: number;
    origin?: string;
    onApply?: (e: UserEvent) => void;
    onReset?: (lastEventId: number) => void;
    reconnectionDelay?: number;
  } = {},
): Promise<LiveClient> {
  const socket = io(url, {
    transports: ["websocket"],
    extraHeaders: { cookie, origin: options.origin ?? url },
    reconnectionDelay: options.reconnectionDelay ?? 100,
    reconnectionDelayMax: 500,
  });
  const applied: UserEvent[] = [];
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const w of watchers) w();
  };

  const request = <T>(event: string, payload?: unknown) => socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;

  const cursor = new EventCursor<UserEvent>({
    lastEventId: options.lastEventId ?? null,
    apply: (e) => {
      applied.push(e);
      options.onApply?.(e);
      changed();
    },
    onStart: (head, reset) => {
      if (reset) options.onReset?.(head);
      changed();
    },
    sync: async (since) => {
      const res = await request<SyncAnswer>("sync", { since });
      if (!res.ok) throw new Error(`sync failed: ${res.error.code}`);
      return res;
    },
  });

  socket.on("event", (e: UserEvent) => cursor.accept(e));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once("connect_error", (err) => reject(err));
    socket.on("hello", (hello: { lastEventId: number }) => {
      cursor.hello(hello.lastEventId);
      resolve();
    });
  });

  const client: LiveClient = {
    socket,
    applied,
    lastEventId: () => cursor.lastEventId(),
    request,
    until: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(applied)) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`timed out; applied: ${JSON.stringify(applied.map((e) => [e.eventId, e.type, e.message?.seq]))}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
    next: <T>(event: string, predicate: (payload: T) => boolean = () => true, timeoutMs = 10_000) =>
      new Promise<T>((resolve, reject) => {
        const listener = (payload: T) => {
          if (!predicate(payload)) return;
          socket.off(event, listener);
          clearTimeout(timer);
          resolve(payload);
        };
        const timer = setTimeout(() => {
          socket.off(event, listener);
          reject(new Error(`no ${event} within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.on(event, listener);
      }),
    close: () => {
      socket.close();
    },
  };
  return ready.then(() => client);
}

/** The error a refused handshake gives (connect_error's message), or null if it connected. */
export function handshakeError(url: string, headers: Record<string, string>): Promise<string | null> {
  const socket = io(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false });
  return new Promise((resolve) => {
    socket.once("connect", () => {
      socket.close();
      resolve(null);
    });
    socket.once("connect_error", (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}
