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

  async promote(from: ControlRecord, target: string, reason: string): Promise<PromoteOutcome> {
    const next: ControlRecord = {
      activeRegion: target,
      epoch: from.epoch + 1,
      updatedAtMs: this.clock.nowMs(),
      reason: `router ${this.routerId}: ${reason}`,
    };
    try {
      const result = await this.control.compareAndSet(from.epoch, next);
      return result.ok
        ? { kind: "promoted", record: result.record }
        : { kind: "conflict", record: result.current };
    } catch (error) {
      return { kind: "error", message: (error as Error).message };
    }
  }

  /**
   * Reads the record; if none exists yet, creates epoch 1 naming `initialActive` by
   * compare-and-set (as the regions do), so whoever starts first, everyone agrees.
   */
  async load(initialActive: string): Promise<ControlRecord> {
    const record = await this.control.read();
    if (record) return record;
    const first: ControlRecord = {
      activeRegion: initialActive,
      epoch: 1,
      updatedAtMs: this.clock.nowMs(),
      reason: `bootstrap by router ${this.routerId}: initialActive from config`,
    };
    const result = await this.control.compareAndSet(null, first);
    const current = result.ok ? result.record : result.current;
    if (!current) throw new Error("control record missing after bootstrap");
    return current;
  }
}
