import {
  type CompareAndSetResult,
  type ControlRecord,
  MemoryControlStore,
  type SyncStandbyCondition,
} from "../../core/control.ts";

export interface ControlChange {
  /** Exact run time (ms) of the change. */
  atMs: number;
  /** A compare-and-set on the epoch (promotions), or a change of the sync standby alone. */
  kind: "compare-and-set" | "sync-standby";
  from: ControlRecord | undefined;
  to: ControlRecord;
}

/**
 * The one authoritative control record of a cell (the engine the control replicas serve, see
 * control-replicas.ts), which also records each successful change as it happens: the run's
 * ground truth for "which region was active when" (promotions, split-brain checks) and "which
 * standby was recorded as in sync when".
 */
export class ObservedControlStore extends MemoryControlStore {
  private known: ControlRecord | undefined;
  readonly changes: ControlChange[] = [];
  onChange: ((change: ControlChange) => void) | undefined;

  constructor(
    private readonly nowMs: () => number,
    initial?: ControlRecord,
  ) {
    super(initial);
    this.known = initial ? { ...initial } : undefined;
  }

  override async compareAndSet(
    expectedEpoch: number | null,
    next: ControlRecord,
    expectedSyncStandby?: SyncStandbyCondition,
  ): Promise<CompareAndSetResult> {
    const result = await super.compareAndSet(expectedEpoch, next, expectedSyncStandby);
    if (result.ok) this.note("compare-and-set", result.record);
    return result;
  }

  override async setSyncStandby(
    expectedSyncStandby: string | null,
    next: ControlRecord,
  ): Promise<CompareAndSetResult> {
    const result = await super.setSyncStandby(expectedSyncStandby, next);
    if (result.ok) this.note("sync-standby", result.record);
    return result;
  }

  /** The record as it is now, read without going through `down` (checkers only). */
  current(): ControlRecord | undefined {
    return this.known;
  }

  private note(kind: ControlChange["kind"], to: ControlRecord): void {
    const change = { atMs: this.nowMs(), kind, from: this.known, to: { ...to } };
    this.known = change.to;
    this.changes.push(change);
    this.onChange?.(change);
  }
}
