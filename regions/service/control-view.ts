import type { LeaseConfig } from "../../config/control-plane-schema.ts";
import { type Clock, sleep, type TimerHandle } from "../../core/clock.ts";
import type { ControlRecord, ControlStore } from "../../core/control.ts";
import { Lease, type LeaseState } from "./lease.ts";

export type Role = "active" | "standby";

/**
 * A region's view of the control record, and its lease on it (lease.ts). The record is re-read
 * every `renewIntervalMs`; writes, replication and status use what the lease holds, so no
 * request pays a round trip to the control plane, which may be on another continent (AWS's
 * guidance: calls should not cross regions). A write tagged with a newer epoch than the one
 * known renews at once (a router has promoted this region).
 * If no record exists yet, the first region to ask creates it naming the configured initial
 * active region, by compare-and-set, so two regions starting together agree.
 */
export class ControlView {
  private readonly lease: Lease;
  private lastError: string | undefined;
  private renewing: Promise<ControlRecord> | undefined;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly control: ControlStore,
    private readonly regionName: string,
    private readonly initialActive: string,
    private readonly clock: Clock,
    private readonly leaseConfig: LeaseConfig,
    /** The bootstrap record's synchronous standby (sync mode: the other region; else null). */
    private readonly bootstrapSyncStandby: string | null = null,
  ) {
    this.lease = new Lease(regionName, leaseConfig);
  }

  /** Starts renewing the lease on the injected clock. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.renewLoop();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
  }

  /**
   * Reads the record now (one renewal; concurrent callers share it). Rejects if the control
   * plane cannot be reached; the lease then runs out on its own.
   */
  read(): Promise<ControlRecord> {
    this.renewing ??= this.readOnce().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /**
   * A record this region wrote itself by compare-and-set (or was shown when its write lost),
   * sent at sentAtMs: as good as a read for the lease, since the write was decided after then.
   */
  adopt(record: ControlRecord, sentAtMs: number): void {
    this.lease.observeOwnWrite(record, sentAtMs, this.clock.nowMs());
  }

  /**
   * A read of its own, not joined to one in flight: one sent before now may have been served
   * before a promotion, and may be too old to hold the lease by the time it returns.
   */
  freshRead(): Promise<ControlRecord> {
    return this.readOnce();
  }

  /** The record as last read, without a round trip (undefined before the first read). */
  current(): ControlRecord | undefined {
    return this.lease.current();
  }

  leaseState(): LeaseState {
    return this.lease.state(this.clock.nowMs());
  }

  /** True while this region may acknowledge a write made in `epoch`. */
  holds(epoch: number): boolean {
    return this.lease.holds(epoch, this.clock.nowMs());
  }

  /**
   * The lease once any wait for a predecessor's lease is over (writes and reads both need it).
   * A lease that has lapsed is renewed once, with a read of its own: the renewal timer may not
   * have run yet, or the read that taught this region its promotion is older than a lease by the
   * end of the wait. A timer may fire a millisecond before the wall clock reaches its time, so the
   * wait is repeated (a few times at most) until the clock has reached it.
   */
  async settledLease(): Promise<LeaseState> {
    let state = this.leaseState();
    let renewed = false;
    for (let tries = 0; tries < 5; tries++) {
      if (state.kind === "expired" && !renewed) {
        renewed = true;
        await this.freshRead().catch(() => undefined);
        state = this.leaseState();
      }
      if (state.kind !== "waiting") return state;
      await this.waitUntil(state.servesFromMs + (tries === 0 ? 0 : 1));
      state = this.leaseState();
    }
    return state;
  }

  /** Waits on the injected clock until `atMs` (a promoted region waiting out its predecessor's lease). */
  async waitUntil(atMs: number): Promise<void> {
    const delayMs = atMs - this.clock.nowMs();
    if (delayMs > 0) await sleep(this.clock, delayMs);
  }

  lastRenewedMs(): number | undefined {
    return this.lease.lastRenewedMs();
  }

  get leaseMs(): number {
    return this.leaseConfig.leaseMs;
  }

  roleIn(record: ControlRecord): Role {
    return record.activeRegion === this.regionName ? "active" : "standby";
  }

  /** The last record read successfully, and the last error if the latest read failed. */
  snapshot(): { record: ControlRecord | undefined; error: string | undefined } {
    return { record: this.lease.current(), error: this.lastError };
  }

  private async renewLoop(): Promise<void> {
    try {
      await this.read();
    } catch {
      // Recorded in lastError; the lease runs out by itself if renewals keep failing.
    }
    if (!this.running) return;
    this.timer = this.clock.setTimer(this.leaseConfig.renewIntervalMs, () => void this.renewLoop());
  }

  private async readOnce(): Promise<ControlRecord> {
    const sentAtMs = this.clock.nowMs();
    try {
      let record = await this.control.read();
      if (!record) {
        const first: ControlRecord = {
          activeRegion: this.initialActive,
          epoch: 1,
          updatedAtMs: this.clock.nowMs(),
          reason: `bootstrap by ${this.regionName}: initialActive from config`,
          syncStandby: this.bootstrapSyncStandby,
        };
        const result = await this.control.compareAndSet(null, first);
        record = result.ok ? result.record : result.current;
        if (!record) throw new Error("control record missing after bootstrap");
      }
      this.lease.observe(record, sentAtMs, this.clock.nowMs());
      this.lastError = undefined;
      return record;
    } catch (error) {
      this.lastError = (error as Error).message;
      throw error;
    }
  }
}
