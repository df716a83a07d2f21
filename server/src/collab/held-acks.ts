import { type Connection, MessageType } from "@hocuspocus/server";
import type { Logger } from "../log.ts";

/**
 * A client's update is applied and relayed to the document's other connections at once,
 * while its acknowledgement (Hocuspocus' SyncStatus message, which the provider counts as
 * "saved") waits until the update's write-ahead append has committed. Holding the whole
 * update until the commit put a commit into every edit's way to the other editors
 * (bench:plans); what a commit guarantees is only what the ack promises: an acknowledged
 * update survives a crash. One the server relayed but never committed is still held by
 * its sender, unacknowledged, and comes back with the sender's next sync.
 *
 * Hocuspocus sends a connection's ack right after applying each of its sync messages
 * (one at a time per connection); acks of one connection leave in order. If an append
 * fails, the connection is reset without its ack, so the provider syncs anew. A
 * connection with MAX_HELD acks waiting is read no further until its oldest commits:
 * a client sending faster than the log commits is slowed, not buffered without end.
 */
export const MAX_HELD = 64;

/** Hocuspocus' own close for "reconnect and sync anew" (ResetConnection in @hocuspocus/common). */
const RESET_CONNECTION = { code: 4205, reason: "Reset Connection" };

/**
 * A SyncStatus message's answer (true: applied, false: refused on a read-only connection),
 * null for any other message. Its layout: the address as a varString, the type as a
 * varUint, the answer as a varUint.
 */
export function syncStatusOf(message: Uint8Array): boolean | null {
  let pos = 0;
  const varUint = () => {
    let n = 0;
    for (let shift = 0; pos < message.length; shift += 7) {
      const byte = message[pos++]!;
      n += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    return n;
  };
  const addressLength = varUint();
  pos += addressLength;
  if (pos >= message.length || varUint() !== MessageType.SyncStatus) return null;
  return varUint() === 1;
}

type Hold = {
  /** Commits whose ack Hocuspocus has not sent yet: the next ack sent takes the first. */
  waiting: Promise<unknown>[];
  /** Commits not settled yet, oldest first (what room() counts). */
  uncommitted: Promise<unknown>[];
  chain: Promise<void>;
  failed: boolean;
};

export function createHeldAcks(log: Logger) {
  const holds = new WeakMap<Connection, Hold>();

  function install(connection: Connection): Hold {
    const hold: Hold = { waiting: [], uncommitted: [], chain: Promise.resolve(), failed: false };
    const send = connection.send.bind(connection);
    connection.send = (message: Uint8Array) => {
      if (syncStatusOf(message) === null) return send(message);
      // An ack with no append of its own (an empty update) still leaves after earlier ones.
      const committed = hold.waiting.shift();
      hold.chain = hold.chain.then(async () => {
        if (hold.failed) return;
        try {
          await committed;
        } catch (err) {
          hold.failed = true;
          log.error({ err, documentName: connection.document.name }, "a live-document update could not be logged: its connection is reset unacknowledged");
          connection.close(RESET_CONNECTION);
          return;
        }
        send(message);
      });
    };
    holds.set(connection, hold);
    return hold;
  }

  return {
    /** Resolves when the connection may have another ack held (at once, below MAX_HELD). */
    async room(connection: Connection): Promise<void> {
      const uncommitted = holds.get(connection)?.uncommitted;
      while (uncommitted && uncommitted.length >= MAX_HELD) await uncommitted[0]!.catch(() => {});
    },
    /** The connection's next ack waits for `committed`. */
    holdNextAck(connection: Connection, committed: Promise<unknown>) {
      const hold = holds.get(connection) ?? install(connection);
      hold.waiting.push(committed);
      hold.uncommitted.push(committed);
      // Also what keeps a rejection that no ack awaits (the update then failed to apply) from being unhandled.
      const settled = () => void hold.uncommitted.splice(hold.uncommitted.indexOf(committed), 1);
      committed.then(settled, settled);
    },
  };
}
