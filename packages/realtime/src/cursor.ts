import type { SyncAnswer } from "./protocol.ts";

/**
 * The client side of the lossless per-user event stream (DESIGN.md §5), the same for the
 * web client and the tests' socket client:
 *
 * - `lastEventId` is the highest event id applied with nothing missing before it;
 * - an event with the next id is applied; a later one is held back and the gap is filled
 *   with `sync` (ids have no holes, so n+2 before n+1 is a gap, not a delay); an id
 *   already applied is dropped, so nothing is applied twice;
 * - before the first `hello` everything is held: hello tells where the log stands;
 * - on every later `hello` (each connect) whose head is past `lastEventId`, `sync`
 *   fetches the rest;
 * - a `sync` answered with `reset` (what was missed is older than the server keeps)
 *   starts over at its `lastEventId`, as on the first hello: the views are fetched again.
 */
export type EventCursorOptions<E> = {
  /** Applies one event: called in id order, once per id. */
  apply(event: E): void;
  /** Asks for the events after `since`; throws when the request fails (tried again on the next gap or hello). */
  sync(since: number): Promise<SyncAnswer<E>>;
  /** The cursor (re)starts at `head`: whatever was fetched before may have missed events. */
  onStart?(head: number, reset: boolean): void;
  /** An `apply` that threw: the cursor goes on (the event counts as applied). */
  onApplyError?(err: unknown, event: E): void;
  /** Where an earlier run left off; otherwise the first hello says. */
  lastEventId?: number | null;
};

export class EventCursor<E extends { eventId: number }> {
  private cursor: number | null;
  private readonly held = new Map<number, E>();
  private syncing: Promise<void> | null = null;
  private again = false;
  private readonly options: EventCursorOptions<E>;

  constructor(options: EventCursorOptions<E>) {
    this.options = options;
    this.cursor = options.lastEventId ?? null;
  }

  lastEventId(): number {
    return this.cursor ?? 0;
  }

  /** Whether a hello (or a resumed position) has said where the log stands. */
  started(): boolean {
    return this.cursor !== null;
  }

  /** A `hello` with the head of the user's log. */
  hello(head: number): void {
    if (this.cursor === null) this.startAt(head, false);
    else if (head > this.cursor) void this.catchUp();
  }

  /** An event pushed live (or from a replay). */
  accept(event: E): void {
    if (this.cursor === null) {
      this.held.set(event.eventId, event);
      return;
    }
    if (event.eventId <= this.cursor) return;
    if (event.eventId > this.cursor + 1) {
      this.held.set(event.eventId, event);
      void this.catchUp();
      return;
    }
    let next: E | undefined = event;
    while (next) {
      this.cursor = next.eventId;
      this.held.delete(next.eventId);
      try {
        this.options.apply(next);
      } catch (err) {
        if (this.options.onApplyError) this.options.onApplyError(err, next);
        else queueMicrotask(() => {
          throw err;
        });
      }
      next = this.held.get(this.cursor + 1);
    }
  }

  /** Fills the gap after `lastEventId` with `sync`, page by page; one run at a time (a request meanwhile runs it again). */
  catchUp(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing.catch(() => {});
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        for (;;) {
          const answer = await this.options.sync(this.cursor ?? 0);
          if (answer.reset) this.startAt(answer.lastEventId, true);
          for (const e of answer.events) this.accept(e);
          if (!answer.more) break;
        }
      } while (this.again);
    })().finally(() => {
      this.syncing = null;
    });
    // A failed sync is tried again on the next gap or the next hello.
    return this.syncing.catch(() => {});
  }

  /** Forgets where the log stood (the socket is gone for good). */
  stop(): void {
    this.cursor = null;
    this.held.clear();
  }

  /** Goes on from `head`: whatever was held back is applied or dropped from there. */
  private startAt(head: number, reset: boolean): void {
    this.cursor = head;
    this.options.onStart?.(head, reset);
    const early = [...this.held.values()].sort((a, b) => a.eventId - b.eventId);
    this.held.clear();
    for (const e of early) this.accept(e);
  }
}
