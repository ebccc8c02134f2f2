import type { RouterPolicy } from "../../regions/config/router-policy-schema.ts";
import { SlidingWindow } from "./sliding-window.ts";

export type PassiveConfig = RouterPolicy["passive"];

export interface PassiveSnapshot {
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  tripped: boolean;
  /** Why it tripped, for decisions and logs; undefined while not tripped. */
  reason: string | undefined;
}

/**
 * Failure signals from real traffic to one region: refused, reset, timed-out and 5xx answers.
 * It trips on `consecutiveFailures` in a row (Envoy's consecutive_5xx, default 5) or on an error
 * rate at or above `errorRateThreshold` over `errorRateWindowMs` once the window holds at least
 * `errorRateMinRequests` (Envoy's success-rate ejection has the same minimum-volume guard, so
 * two failures out of three requests do not eject a region).
 */
export class PassiveDetector {
  private consecutive = 0;
  private readonly window: SlidingWindow;

  constructor(private readonly config: PassiveConfig) {
    this.window = new SlidingWindow(config.errorRateWindowMs);
  }

  record(nowMs: number, failed: boolean): void {
    this.consecutive = failed ? this.consecutive + 1 : 0;
    this.window.add(nowMs, failed);
  }

  snapshot(nowMs: number): PassiveSnapshot {
    const { total, hits } = this.window.counts(nowMs);
    const reason = this.tripReason(total, hits);
    return {
      consecutiveFailures: this.consecutive,
      windowRequests: total,
      windowFailures: hits,
      tripped: reason !== undefined,
      reason,
    };
  }

  tripped(nowMs: number): boolean {
    if (this.consecutive >= this.config.consecutiveFailures) return true;
    const { total, hits } = this.window.counts(nowMs);
    return this.tripReason(total, hits) !== undefined;
  }

  /** Forget the history: after a promotion the old numbers describe a different role. */
  reset(): void {
    this.consecutive = 0;
    this.window.reset();
  }

  private tripReason(total: number, failures: number): string | undefined {
    const c = this.config;
    if (this.consecutive >= c.consecutiveFailures) return `${this.consecutive} consecutive failed requests`;
    if (total >= c.errorRateMinRequests && failures / total >= c.errorRateThreshold) {
      const pct = Math.round((failures / total) * 100);
      return `error rate ${pct}% (${failures}/${total}) over ${c.errorRateWindowMs} ms`;
    }
    return undefined;
  }
}
