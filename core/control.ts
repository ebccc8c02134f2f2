/**
 * The control record: which region is active and in which epoch. Every router and region
 * reads it; promotion is a compare-and-set on the epoch, so routers at several edges converge
 * on one active region and a region accepts writes only in the epoch that names it (fencing).
 *
 * It must live where every router and region can reach it with conditional writes: a DynamoDB
 * table in production (a global table with strong consistency, or one home region), one shared
 * in-memory record inside a single process (`failover up`, the simulator, tests).
 */
export interface ControlRecord {
  activeRegion: string;
  /** Increases by one on every promotion. Writes tagged with a lower epoch are refused. */
  epoch: number;
  updatedAtMs: number;
  /** Who changed it and why, e.g. "router edge-1: failover (3 consecutive refused)". */
  reason: string;
}

export type CompareAndSetResult =
  | { ok: true; record: ControlRecord }
  | { ok: false; current: ControlRecord | undefined };

export interface ControlStore {
  read(): Promise<ControlRecord | undefined>;
  /**
   * Writes `next` only if the stored epoch equals `expectedEpoch` (or no record exists and
   * `expectedEpoch` is null). `next.epoch` must be `expectedEpoch + 1` (or 1 for the first record).
   */
  compareAndSet(expectedEpoch: number | null, next: ControlRecord): Promise<CompareAndSetResult>;
}

export class ControlStoreError extends Error {
  override name = "ControlStoreError";
}

/** Checks the epoch rule every ControlStore adapter enforces before writing. */
export function assertNextEpoch(expectedEpoch: number | null, next: ControlRecord): void {
  const wanted = expectedEpoch === null ? 1 : expectedEpoch + 1;
  if (next.epoch !== wanted) {
    throw new ControlStoreError(`next epoch must be ${wanted}, got ${next.epoch}`);
  }
}

/** A control record held in memory: shared by every router and region in one process. */
export class MemoryControlStore implements ControlStore {
  private record: ControlRecord | undefined;
  /** Set by fault injection: a store that is down rejects every call. */
  down = false;

  constructor(initial?: ControlRecord) {
    this.record = initial ? { ...initial } : undefined;
  }

  async read(): Promise<ControlRecord | undefined> {
    this.throwIfDown();
    return this.record ? { ...this.record } : undefined;
  }

  async compareAndSet(expectedEpoch: number | null, next: ControlRecord): Promise<CompareAndSetResult> {
    this.throwIfDown();
    assertNextEpoch(expectedEpoch, next);
    const currentEpoch = this.record?.epoch ?? null;
    if (currentEpoch !== expectedEpoch)
      return { ok: false, current: this.record ? { ...this.record } : undefined };
    this.record = { ...next };
    return { ok: true, record: { ...next } };
  }

  private throwIfDown(): void {
    if (this.down) throw new ControlStoreError("control store unreachable");
  }
}
