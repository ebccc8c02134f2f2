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

/** True when `a` runs before `b`: earlier, or as early and scheduled first. */
function before(a: SimEvent, b: SimEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

/**
 * A binary min-heap of events (an array, children of i at 2i+1 and 2i+2), written for SimEvent
 * alone: heap-js's generic one called a comparator function through its own methods for every
 * comparison, ~2-3% of a simulated request with the real code in the loop (`--cpu-prof` of
 * bench/sim-bench-child.ts, issue 18). (atMs, seq) is unique, so any correct heap pops events
 * in the same order: runs stay byte-identical.
 */
class EventHeap {
  private readonly items: SimEvent[] = [];

  get length(): number {
    return this.items.length;
  }

  peek(): SimEvent | undefined {
    return this.items[0];
  }

  push(event: SimEvent): void {
    const items = this.items;
    let i = items.length;
    items.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent]!;
      if (!before(event, above)) break;
      items[i] = above;
      i = parent;
    }
    items[i] = event;
  }

  pop(): SimEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right]!, items[left]!) ? right : left;
      const below = items[child]!;
      if (!before(below, last)) break;
      items[i] = below;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/** The single priority queue of the simulation, keyed by virtual time then insertion order. */
export class EventQueue {
  private readonly heap = new EventHeap();
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
