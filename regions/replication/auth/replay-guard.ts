import type { Clock } from "../../../core/clock.ts";

export type FreshnessVerdict = "fresh" | "stale" | "replayed";

/**
 * Refuses a signed request whose timestamp is further than `windowMs` from this region's clock
 * (either way: clocks drift), and one whose nonce this region already accepted inside the
 * window. Nonces are forgotten once their timestamp has left the window, since a request that
 * old is refused as stale anyway; memory stays bounded by the requests of one window.
 */
export class ReplayGuard {
  /** nonce -> the timestamp it was signed with, in acceptance order (oldest first, roughly). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  /** Checks and, if fresh, records the nonce: call only after the signature has been verified. */
  admit(sender: string, nonce: string, timestampMs: number): FreshnessVerdict {
    const nowMs = this.clock.nowMs();
    this.forgetOlderThan(nowMs - this.windowMs);
    if (Math.abs(nowMs - timestampMs) > this.windowMs) return "stale";
    const key = `${sender}\n${nonce}`;
    if (this.seen.has(key)) return "replayed";
    this.seen.set(key, timestampMs);
    return "fresh";
  }

  private forgetOlderThan(cutoffMs: number): void {
    for (const [key, timestampMs] of this.seen) {
      // Insertion order is nearly timestamp order (one sender, one clock): stop at the first young one.
      if (timestampMs >= cutoffMs) break;
      this.seen.delete(key);
    }
  }
}
