import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * How long this process could not run while a wall-clock test was going on: the longest delay of
 * its event loop (a timer due at t ran at t + delay). On a busy shared 2-core machine that is
 * what a wall-clock bound must allow for, and on a quiet one it is a few milliseconds, so the
 * bound stays tight where it can be: `bound + stalls.slackMs(steps)`.
 */
export class EventLoopStalls {
  private readonly histogram = monitorEventLoopDelay({ resolution: 5 });

  constructor() {
    this.histogram.enable();
  }

  /** The longest stall seen so far, in ms. */
  get maxMs(): number {
    return this.histogram.max / 1e6;
  }

  /**
   * Slack for a chain of `steps` timer-driven steps (a probe, its confirmation, the promotion),
   * each of which a stall may have delayed, plus 50 ms for ordinary scheduling.
   */
  slackMs(steps: number): number {
    return steps * this.maxMs + 50;
  }

  stop(): void {
    this.histogram.disable();
  }
}
