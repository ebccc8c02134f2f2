import type { OwnCommit } from "../system/observed-store.ts";
import { GrowableFloat64 } from "./growable.ts";

/** Idempotency keys the clients send: "w" then the write's index in the ledger. */
export const WRITE_KEY_PREFIX = "w";

/**
 * Every write a client sent, as Jepsen keeps its history: when it was sent, whether and when it
 * was acknowledged, and where the region committed it (region, epoch, log seq), observed from
 * the stores. Typed arrays, not objects: an hour at 1,000 requests/s is hundreds of thousands
 * of writes.
 */
export class WriteLedger {
  private readonly sentMs = new GrowableFloat64();
  private readonly ackMs = new GrowableFloat64();
  /** 1 when the region acknowledged without the standby (sync mode degraded to async). */
  private readonly degraded = new GrowableFloat64(1024, 0);
  private readonly cell = new GrowableFloat64();
  private readonly client = new GrowableFloat64();
  private readonly commitRegion = new GrowableFloat64();
  private readonly commitEpoch = new GrowableFloat64();
  private readonly commitSeq = new GrowableFloat64();
  private readonly commitAtMs = new GrowableFloat64();
  private readonly regionNames: string[] = [];

  get size(): number {
    return this.sentMs.length;
  }

  /** A new write; returns its index (its idempotency key is WRITE_KEY_PREFIX + index). */
  add(sentMs: number, cellIndex: number, clientIndex: number): number {
    const index = this.sentMs.push(sentMs);
    this.cell.set(index, cellIndex);
    this.client.set(index, clientIndex);
    return index;
  }

  acknowledge(index: number, atMs: number, degraded: boolean): void {
    if (!Number.isNaN(this.ackMs.get(index))) return;
    this.ackMs.set(index, atMs);
    if (degraded) this.degraded.set(index, 1);
  }

  /** A region committed a client's write (the last commit wins: a retry may commit it again elsewhere). */
  observeCommit(commit: OwnCommit, atMs: number): void {
    const key = commit.entry.idempotencyKey;
    if (key === undefined || !key.startsWith(WRITE_KEY_PREFIX)) return;
    const index = Number(key.slice(WRITE_KEY_PREFIX.length));
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return;
    let region = this.regionNames.indexOf(commit.region);
    if (region < 0) region = this.regionNames.push(commit.region) - 1;
    this.commitRegion.set(index, region);
    this.commitEpoch.set(index, commit.entry.epoch);
    this.commitSeq.set(index, commit.entry.seq);
    this.commitAtMs.set(index, atMs);
  }

  entry(index: number): LedgerEntry {
    const region = this.commitRegion.get(index);
    return {
      index,
      key: `${WRITE_KEY_PREFIX}${index}`,
      cell: this.cell.get(index),
      client: this.client.get(index),
      sentMs: this.sentMs.get(index),
      ackMs: nanToUndefined(this.ackMs.get(index)),
      degraded: this.degraded.get(index) === 1,
      commit: Number.isNaN(region)
        ? undefined
        : {
            region: this.regionNames[region]!,
            epoch: this.commitEpoch.get(index),
            seq: this.commitSeq.get(index),
            atMs: this.commitAtMs.get(index),
          },
    };
  }

  isAcknowledged(index: number): boolean {
    return !Number.isNaN(this.ackMs.get(index));
  }

  cellOf(index: number): number {
    return this.cell.get(index);
  }
}

export interface LedgerEntry {
  index: number;
  key: string;
  cell: number;
  client: number;
  sentMs: number;
  ackMs: number | undefined;
  /** Acknowledged by the active region alone (x-replication: degraded): sync mode fell back to async. */
  degraded: boolean;
  commit: { region: string; epoch: number; seq: number; atMs: number } | undefined;
}

function nanToUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}
