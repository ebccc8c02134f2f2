import { type CompareAndSetResult, type ControlRecord, MemoryControlStore } from "../../core/control.ts";

export interface ControlChange {
  /** Exact run time (ms) of the compare-and-set. */
  atMs: number;
  from: ControlRecord | undefined;
  to: ControlRecord;
}

/**
 * The one control record every router and region of a cell shares, which also records each
 * successful compare-and-set as it happens: the run's ground truth for "which region was
 * active when" (promotions, split-brain checks).
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
  ): Promise<CompareAndSetResult> {
    const result = await super.compareAndSet(expectedEpoch, next);
    if (result.ok) {
      const change = { atMs: this.nowMs(), from: this.known, to: { ...result.record } };
      this.known = change.to;
      this.changes.push(change);
      this.onChange?.(change);
    }
    return result;
  }

  /** The record as it is now, read without going through `down` (checkers only). */
  current(): ControlRecord | undefined {
    return this.known;
  }
}
