import type { RouterPolicy } from "../../config/router-policy-schema.ts";
import { ClientSpread } from "./client-spread.ts";
import type { RequestOutcome } from "./request-outcome.ts";
import { SlidingWindow } from "./sliding-window.ts";

export type PassiveConfig = RouterPolicy["passive"];

export interface PassiveSnapshot {
  /** Requests in a row that got no answer (refused, reset, timed out). */
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  /** Distinct clients with a failure in the window (counted up to errorRateMinClients). */
  windowFailingClients: number;
  tripped: boolean;
  /** Why it tripped, for decisions and logs; undefined while not tripped. */
  reason: string | undefined;
}

/**
 * Failure signals from real traffic to one region (issue 13 (docs/issues.md): only region-health evidence moves
 * traffic). Two rules:
 * - `consecutiveFailures` requests in a row that got no answer at all (refused, reset, timed
 *   out). An answer of any status ends the run: a region that answers is up, and one client's
 *   bad requests must not add up to a failover (the old rule counted 5xx, so five TRACEs or
 *   five bad bodies flipped production).
 * - Envoy's failure-percentage ejection: failures (no answer or 5xx) at or above
 *   `errorRateThreshold` of the requests in `errorRateWindowMs`, once the window holds at least
 *   `errorRateMinRequests` requests and failures from at least `errorRateMinClients` distinct
 *   clients (Envoy: minimum request volume 50; Route 53 counts a quorum of independent checkers
 *   the same way). One client, however many requests it sends, never trips it.
 */
export class PassiveDetector {
  private consecutive = 0;
  private readonly window: SlidingWindow;
  private readonly failingClients: ClientSpread;

  constructor(private readonly config: PassiveConfig) {
    this.window = new SlidingWindow(config.errorRateWindowMs);
    this.failingClients = new ClientSpread(config.errorRateWindowMs, config.errorRateMinClients);
  }

  record(nowMs: number, outcome: RequestOutcome, client: string): void {
    if (outcome === "ignored") return;
    this.consecutive = outcome === "no_answer" ? this.consecutive + 1 : 0;
    const failed = outcome !== "ok";
    this.window.add(nowMs, failed);
    if (failed) this.failingClients.add(nowMs, client);
  }

  snapshot(nowMs: number): PassiveSnapshot {
    const { total, hits } = this.window.counts(nowMs);
    const clients = this.failingClients.distinct(nowMs);
    const reason = this.tripReason(total, hits, clients);
    return {
      consecutiveFailures: this.consecutive,
      windowRequests: total,
      windowFailures: hits,
      windowFailingClients: clients,
      tripped: reason !== undefined,
      reason,
    };
  }

  tripped(nowMs: number): boolean {
    if (this.consecutive >= this.config.consecutiveFailures) return true;
    const { total, hits } = this.window.counts(nowMs);
    // Cheap checks first: the client count walks sets, and most calls stop before it.
    if (total < this.config.errorRateMinRequests || hits / total < this.config.errorRateThreshold)
      return false;
    return this.tripReason(total, hits, this.failingClients.distinct(nowMs)) !== undefined;
  }

  /** Forget the history: after a promotion the old numbers describe a different role. */
  reset(): void {
    this.consecutive = 0;
    this.window.reset();
    this.failingClients.reset();
  }

  private tripReason(total: number, failures: number, clients: number): string | undefined {
    const c = this.config;
    if (this.consecutive >= c.consecutiveFailures)
      return `${this.consecutive} consecutive requests got no answer`;
    if (total < c.errorRateMinRequests || failures / total < c.errorRateThreshold) return undefined;
    if (clients < c.errorRateMinClients) return undefined;
    const pct = Math.round((failures / total) * 100);
    return `error rate ${pct}% (${failures}/${total}, from ${clients}+ clients) over ${c.errorRateWindowMs} ms`;
  }
}
