import type { Clock } from "../../core/clock.ts";
import type { ControlRecord, ControlStore } from "../../core/control.ts";

export type Role = "active" | "standby";

/**
 * A region's view of the control record. Every write reads it afresh (a write is fenced by the
 * record as it is now, not as it was cached); readiness and status use the last good read.
 * If no record exists yet, the first region to ask creates it naming the configured initial
 * active region, by compare-and-set, so two regions starting together agree.
 */
export class ControlView {
  private lastRecord: ControlRecord | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly control: ControlStore,
    private readonly regionName: string,
    private readonly initialActive: string,
    private readonly clock: Clock,
  ) {}

  async read(): Promise<ControlRecord> {
    try {
      let record = await this.control.read();
      if (!record) {
        const first: ControlRecord = {
          activeRegion: this.initialActive,
          epoch: 1,
          updatedAtMs: this.clock.nowMs(),
          reason: `bootstrap by ${this.regionName}: initialActive from config`,
        };
        const result = await this.control.compareAndSet(null, first);
        record = result.ok ? result.record : result.current;
        if (!record) throw new Error("control record missing after bootstrap");
      }
      this.lastRecord = record;
      this.lastError = undefined;
      return record;
    } catch (error) {
      this.lastError = (error as Error).message;
      throw error;
    }
  }

  roleIn(record: ControlRecord): Role {
    return record.activeRegion === this.regionName ? "active" : "standby";
  }

  /** The last record read successfully, and the last error if the latest read failed. */
  snapshot(): { record: ControlRecord | undefined; error: string | undefined } {
    return { record: this.lastRecord, error: this.lastError };
  }
}
