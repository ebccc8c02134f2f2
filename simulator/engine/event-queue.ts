import { Heap } from "heap-js";

/**
 * One event on the simulator's timeline. `seq` is the insertion order: two events due at the
 * same virtual time run in the order they were scheduled, so a run never depends on how the
 * heap happens to break ties (TigerBeetle's packet simulator keys its queue the same way).
 * The event is its own timer handle (`cancel()`), so scheduling allocates one object, not two.
 */
export class SimEvent {
  cancelled = false;

  constructor(
    readonly atMs: number,
    readonly seq: number,
    /** Replaced by a no-op on cancel: a cancelled timer waits in the heap until its time, and
     * must not keep what its callback refers to alive that long (it would survive into V8's old
     * generation and cost a full GC to collect). */
    public run: () => void,
    private readonly queue: EventQueue,
  ) {}

  cancel(): void {
    this.queue.cancel(this);
  }
}

function noop(): void {}

function compareEvents(a: SimEvent, b: SimEvent): number {
  return a.atMs - b.atMs || a.seq - b.seq;
}

/** The single priority queue of the simulation, keyed by virtual time then insertion order. */
export class EventQueue {
  private readonly heap = new Heap<SimEvent>(compareEvents);
  private nextSeq = 0;
  /** Events cancelled but still in the heap (removed lazily when they reach the top). */
  private cancelledCount = 0;

  schedule(atMs: number, run: () => void): SimEvent {
    const event = new SimEvent(atMs, this.nextSeq++, run, this);
    this.heap.push(event);
    return event;
  }

  cancel(event: SimEvent): void {
    if (event.cancelled) return;
    event.cancelled = true;
    event.run = noop;
    this.cancelledCount++;
  }

  /** The next live event, removed from the queue; undefined when nothing is left. */
  pop(): SimEvent | undefined {
    for (;;) {
      const event = this.heap.pop();
      if (!event) return undefined;
      if (!event.cancelled) return event;
      this.cancelledCount--;
    }
  }

  /** The due time of the next live event, or undefined. */
  peekTimeMs(): number | undefined {
    for (;;) {
      const event = this.heap.peek();
      if (!event) return undefined;
      if (!event.cancelled) return event.atMs;
      this.heap.pop();
      this.cancelledCount--;
    }
  }

  /** Live (not cancelled) events waiting. */
  get size(): number {
    return this.heap.length - this.cancelledCount;
  }

  /** Events scheduled since the queue was made (a measure of work done). */
  get scheduledCount(): number {
    return this.nextSeq;
  }
}
