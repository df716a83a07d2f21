import { type Connection, OutgoingMessage } from "@hocuspocus/server";
import { expect, test } from "vitest";
import { createLogger } from "../log.ts";
import { createHeldAcks, MAX_HELD, syncStatusOf } from "./held-acks.ts";

// The ack bookkeeping of collab/held-acks.ts on a stand-in connection (the end-to-end
// behaviour, on a real server and database: plans/held-acks.test.ts).

function fakeConnection() {
  const sent: Uint8Array[] = [];
  const closed: { code: number; reason: string }[] = [];
  const connection = {
    document: { name: "plan:test" },
    send: (message: Uint8Array) => void sent.push(message),
    close: (event: { code: number; reason: string }) => void closed.push(event),
  } as unknown as Connection;
  return { connection, sent, closed };
}
const ack = () => new OutgoingMessage("plan:test").writeSyncStatus(true).toUint8Array();
const other = () => new OutgoingMessage("plan:test").writeStateless("hei").toUint8Array();
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const log = createLogger("silent");
/** An edit as Hocuspocus handles it: its commit held, then its ack sent. */
function edit(acks: ReturnType<typeof createHeldAcks>, connection: Connection, committed: Promise<void>) {
  acks.holdNextAck(connection, committed);
  connection.send(ack());
}
/** Lets every settled promise's callbacks run. */
const flush = () => new Promise((r) => setImmediate(r));

test("an ack leaves once its commit is done, in order; other messages pass at once", async () => {
  const { connection, sent } = fakeConnection();
  const acks = createHeldAcks(log);
  const [first, second] = [deferred(), deferred()];
  edit(acks, connection, first.promise);
  edit(acks, connection, second.promise);
  connection.send(other());
  await flush();
  expect(sent.map(syncStatusOf)).toEqual([null]);
  // The second commits first: its ack still waits behind the first one's.
  second.resolve();
  await flush();
  expect(sent.map(syncStatusOf)).toEqual([null]);
  first.resolve();
  await flush();
  expect(sent.map(syncStatusOf)).toEqual([null, true, true]);
});

test("a failed commit resets the connection and no later ack leaves", async () => {
  const { connection, sent, closed } = fakeConnection();
  const acks = createHeldAcks(log);
  const [failing, later] = [deferred(), deferred()];
  edit(acks, connection, failing.promise);
  edit(acks, connection, later.promise);
  failing.reject(new Error("disk full"));
  later.resolve();
  await flush();
  expect(closed).toEqual([{ code: 4205, reason: "Reset Connection" }]);
  expect(sent.filter((m) => syncStatusOf(m) !== null)).toEqual([]);
});

test(`with ${MAX_HELD} edits uncommitted a connection waits for its oldest before the next`, async () => {
  const { connection } = fakeConnection();
  const acks = createHeldAcks(log);
  const commits = Array.from({ length: MAX_HELD }, () => deferred());
  for (const c of commits) acks.holdNextAck(connection, c.promise);
  let roomMade = false;
  const room = acks.room(connection).then(() => (roomMade = true));
  await flush();
  expect(roomMade).toBe(false);
  commits[0]!.resolve();
  await room;
  expect(roomMade).toBe(true);
  // Below the limit there is room at once.
  const other = fakeConnection().connection;
  await acks.room(other);
});
