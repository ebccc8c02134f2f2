import type { Clock } from "../../core/clock.ts";
import { type ControlRecord, type ControlStore, syncStandbyOf } from "../../core/control.ts";
import type { ControlView } from "../service/control-view.ts";

export interface SyncStandbyDeps {
  control: ControlStore;
  view: ControlView;
  regionName: string;
  peerName: string;
  clock: Clock;
}

/**
 * The synchronous standby as the control record names it, and the two changes the active region
 * may make to it, each a compare-and-set within its epoch. This is Patroni's synchronous mode
 * (docs/patroni-sync-mode.md): the primary may stop waiting for a standby only after
 * it has removed it from the record, and only a standby named there may be promoted
 * automatically (router/policy/failover-policy.ts). So a write acknowledged without the standby
 * is always one the routers know not to promote away from.
 */
export class SyncStandbyRecord {
  private queue: Promise<boolean> = Promise.resolve(true);

  constructor(private readonly deps: SyncStandbyDeps) {}

  /** The record (as last read) lets this region acknowledge without its standby. */
  released(): boolean {
    const record = this.deps.view.current();
    return (
      record !== undefined &&
      record.activeRegion === this.deps.regionName &&
      syncStandbyOf(record) !== this.deps.peerName
    );
  }

  /**
   * Records that there is no synchronous standby (peer -> null). True if the record now says so
   * in the epoch this region is active in; false if it could not (the epoch moved: this region
   * has been fenced, and must not acknowledge).
   */
  release(epoch: number): Promise<boolean> {
    return this.change(epoch, this.deps.peerName, null, "standby did not confirm in time");
  }

  /** Records the standby as synchronous again (null -> peer), once it holds every acknowledged write. */
  rejoin(epoch: number): Promise<boolean> {
    return this.change(epoch, null, this.deps.peerName, "standby caught up");
  }

  /** One change at a time: the lease orders this region's own writes by when they returned. */
  private change(epoch: number, from: string | null, to: string | null, why: string): Promise<boolean> {
    const run = this.queue.then(() => this.changeNow(epoch, from, to, why));
    this.queue = run.catch(() => false);
    return run;
  }

  private async changeNow(
    epoch: number,
    from: string | null,
    to: string | null,
    why: string,
  ): Promise<boolean> {
    const { control, view, regionName } = this.deps;
    const known = view.current();
    if (known === undefined || known.epoch !== epoch || known.activeRegion !== regionName) return false;
    const next: ControlRecord = {
      activeRegion: regionName,
      epoch,
      updatedAtMs: this.deps.clock.nowMs(),
      reason: `${regionName}: sync standby ${to ?? "none"} (${why})`,
      syncStandby: to,
    };
    const sentAtMs = this.deps.clock.nowMs();
    try {
      const result = await control.setSyncStandby(from, next);
      const record = result.ok ? result.record : result.current;
      if (record !== undefined) view.adopt(record, sentAtMs);
      return (
        record !== undefined &&
        record.epoch === epoch &&
        record.activeRegion === regionName &&
        syncStandbyOf(record) === to
      );
    } catch {
      return false;
    }
  }
}
