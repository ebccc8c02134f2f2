import type { WriteAck } from "../../regions/service/items-routes.ts";

export interface SplitBrainViolation {
  atMs: number;
  cell: number;
  region: string;
  epoch: number;
  seq: number;
  /** The newer epoch that had already acknowledged a write, where, and when. */
  newerEpoch: number;
  newerRegion: string;
  newerFirstAckMs: number;
}

/**
 * The fencing invariant, checked on every write a region acknowledges to a client, at the
 * instant it does: no write is acknowledged in an epoch after another region's first
 * acknowledged write in a later epoch (issue 12's (docs/issues.md) definition of split brain). A region may still
 * *commit* under an unexpired lease after the control record has moved on (regions/service/
 * lease.ts); what must never happen is that clients are told yes by two regions whose answers
 * interleave. Kept to the first 100 violations; all are counted.
 */
export class SplitBrainChecker {
  readonly violations: SplitBrainViolation[] = [];
  count = 0;
  /** Last own-commit time per region and cell, for "who accepted writes when". */
  readonly lastAcceptMs = new Map<string, number>();
  /** Per cell: the highest epoch with an acknowledged write, and its first acknowledgement. */
  private readonly newest = new Map<number, { epoch: number; region: string; atMs: number }>();

  noteCommit(region: string, cell: number, atMs: number): void {
    this.lastAcceptMs.set(`${cell}|${region}`, atMs);
  }

  check(ack: WriteAck, region: string, cell: number, atMs: number): void {
    const newest = this.newest.get(cell);
    if (newest === undefined || ack.epoch > newest.epoch) {
      this.newest.set(cell, { epoch: ack.epoch, region, atMs });
      return;
    }
    if (ack.epoch === newest.epoch) return;
    this.count++;
    if (this.violations.length < 100) {
      this.violations.push({
        atMs,
        cell,
        region,
        epoch: ack.epoch,
        seq: ack.seq,
        newerEpoch: newest.epoch,
        newerRegion: newest.region,
        newerFirstAckMs: newest.atMs,
      });
    }
  }
}
