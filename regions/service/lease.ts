import type { LeaseConfig } from "../../config/control-plane-schema.ts";
import type { ControlRecord } from "../../core/control.ts";

/**
 * A region's lease on the active role, as Chubby and etcd leases work (docs/leases.md): the
 * holder stops acting before its lease can have expired anywhere, and a
 * successor starts only after it has expired.
 *
 * All times are this region's own clock; nothing compares clocks across regions.
 * - Holder: a read of the control record that names this region active in epoch e, *sent* at s,
 *   lets it act until s + leaseMs - maxClockDriftMs. Any promotion away from it happens after
 *   that read was served, so after s.
 * - Successor: a region that first sees itself active in epoch e > 1 on a read that *returned*
 *   at r (so after the promotion) starts at r + leaseMs + maxClockDriftMs, when the previous
 *   holder's lease has run out even if the two clocks drifted by the bound. Epoch 1 is the
 *   bootstrap record: nobody held an earlier one, so its region starts at once.
 * The RTO therefore includes one lease (leaseMs + maxClockDriftMs) after the successor learns of
 * its promotion. Writes are checked again when they are about to be acknowledged (`holds`), so a
 * write that commits just as the lease runs out is never acknowledged.
 */
export class Lease {
  private record: ControlRecord | undefined;
  private activeEpoch: number | undefined;
  private heldUntilMs = Number.NEGATIVE_INFINITY;
  private servesFromMs = Number.POSITIVE_INFINITY;
  private lastRenewedAtMs: number | undefined;
  private ownWriteReturnedAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly regionName: string,
    private readonly config: LeaseConfig,
  ) {}

  /** A successful, strongly consistent read of the record, sent at sentAtMs and answered at returnedAtMs. */
  observe(record: ControlRecord, sentAtMs: number, returnedAtMs: number): void {
    // A read overtaken by a newer one (answers can arrive out of order) teaches nothing.
    if (this.record !== undefined && record.epoch < this.record.epoch) return;
    // Within one epoch only this region changes the record (its sync standby). A read sent
    // before its last such write returned may have been served before that write: keep the
    // written record, but the read still renews the lease.
    const sameEpoch = this.record !== undefined && record.epoch === this.record.epoch;
    if (!(sameEpoch && sentAtMs <= this.ownWriteReturnedAtMs)) this.record = record;
    this.lastRenewedAtMs = returnedAtMs;
    if (record.activeRegion !== this.regionName) {
      this.activeEpoch = undefined;
      this.heldUntilMs = Number.NEGATIVE_INFINITY;
      this.servesFromMs = Number.POSITIVE_INFINITY;
      return;
    }
    const { leaseMs, maxClockDriftMs } = this.config;
    if (this.activeEpoch !== record.epoch) {
      this.activeEpoch = record.epoch;
      this.heldUntilMs = Number.NEGATIVE_INFINITY;
      this.servesFromMs = record.epoch === 1 ? returnedAtMs : returnedAtMs + leaseMs + maxClockDriftMs;
    }
    this.heldUntilMs = Math.max(this.heldUntilMs, sentAtMs + leaseMs - maxClockDriftMs);
  }

  /** A record this region wrote (or was shown when its conditional write lost), sent at sentAtMs. */
  observeOwnWrite(record: ControlRecord, sentAtMs: number, returnedAtMs: number): void {
    if (this.record !== undefined && record.epoch < this.record.epoch) return;
    this.observe(record, sentAtMs, returnedAtMs);
    this.record = record;
    this.ownWriteReturnedAtMs = returnedAtMs;
  }

  /** The record as last read (undefined before the first successful read). */
  current(): ControlRecord | undefined {
    return this.record;
  }

  /** True while this region may acknowledge a write of `epoch` (and serve reads as active). */
  holds(epoch: number, nowMs: number): boolean {
    return (
      this.activeEpoch === epoch &&
      this.record?.epoch === epoch &&
      nowMs >= this.servesFromMs &&
      nowMs < this.heldUntilMs
    );
  }

  /** Where this region stands now, for admission and status. */
  state(nowMs: number): LeaseState {
    const record = this.record;
    if (record === undefined) return { kind: "unknown" };
    if (this.activeEpoch !== record.epoch) return { kind: "standby", record };
    if (nowMs < this.servesFromMs) return { kind: "waiting", record, servesFromMs: this.servesFromMs };
    if (nowMs >= this.heldUntilMs) {
      return {
        kind: "expired",
        record,
        expiredAtMs: this.heldUntilMs,
        lastRenewedAtMs: this.lastRenewedAtMs,
      };
    }
    return { kind: "held", record, heldUntilMs: this.heldUntilMs };
  }

  /** When the record was last read successfully (undefined: never). */
  lastRenewedMs(): number | undefined {
    return this.lastRenewedAtMs;
  }
}

export type LeaseState =
  | { kind: "unknown" }
  | { kind: "standby"; record: ControlRecord }
  /** Promoted, waiting for the previous holder's lease to run out. */
  | { kind: "waiting"; record: ControlRecord; servesFromMs: number }
  /** Active by the last read, but not renewed in time: acts as nothing until a renewal succeeds. */
  | { kind: "expired"; record: ControlRecord; expiredAtMs: number; lastRenewedAtMs: number | undefined }
  | { kind: "held"; record: ControlRecord; heldUntilMs: number };
