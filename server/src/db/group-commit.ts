/** An item's own outcome within its batch. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs items in batches, at most `concurrency` batches in flight (a write-ahead log's group
 * commit): items arriving while they run wait for the next one, which takes them all (up to
 * `maxWeight`). Each item's promise settles with its own result once its batch is done.
 * If a batch fails as a whole, each of its items is run again alone, so one bad item
 * never fails the others.
 */
export function groupCommit<T, R>(
  run: (items: T[]) => Promise<Settled<R>[]>,
  options: { weight?: (item: T) => number; maxWeight?: number; concurrency?: number } = {},
): (item: T) => Promise<R> {
  const weight = options.weight ?? (() => 1);
  const concurrency = options.concurrency ?? 1;
  const maxWeight = options.maxWeight ?? 200;
  type Waiting = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  const settle = (w: Waiting, s: Settled<R> | undefined) => (s?.ok ? w.resolve(s.value) : w.reject(s ? s.error : new Error("group commit: no result")));
  async function runBatch(batch: Waiting[]) {
    try {
      const results = await run(batch.map((w) => w.item));
      batch.forEach((w, i) => settle(w, results[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // Alone, each item fails (or succeeds) on its own merits.
      for (const w of batch) {
        try {
          settle(w, (await run([w.item]))[0]);
        } catch (e) {
          w.reject(e);
        }
      }
    }
  }
  let running = 0;
  let scheduled = false;
  function pump() {
    while (running < concurrency && queue.length > 0) {
      let total = 0;
      let n = 0;
      while (n < queue.length && (n === 0 || total + weight(queue[n]!.item) <= maxWeight)) total += weight(queue[n++]!.item);
      const batch = queue.slice(0, n);
      queue = queue.slice(n);
      running++;
      void runBatch(batch).finally(() => {
        running--;
        pump();
      });
    }
  }
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // Started on a microtask: what arrives in the same turn joins the same batch.
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          pump();
        });
      }
    });
}
