import type { TimerHandle } from "../../core/clock.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";

export interface Expirable {
  expire(): void;
}

/**
 * Response timeouts without one timer per call. Calls that share a timeout length expire in the
 * order they were sent, so they wait in a FIFO and one timer, set for the oldest unfinished
 * call, expires every call whose deadline has come. Each call still expires at exactly its own
 * deadline. A finished call releases its slot at once (`release`), so it does not stay reachable
 * for the whole timeout: nearly every call finishes long before its deadline.
 */
export class TimeoutSweeper {
  private calls: (Expirable | undefined)[] = [];
  private deadlines: number[] = [];
  /** Absolute index of calls[0]. */
  private base = 0;
  private head = 0;
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: VirtualClock) {}

  /** Registers a call that gives up at `deadlineMs`; returns its slot for `release`. */
  add(call: Expirable, deadlineMs: number): number {
    this.calls.push(call);
    this.deadlines.push(deadlineMs);
    if (this.timer === undefined) this.arm();
    return this.base + this.calls.length - 1;
  }

  /** The call finished: forget it. */
  release(slot: number): void {
    const index = slot - this.base;
    if (index >= 0 && index < this.calls.length) this.calls[index] = undefined;
  }

  private arm(): void {
    while (this.head < this.calls.length && this.calls[this.head] === undefined) this.head++;
    this.compact();
    if (this.head >= this.calls.length) {
      this.timer = undefined;
      return;
    }
    this.timer = this.clock.at(this.deadlines[this.head]!, () => this.sweep());
  }

  private sweep(): void {
    const nowMs = this.clock.exactMs;
    while (this.head < this.calls.length) {
      const call = this.calls[this.head];
      if (call !== undefined) {
        if (this.deadlines[this.head]! > nowMs) break;
        this.calls[this.head] = undefined;
        call.expire();
      }
      this.head++;
    }
    this.timer = undefined;
    this.arm();
  }

  /** Drops the swept front of the arrays now and then, so they do not grow forever. */
  private compact(): void {
    if (this.head < 4096 || this.head * 2 < this.calls.length) return;
    this.calls = this.calls.slice(this.head);
    this.deadlines = this.deadlines.slice(this.head);
    this.base += this.head;
    this.head = 0;
  }

  /** Calls registered and not yet swept (finished ones included); for tests. */
  get queued(): number {
    return this.calls.length - this.head;
  }
}
