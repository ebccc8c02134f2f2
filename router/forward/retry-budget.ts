import { SlidingWindow } from "../health/sliding-window.ts";

/**
 * Caps retries at `budgetRatio` of the requests seen in the last second, but always allows
 * `minRetriesPerS` (Envoy's retry budget: 20% of active requests, with a floor so a quiet router
 * can still retry). Under a broad outage this stops retries from doubling the load on whatever
 * is still standing.
 */
export class RetryBudget {
  private readonly requests = new SlidingWindow(1000);
  private readonly retries = new SlidingWindow(1000);

  constructor(
    private readonly budgetRatio: number,
    private readonly minRetriesPerS: number,
  ) {}

  recordRequest(nowMs: number): void {
    this.requests.add(nowMs, false);
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryAcquire(nowMs: number): boolean {
    const requests = this.requests.counts(nowMs).total;
    const retries = this.retries.counts(nowMs).total;
    const allowed = Math.max(this.minRetriesPerS, this.budgetRatio * requests);
    if (retries + 1 > allowed) return false;
    this.retries.add(nowMs, true);
    return true;
  }

  snapshot(nowMs: number): { requestsLastS: number; retriesLastS: number; allowedLastS: number } {
    const requestsLastS = this.requests.counts(nowMs).total;
    return {
      requestsLastS,
      retriesLastS: this.retries.counts(nowMs).total,
      allowedLastS: Math.max(this.minRetriesPerS, this.budgetRatio * requestsLastS),
    };
  }
}
