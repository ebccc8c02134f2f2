/**
 * How many distinct clients had a failure in the last `windowMs`, counted up to `cap` (the rule
 * only needs to know whether at least `cap` did). Buckets, like sliding-window.ts, keep memory
 * constant: each keeps at most `cap` keys, and the union over buckets is still exact up to
 * `cap` (a bucket that stopped adding keys already holds `cap` of them).
 */
export class ClientSpread {
  private readonly bucketMs: number;
  private readonly keys: Set<string>[];
  private readonly starts: Float64Array;

  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
    bucketCount = 10,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / bucketCount));
    this.keys = Array.from({ length: bucketCount }, () => new Set<string>());
    this.starts = new Float64Array(bucketCount).fill(Number.NEGATIVE_INFINITY);
  }

  add(nowMs: number, client: string): void {
    const startMs = Math.floor(nowMs / this.bucketMs) * this.bucketMs;
    const i = Math.floor(nowMs / this.bucketMs) % this.keys.length;
    const bucket = this.keys[i]!;
    if (this.starts[i] !== startMs) {
      this.starts[i] = startMs;
      bucket.clear();
    }
    if (bucket.size < this.cap) bucket.add(client);
  }

  /** Distinct clients in the window ending at `nowMs`, at most `cap`. */
  distinct(nowMs: number): number {
    const oldestMs = nowMs - this.windowMs;
    const seen = new Set<string>();
    for (let i = 0; i < this.keys.length; i++) {
      if (this.starts[i]! + this.bucketMs <= oldestMs) continue;
      for (const key of this.keys[i]!) {
        seen.add(key);
        if (seen.size >= this.cap) return this.cap;
      }
    }
    return seen.size;
  }

  reset(): void {
    for (const bucket of this.keys) bucket.clear();
    this.starts.fill(Number.NEGATIVE_INFINITY);
  }
}
