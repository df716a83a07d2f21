import { io, type Socket } from "socket.io-client";
import type { UserEvent } from "../messaging/events.ts";

/**
 * A Node socket.io client that follows the messaging protocol exactly as the web client
 * should (tests and the benchmark use it):
 *
 * - It keeps `lastEventId`, the highest event id applied with no gap before it.
 * - An `event` with the next id is applied; a later one is held back and the gap is
 *   filled with `sync`; an id already applied is dropped (never shown twice).
 * - On every `hello` (each connect) whose head is past `lastEventId`, it asks `sync`
 *   for the rest — which is what happens when socket.io's connection-state recovery
 *   did not succeed, e.g. after a server restart.
 * - A `sync` answered with `reset` (the events it missed were pruned) means: fetch
 *   everything again (here: `onReset`) and go on from the answer's `lastEventId`.
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
export type Ack<T> = ({ ok: true } & T) | { ok: false; error: { code: string; message: string; fieldErrors?: Record<string, string[]> | null } };

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
  let cursor: number | null = options.lastEventId ?? null;
  const held = new Map<number, UserEvent>();
  const applied: UserEvent[] = [];
  const watchers = new Set<() => void>();
  let syncing: Promise<void> | null = null;
  let again = false;

  const request = <T>(event: string, payload?: unknown) => socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;

  function accept(event: UserEvent) {
    // Before the first hello, hold everything: hello tells where the log stands.
    if (cursor === null) {
      held.set(event.eventId, event);
      return;
    }
    if (event.eventId <= cursor) return;
    if (event.eventId > cursor + 1) {
      held.set(event.eventId, event);
      void catchUp();
      return;
    }
    let next: UserEvent | undefined = event;
    while (next) {
      applied.push(next);
      cursor = next.eventId;
      options.onApply?.(next);
      held.delete(next.eventId);
      next = held.get(cursor + 1);
    }
    for (const w of watchers) w();
  }

  /** Starts at `head` (a first hello, or a reset): whatever was held back is applied or dropped from there. */
  function startAt(head: number) {
    cursor = head;
    const early = [...held.values()].sort((a, b) => a.eventId - b.eventId);
    held.clear();
    for (const e of early) accept(e);
  }

  function catchUp(): Promise<void> {
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = (async () => {
      do {
        again = false;
        for (;;) {
          const res = await request<{ events: UserEvent[]; more: boolean; reset: boolean; lastEventId: number }>("sync", { since: cursor ?? 0 });
          if (!res.ok) throw new Error(`sync failed: ${res.error.code}`);
          if (res.reset) {
            options.onReset?.(res.lastEventId);
            startAt(res.lastEventId);
            for (const w of watchers) w();
          }
          for (const e of res.events) accept(e);
          if (!res.more) break;
        }
      } while (again);
    })().finally(() => {
      syncing = null;
    });
    return syncing.catch(() => {});
  }

  socket.on("event", (e: UserEvent) => accept(e));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once("connect_error", (err) => reject(err));
    socket.on("hello", (hello: { lastEventId: number }) => {
      if (cursor === null) startAt(hello.lastEventId);
      else if (hello.lastEventId > cursor) void catchUp();
      resolve();
    });
  });

  const client: LiveClient = {
    socket,
    applied,
    lastEventId: () => cursor ?? 0,
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
