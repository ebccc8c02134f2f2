import type { Clock } from "../../core/clock.ts";
import type { ControlRecord, ControlStore } from "../../core/control.ts";

export type PromoteOutcome =
  | { kind: "promoted"; record: ControlRecord }
  /** Another router (or an operator) changed the record first: adopt `record`, do not retry blindly. */
  | { kind: "conflict"; record: ControlRecord | undefined }
  | { kind: "error"; message: string };

/**
 * Moves the active role by compare-and-set on the control record's epoch (e -> e+1), so routers
 * at several edges converge on one active region and the old one is fenced: a region accepts
 * writes only in the epoch that names it, and a router tags writes with the epoch it knows.
 */
export class Promoter {
  constructor(
    private readonly control: ControlStore,
    private readonly clock: Clock,
    private readonly routerId: string,
  ) {}

  /**
   * `requireSync`: sync replication; the promotion holds only if the record still names `target`
   * as the synchronous standby when it is decided (the active region may have removed it since
   * this router read the record). The new active starts with no synchronous standby: the old
   * one is typically gone, and it is named again once it has caught up (sync-standby.ts).
   */
  async promote(
    from: ControlRecord,
    target: string,
    reason: string,
    requireSync = false,
  ): Promise<PromoteOutcome> {
    const next: ControlRecord = {
      activeRegion: target,
      epoch: from.epoch + 1,
      updatedAtMs: this.clock.nowMs(),
      reason: `router ${this.routerId}: ${reason}`,
      syncStandby: null,
    };
    try {
      const result = await this.control.compareAndSet(from.epoch, next, requireSync ? target : undefined);
      return result.ok
        ? { kind: "promoted", record: result.record }
        : { kind: "conflict", record: result.current };
    } catch (error) {
      return { kind: "error", message: (error as Error).message };
    }
  }

  /**
   * Reads the record; if none exists yet, creates epoch 1 naming `initialActive` by
   * compare-and-set (as the regions do), so whoever starts first, everyone agrees. In sync mode
   * the other region starts as the synchronous standby: both stores are empty, so it holds
   * every acknowledged write.
   */
  async load(initialActive: string, syncStandby: string | null = null): Promise<ControlRecord> {
    const record = await this.control.read();
    if (record) return record;
    const first: ControlRecord = {
      activeRegion: initialActive,
      epoch: 1,
      updatedAtMs: this.clock.nowMs(),
      reason: `bootstrap by router ${this.routerId}: initialActive from config`,
      syncStandby,
    };
    const result = await this.control.compareAndSet(null, first);
    const current = result.ok ? result.record : result.current;
    if (!current) throw new Error("control record missing after bootstrap");
    return current;
  }
}
