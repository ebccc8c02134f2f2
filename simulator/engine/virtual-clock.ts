import type { Clock, TimerHandle } from "../../core/clock.ts";
import type { EventQueue } from "./event-queue.ts";
import { TimerLanes } from "./timer-lanes.ts";

/**
 * 2026-01-01T00:00:00Z: where every simulated run's clock starts, so ids and timestamps are the
 * same from one run to the next (a run never reads the wall clock).
 */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

/**
 * The simulator's clock: a `Clock` for the router and region code, backed by the event queue.
 * Virtual time is continuous (events happen at fractions of a millisecond: a same-datacenter
 * round trip is 0.5 ms, Table 11 in docs/latency-table-11.md), but `nowMs()` reads like `Date.now()`: whole milliseconds,
 * truncated, so code written against the system clock (ULIDs need an integer time) sees what it
 * would see in production. The simulator's own measurements use `exactMs`.
 */
export class VirtualClock implements Clock {
  /** Exact virtual time in ms since SIM_EPOCH_MS (fractional). */
  private elapsedMs = 0;
  private readonly lanes: TimerLanes;

  constructor(private readonly queue: EventQueue) {
    this.lanes = new TimerLanes(queue);
  }

  nowMs(): number {
    return SIM_EPOCH_MS + Math.floor(this.elapsedMs);
  }

  /** Exact milliseconds since the start of the run. */
  get exactMs(): number {
    return this.elapsedMs;
  }

  /** A timer the code may cancel (most are: deadlines), kept in per-delay lanes (timer-lanes.ts). */
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.lanes.set(this.elapsedMs, Math.max(0, delayMs || 0), fn);
  }

  /** Timers set with setTimer, not yet fired or cancelled (tests). */
  get pendingTimers(): number {
    return this.lanes.pending;
  }

  /** Schedules at an exact run time (ms since start); never in the past. */
  at(runMs: number, fn: () => void): TimerHandle {
    return this.queue.schedule(Math.max(runMs, this.elapsedMs), fn);
  }

  /** Moves time to `runMs` (only the run loop calls this; time never goes backwards). */
  advanceTo(runMs: number): void {
    if (runMs > this.elapsedMs) this.elapsedMs = runMs;
  }
}
