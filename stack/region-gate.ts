import type { Clock } from "../core/clock.ts";
import { sleep } from "../core/clock.ts";
import { combineDegradations, type Degradation } from "../core/faults/fault-definition.ts";

/**
 * Sits in front of one live region's app and misbehaves as the active faults say: hang
 * (accept and never answer), brownout (an error rate and added latency). "Down" is done by
 * closing the region's listening socket instead, so connections are really refused.
 */
export class RegionGate {
  /** Faults holding the region hung: it hangs while any does (hang beats brownout). */
  private hangs = 0;
  /** Active brownouts, combined by the rule the simulator uses (core/faults/). */
  private readonly degradations = new Set<Degradation>();
  private combined: Degradation = { errorRate: 0, addedLatencyMs: 0 };
  private released: (() => void)[] = [];

  constructor(
    readonly region: string,
    private readonly clock: Clock,
    private readonly random: () => number,
  ) {}

  get hanging(): boolean {
    return this.hangs > 0;
  }

  /** What the active brownouts add up to. */
  get degradation(): Degradation {
    return this.combined;
  }

  /** Hangs the region until the returned release (and every other hang's) has run. */
  async hang(): Promise<() => Promise<void>> {
    this.hangs++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.hangs--;
      if (this.hangs === 0) this.releaseHung();
    };
  }

  /** Adds a brownout until the returned release runs. */
  async degrade(degradation: Degradation): Promise<() => Promise<void>> {
    const own = { ...degradation };
    this.degradations.add(own);
    this.combined = combineDegradations(this.degradations);
    return async () => {
      this.degradations.delete(own);
      this.combined = combineDegradations(this.degradations);
    };
  }

  /** Returns a response to send instead of the region's, or undefined to let the request through. */
  async intercept(): Promise<Response | undefined> {
    if (this.hanging) {
      // Never answers; the request is released (and dropped) only when the stack shuts down.
      await new Promise<void>((resolve) => this.released.push(resolve));
      return new Response(null, { status: 503 });
    }
    const { errorRate, addedLatencyMs } = this.combined;
    if (addedLatencyMs > 0) await sleep(this.clock, addedLatencyMs);
    if (errorRate > 0 && this.random() < errorRate) {
      return Response.json(
        { error: "brownout", detail: `${this.region} failing (fault injected)` },
        { status: 503 },
      );
    }
    return undefined;
  }

  releaseHung(): void {
    for (const release of this.released.splice(0)) release();
  }
}
