import { expect, test } from "vitest";
import { createStoreQueue } from "./store-queue.ts";

/** A store the test finishes by hand: `started` counts its runs, `finish()` settles the oldest. */
function gate() {
  const pending: { resolve(): void; reject(err: unknown): void }[] = [];
  const runs: string[] = [];
  return {
    runs,
    run: (label: string) => () =>
      new Promise<void>((resolve, reject) => {
        runs.push(label);
        pending.push({ resolve, reject });
      }),
    finish: async (err?: unknown) => {
      const next = pending.shift();
      if (!next) throw new Error("nothing running");
      if (err) next.reject(err);
      else next.resolve();
      await settle();
    },
    get running() {
      return pending.length;
    },
  };
}
const settle = () => new Promise((r) => setImmediate(r));

test("no more stores run at once than the bound; the rest start in order as slots free", async () => {
  const queue = createStoreQueue({ concurrency: 2 });
  const g = gate();
  const done = ["a", "b", "c", "d", "e"].map((k) => queue.request(k, g.run(k)));
  await settle();
  expect(g.runs).toEqual(["a", "b"]);
  expect(queue.stats()).toMatchObject({ running: 2, queued: 3 });
  await g.finish();
  expect(g.runs).toEqual(["a", "b", "c"]);
  expect(g.running).toBe(2);
  while (g.running) await g.finish();
  await Promise.all(done);
  expect(g.runs).toEqual(["a", "b", "c", "d", "e"]);
  expect(queue.stats()).toMatchObject({ stores: 5, maxRunning: 2, maxQueued: 3, running: 0, queued: 0 });
});

test("a document queued twice is stored once, by the latest request's function, and both callers settle with it", async () => {
  const queue = createStoreQueue({ concurrency: 1 });
  const g = gate();
  const first = queue.request("busy", g.run("busy"));
  const a1 = queue.request("a", g.run("a-old"));
  const a2 = queue.request("a", g.run("a-latest"));
  expect(a2).toBe(a1);
  await settle();
  await g.finish();
  await g.finish();
  await Promise.all([first, a1, a2]);
  expect(g.runs).toEqual(["busy", "a-latest"]);
  expect(queue.stats()).toMatchObject({ stores: 2, coalesced: 1 });
});

test("a store requested while that document's store runs runs again after it, once, never beside it", async () => {
  const queue = createStoreQueue({ concurrency: 4 });
  const g = gate();
  const running = queue.request("a", g.run("a1"));
  await settle();
  const again = [queue.request("a", g.run("a2")), queue.request("a", g.run("a3")), queue.request("a", g.run("a4"))];
  await settle();
  // Free slots, but the document's own store is running: the next waits for it.
  expect(g.runs).toEqual(["a1"]);
  await g.finish();
  await running;
  expect(g.runs).toEqual(["a1", "a4"]);
  await g.finish();
  await Promise.all(again);
  expect(g.runs).toEqual(["a1", "a4"]);
  expect(queue.stats()).toMatchObject({ stores: 2, coalesced: 2 });
});

test("a failed store is reported to every caller waiting for it and is not lost: the document's next request stores again, the others go on", async () => {
  const queue = createStoreQueue({ concurrency: 1 });
  const g = gate();
  const failing = queue.request("a", g.run("a1"));
  const joined = queue.request("b", g.run("b1"));
  const joinedAgain = queue.request("b", g.run("b2"));
  await settle();
  await g.finish(new Error("database down"));
  await expect(failing).rejects.toThrow("database down");
  await g.finish(new Error("still down"));
  await expect(joined).rejects.toThrow("still down");
  await expect(joinedAgain).rejects.toThrow("still down");
  const retry = queue.request("a", g.run("a2"));
  await settle();
  await g.finish();
  await retry;
  expect(g.runs).toEqual(["a1", "b2", "a2"]);
  expect(queue.stats()).toMatchObject({ stores: 3, failed: 2 });
});

test("drain resolves only once everything queued, running or queued again meanwhile has run", async () => {
  const queue = createStoreQueue({ concurrency: 1 });
  await queue.drain();
  const g = gate();
  void queue.request("a", g.run("a1"));
  void queue.request("b", g.run("b1"));
  await settle();
  void queue.request("a", g.run("a2"));
  let drained = false;
  const drain = queue.drain().then(() => (drained = true));
  await g.finish();
  await g.finish();
  expect(drained).toBe(false);
  expect(g.runs).toEqual(["a1", "b1", "a2"]);
  await g.finish();
  await drain;
  expect(drained).toBe(true);
  expect(queue.stats()).toMatchObject({ stores: 3, running: 0, queued: 0 });
});
