import type { Clock } from "../core/clock.ts";
import { sleep } from "../core/clock.ts";

/**
 * Sits in front of one live region's app and misbehaves as the active faults say: hang
 * (accept and never answer), brownout (an error rate and added latency). "Down" is done by
 * closing the region's listening socket instead, so connections are really refused.
 */
export class RegionGate {
  hanging = false;
  errorRate = 0;
  addedLatencyMs = 0;
  private released: (() => void)[] = [];

  constructor(
    readonly region: string,
    private readonly clock: Clock,
    private readonly random: () => number,
  ) {}

  /** Returns a response to send instead of the region's, or undefined to let the request through. */
  async intercept(): Promise<Response | undefined> {
    if (this.hanging) {
      // Never answers; the request is released (and dropped) only when the stack shuts down.
      await new Promise<void>((resolve) => this.released.push(resolve));
      return new Response(null, { status: 503 });
    }
    if (this.addedLatencyMs > 0) await sleep(this.clock, this.addedLatencyMs);
    if (this.errorRate > 0 && this.random() < this.errorRate) {
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
