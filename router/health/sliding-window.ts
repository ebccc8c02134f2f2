/**
 * Counts events over the last `windowMs`, in `bucketCount` buckets, on the injected clock.
 * Buckets rather than a list of timestamps keep memory constant under load; the cost is that
 * an event leaves the window up to one bucket late (windowMs / bucketCount).
 */
export class SlidingWindow {
  private readonly bucketMs: number;
  private readonly totals: Float64Array;
  private readonly hits: Float64Array;
  private readonly starts: Float64Array;

  constructor(
    private readonly windowMs: number,
    bucketCount = 10,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / bucketCount));
    this.totals = new Float64Array(bucketCount);
    this.hits = new Float64Array(bucketCount);
    this.starts = new Float64Array(bucketCount).fill(Number.NEGATIVE_INFINITY);
  }

  /** Records one event at `nowMs`; `hit` marks it as one of the counted kind (a failure, a retry). */
  add(nowMs: number, hit: boolean): void {
    const i = this.bucketFor(nowMs);
    this.totals[i]! += 1;
    if (hit) this.hits[i]! += 1;
  }

  /** Events and hits inside the window ending at `nowMs`. */
  counts(nowMs: number): { total: number; hits: number } {
    let total = 0;
    let hits = 0;
    const oldestMs = nowMs - this.windowMs;
    for (let i = 0; i < this.totals.length; i++) {
      if (this.starts[i]! + this.bucketMs <= oldestMs) continue;
      total += this.totals[i]!;
      hits += this.hits[i]!;
    }
    return { total, hits };
  }

  reset(): void {
    this.totals.fill(0);
    this.hits.fill(0);
    this.starts.fill(Number.NEGATIVE_INFINITY);
  }

  private bucketFor(nowMs: number): number {
    const startMs = Math.floor(nowMs / this.bucketMs) * this.bucketMs;
    const i = Math.floor(nowMs / this.bucketMs) % this.totals.length;
    if (this.starts[i] !== startMs) {
      this.starts[i] = startMs;
      this.totals[i] = 0;
      this.hits[i] = 0;
    }
    return i;
  }
}
