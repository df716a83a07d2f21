import { describe, expect, test } from "vitest";
import { EventCursor } from "./cursor.ts";
import type { SyncAnswer } from "./protocol.ts";

type E = { eventId: number; label?: string };
const ev = (eventId: number): E => ({ eventId });
/** Lets every pending sync answer (the fake answers after a microtask, page by page). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A cursor over a fake server log: `log` is what `sync` answers from; `pruned` ids below it answer reset. */
function harness(options: { log?: E[]; prunedBelow?: number; lastEventId?: number | null } = {}) {
  const log = options.log ?? [];
  const applied: number[] = [];
  const starts: [number, boolean][] = [];
  const syncs: number[] = [];
  let fail = false;
  const cursor = new EventCursor<E>({
    apply: (e) => void applied.push(e.eventId),
    onStart: (head, reset) => void starts.push([head, reset]),
    lastEventId: options.lastEventId,
    sync: async (since): Promise<SyncAnswer<E>> => {
      syncs.push(since);
      await Promise.resolve();
      if (fail) throw new Error("offline");
      const head = log.at(-1)?.eventId ?? 0;
      if (options.prunedBelow !== undefined && since + 1 < options.prunedBelow) return { events: [], more: false, reset: true, lastEventId: head };
      const after = log.filter((e) => e.eventId > since);
      return { events: after.slice(0, 2), more: after.length > 2, reset: false, lastEventId: head };
    },
  });
  return { cursor, applied, starts, syncs, failNext: (f: boolean) => void (fail = f) };
}

describe("EventCursor", () => {
  test("holds everything until the first hello, then applies from its head (older ids dropped)", () => {
    const h = harness();
    h.cursor.accept(ev(5));
    h.cursor.accept(ev(4));
    expect(h.applied).toEqual([]);
    h.cursor.hello(4);
    expect(h.starts).toEqual([[4, false]]);
    expect(h.applied).toEqual([5]);
    expect(h.cursor.lastEventId()).toBe(5);
  });

  test("the next id is applied at once; one already applied is dropped", () => {
    const h = harness();
    h.cursor.hello(0);
    h.cursor.accept(ev(1));
    h.cursor.accept(ev(2));
    h.cursor.accept(ev(2));
    h.cursor.accept(ev(1));
    expect(h.applied).toEqual([1, 2]);
    expect(h.syncs).toEqual([]);
  });

  test("n+2 before n+1 is a gap: held back, filled by sync, each applied once in order", async () => {
    const h = harness({ log: [1, 2, 3, 4].map(ev) });
    h.cursor.hello(1);
    h.cursor.accept(ev(3));
    expect(h.applied).toEqual([]);
    expect(h.syncs).toEqual([1]);
    await settle();
    // The late live copy of 2 changes nothing.
    h.cursor.accept(ev(2));
    expect(h.applied).toEqual([2, 3, 4]);
    expect(h.cursor.lastEventId()).toBe(4);
  });

  test("a held event fills in as soon as the one before it arrives, without waiting for sync", () => {
    const h = harness();
    h.cursor.hello(0);
    h.cursor.accept(ev(2));
    h.cursor.accept(ev(1));
    expect(h.applied).toEqual([1, 2]);
  });

  test("a hello past lastEventId (a reconnect that missed events) syncs page by page", async () => {
    const h = harness({ log: [1, 2, 3, 4, 5].map(ev), lastEventId: 0 });
    h.cursor.hello(5);
    await settle();
    expect(h.applied).toEqual([1, 2, 3, 4, 5]);
    expect(h.syncs).toEqual([0, 2, 4]);
    expect(h.starts).toEqual([]);
  });

  test("a hello at lastEventId asks nothing", () => {
    const h = harness({ lastEventId: 3 });
    h.cursor.hello(3);
    expect(h.syncs).toEqual([]);
  });

  test("a reset (pruned events) starts over at the answer's lastEventId and says so", async () => {
    const h = harness({ log: [7, 8, 9].map(ev), prunedBelow: 7, lastEventId: 2 });
    h.cursor.hello(9);
    await settle();
    expect(h.starts).toEqual([[9, true]]);
    expect(h.applied).toEqual([]);
    expect(h.cursor.lastEventId()).toBe(9);
  });

  test("a failed sync is tried again on the next gap", async () => {
    const h = harness({ log: [1, 2, 3].map(ev) });
    h.cursor.hello(0);
    h.failNext(true);
    h.cursor.accept(ev(2));
    await settle();
    expect(h.applied).toEqual([]);
    h.failNext(false);
    h.cursor.accept(ev(3));
    await settle();
    expect(h.applied).toEqual([1, 2, 3]);
  });

  test("a throwing apply does not stop the stream", () => {
    const errors: number[] = [];
    const applied: number[] = [];
    const cursor = new EventCursor<E>({
      apply: (e) => {
        if (e.eventId === 1) throw new Error("bad");
        applied.push(e.eventId);
      },
      onApplyError: (_err, e) => void errors.push(e.eventId),
      sync: () => Promise.reject(new Error("unused")),
    });
    cursor.hello(0);
    cursor.accept(ev(1));
    cursor.accept(ev(2));
    expect(errors).toEqual([1]);
    expect(applied).toEqual([2]);
  });

  test("stop forgets the position: the next hello starts afresh", () => {
    const h = harness();
    h.cursor.hello(3);
    h.cursor.stop();
    expect(h.cursor.started()).toBe(false);
    h.cursor.hello(10);
    expect(h.starts).toEqual([[3, false], [10, false]]);
  });
});
