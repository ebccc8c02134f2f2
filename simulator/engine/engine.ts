import { EventQueue } from "./event-queue.ts";
import { type RunLoopOptions, type RunLoopResult, runEvents } from "./run-loop.ts";
import { VirtualClock } from "./virtual-clock.ts";

/** One simulation's queue and clock, and the loop that drives them. */
export class SimEngine {
  readonly queue = new EventQueue();
  readonly clock = new VirtualClock(this.queue);
  private eventsRunTotal = 0;

  /** Virtual ms since the start of the run. */
  get nowMs(): number {
    return this.clock.exactMs;
  }

  get eventsRun(): number {
    return this.eventsRunTotal;
  }

  /** Runs every event due up to `options.untilMs`, then leaves the clock there. */
  async runUntil(options: RunLoopOptions): Promise<RunLoopResult> {
    const result = await runEvents(this.queue, this.clock, options);
    this.eventsRunTotal += result.eventsRun;
    return result;
  }
}
