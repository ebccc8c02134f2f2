import type { ObservedControlStore } from "../system/observed-control.ts";
import type { OwnCommit } from "../system/observed-store.ts";

export interface SplitBrainViolation {
  atMs: number;
  cell: number;
  region: string;
  epoch: number;
  seq: number;
  /** Who the control record named at that instant. */
  activeRegion: string | undefined;
  activeEpoch: number | undefined;
}

/**
 * Checks every write a region accepts from a client, at the instant it commits: the control
 * record must name that region, in the epoch the write carries. A write accepted anywhere else
 * means two regions accepted writes at the same virtual time (split brain), which fencing must
 * make impossible. Kept to the first 100 violations; all are counted.
 */
export class SplitBrainChecker {
  readonly violations: SplitBrainViolation[] = [];
  count = 0;
  /** Last own-write time per region and cell, for "who accepted writes when". */
  readonly lastAcceptMs = new Map<string, number>();

  check(commit: OwnCommit, cell: number, control: ObservedControlStore, atMs: number): void {
    this.lastAcceptMs.set(`${cell}|${commit.region}`, atMs);
    const record = control.current();
    if (record && record.activeRegion === commit.region && record.epoch === commit.entry.epoch) return;
    this.count++;
    if (this.violations.length < 100) {
      this.violations.push({
        atMs,
        cell,
        region: commit.region,
        epoch: commit.entry.epoch,
        seq: commit.entry.seq,
        activeRegion: record?.activeRegion,
        activeEpoch: record?.epoch,
      });
    }
  }
}
