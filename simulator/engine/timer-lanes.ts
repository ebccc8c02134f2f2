import type { TimerHandle } from "../../core/clock.ts";
import type { EventQueue, SimEvent } from "./event-queue.ts";

/**
 * Lanes past this count send further delays straight to the queue. Code uses a handful of fixed
 * delays (timeouts, probe intervals); a delay drawn at random would otherwise get a lane each.
 */
const LANES_MAX = 32;
/** Compact a lane once this many swept slots sit at its front (and they are over half of it). */
const COMPACT_AFTER = 4096;

/**
 * Cancellable timers without a queue event each. Nearly every timer the simulated code sets is
 * a deadline that is cancelled long before it is due (the router's per-attempt deadline, the
 * network's response timeouts): in the event queue each would sit for the whole timeout,
 * growing the heap every request walks and surviving into V8's old generation (the router's
 * deadline alone was a measurable share of each simulated request: `npm run bench:sim`). Timers of the same delay set in
 * time order are due in that order, so each delay gets a FIFO lane with one queue event, set
 * for its oldest live timer. A cancelled timer lets go of its callback at once. Every timer
 * still fires at exactly its due time; timers due at the same instant in different lanes run
 * in the order their lanes' events were queued (deterministic, as everything here).
 */
export class TimerLanes {
  private readonly lanes = new Map<number, Lane>();

  constructor(private readonly queue: EventQueue) {}

  set(nowMs: number, delayMs: number, fn: () => void): TimerHandle {
    let lane = this.lanes.get(delayMs);
    if (!lane) {
      if (this.lanes.size >= LANES_MAX) return this.queue.schedule(nowMs + delayMs, fn);
      lane = new Lane(this.queue);
      this.lanes.set(delayMs, lane);
    }
    return lane.add(nowMs + delayMs, fn);
  }

  /** Timers set and neither fired nor cancelled (tests). */
  get pending(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.pending;
    return count;
  }
}

class LaneTimer implements TimerHandle {
  constructor(
    private readonly lane: Lane,
    private readonly slot: number,
  ) {}

  cancel(): void {
    this.lane.cancel(this.slot);
  }
}

class Lane {
  private fns: ((() => void) | undefined)[] = [];
  private dueMs: number[] = [];
  /** Absolute slot number of fns[0]. */
  private base = 0;
  private head = 0;
  private armed: SimEvent | undefined;
  private live = 0;

  constructor(private readonly queue: EventQueue) {}

  add(dueMs: number, fn: () => void): TimerHandle {
    this.fns.push(fn);
    this.dueMs.push(dueMs);
    this.live++;
    if (this.armed === undefined) this.arm();
    return new LaneTimer(this, this.base + this.fns.length - 1);
  }

  cancel(slot: number): void {
    const index = slot - this.base;
    if (index < this.head || index >= this.fns.length || this.fns[index] === undefined) return;
    this.fns[index] = undefined;
    this.live--;
  }

  get pending(): number {
    return this.live;
  }

  private readonly fire = (): void => {
    // `armed` stays set while callbacks run, so a timer they set does not arm a second event.
    const nowMs = this.armed!.atMs;
    // Run every live timer due now, in the order set; a callback may set new ones (appended).
    while (this.head < this.fns.length) {
      const fn = this.fns[this.head];
      if (fn !== undefined) {
        if (this.dueMs[this.head]! > nowMs) break;
        this.fns[this.head] = undefined;
        this.live--;
        this.head++;
        fn();
      } else this.head++;
    }
    this.armed = undefined;
    this.arm();
  };

  private arm(): void {
    if (this.armed !== undefined) return;
    while (this.head < this.fns.length && this.fns[this.head] === undefined) this.head++;
    this.compact();
    if (this.head < this.fns.length) this.armed = this.queue.schedule(this.dueMs[this.head]!, this.fire);
  }

  private compact(): void {
    if (this.head < COMPACT_AFTER || this.head * 2 < this.fns.length) return;
    this.fns = this.fns.slice(this.head);
    this.dueMs = this.dueMs.slice(this.head);
    this.base += this.head;
    this.head = 0;
  }
}
