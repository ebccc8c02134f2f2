/**
 * The control record: which region is active, in which epoch, and (sync replication) which
 * standby is recorded as holding every acknowledged write. Every router and region reads it;
 * promotion is a compare-and-set on the epoch, so routers at several edges converge on one
 * active region and a region acknowledges writes only under a lease on the epoch that names it
 * (fencing; see regions/service/lease.ts).
 *
 * It must live where every router and region can reach it with conditional writes, and it must
 * survive the loss of any one service region: in production a DynamoDB global table with
 * multi-Region strong consistency (MRSC: three replicas, or two and a witness, in one region set;
 * docs/leases.md), in the live stack and the simulator a model of it
 * (control replicas on the network), in one process a shared in-memory record (tests).
 */
export interface ControlRecord {
  activeRegion: string;
  /** Increases by one on every promotion. Writes tagged with a lower epoch are refused. */
  epoch: number;
  updatedAtMs: number;
  /** Who changed it and why, e.g. "router edge-1: failover (3 consecutive refused)". */
  reason: string;
  /**
   * Synchronous replication, as Patroni's synchronous mode records it: the standby that holds
   * every write the active region has acknowledged, or null when the active region has recorded
   * that it acknowledges without one. Only a region named here may be promoted automatically;
   * the active region may stop waiting for its standby only after it has set this to null by
   * compare-and-set. Absent (undefined) means the same as null; async mode leaves it null.
   */
  syncStandby?: string | null;
}

export type CompareAndSetResult =
  | { ok: true; record: ControlRecord }
  | { ok: false; current: ControlRecord | undefined };

/** A condition on the record's sync standby (undefined: not checked; null: none recorded). */
export type SyncStandbyCondition = string | null | undefined;

export interface ControlStore {
  read(): Promise<ControlRecord | undefined>;
  /**
   * Writes `next` only if the stored epoch equals `expectedEpoch` (or no record exists and
   * `expectedEpoch` is null), and, when `expectedSyncStandby` is given, the stored sync standby
   * equals it (absent counts as null). `next.epoch` must be `expectedEpoch + 1` (or 1 for the
   * first record).
   */
  compareAndSet(
    expectedEpoch: number | null,
    next: ControlRecord,
    expectedSyncStandby?: SyncStandbyCondition,
  ): Promise<CompareAndSetResult>;
  /**
   * Changes only the sync standby, within one epoch: writes `next` if the stored epoch equals
   * `next.epoch` and the stored sync standby equals `expectedSyncStandby` (absent counts as
   * null). The active role and the epoch must be unchanged in `next`.
   */
  setSyncStandby(expectedSyncStandby: string | null, next: ControlRecord): Promise<CompareAndSetResult>;
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

/**
 * A copy as every adapter stores and returns it: a null sync standby is left out, so a record
 * reads back equal to what was written whichever adapter holds it.
 */
export function storedForm(record: ControlRecord): ControlRecord {
  const { syncStandby, ...rest } = record;
  return syncStandby === null || syncStandby === undefined ? { ...rest } : { ...rest, syncStandby };
}

/** The stored sync standby, absent read as null. */
export function syncStandbyOf(record: ControlRecord | undefined): string | null {
  return record?.syncStandby ?? null;
}

/**
 * Whether a stored record passes a compare-and-set condition (shared by the in-memory adapters
 * so they cannot drift apart; DynamoDB states the same rule as a ConditionExpression).
 */
export function conditionHolds(
  current: ControlRecord | undefined,
  expectedEpoch: number | null,
  expectedSyncStandby: SyncStandbyCondition,
): boolean {
  if ((current?.epoch ?? null) !== expectedEpoch) return false;
  return expectedSyncStandby === undefined || syncStandbyOf(current) === expectedSyncStandby;
}

/**
 * The answer to a conditional write whose condition failed on `current`, when an earlier attempt
 * of the same call may have landed (the answer was lost, not the write: an SDK retry, or the next
 * replica tried after a failure): finding exactly `next` stored means this call won.
 */
export function retriedWriteResult(
  current: ControlRecord | undefined,
  next: ControlRecord,
): CompareAndSetResult {
  return current !== undefined && sameRecord(current, next)
    ? { ok: true, record: storedForm(next) }
    : { ok: false, current };
}

function sameRecord(a: ControlRecord, b: ControlRecord): boolean {
  return (
    a.activeRegion === b.activeRegion &&
    a.epoch === b.epoch &&
    a.updatedAtMs === b.updatedAtMs &&
    a.reason === b.reason &&
    syncStandbyOf(a) === syncStandbyOf(b)
  );
}

/** Checks a sync-standby change keeps the role and epoch of the record it replaces. */
export function sameRole(current: ControlRecord | undefined, next: ControlRecord): boolean {
  return current !== undefined && current.epoch === next.epoch && current.activeRegion === next.activeRegion;
}

/** A control record held in memory: shared by every router and region in one process. */
export class MemoryControlStore implements ControlStore {
  private record: ControlRecord | undefined;
  /** Set by fault injection: a store that is down rejects every call. */
  down = false;

  constructor(initial?: ControlRecord) {
    this.record = initial ? storedForm(initial) : undefined;
  }

  async read(): Promise<ControlRecord | undefined> {
    this.throwIfDown();
    return this.record ? { ...this.record } : undefined;
  }

  async compareAndSet(
    expectedEpoch: number | null,
    next: ControlRecord,
    expectedSyncStandby?: SyncStandbyCondition,
  ): Promise<CompareAndSetResult> {
    this.throwIfDown();
    assertNextEpoch(expectedEpoch, next);
    if (!conditionHolds(this.record, expectedEpoch, expectedSyncStandby))
      return { ok: false, current: this.record ? { ...this.record } : undefined };
    this.record = storedForm(next);
    return { ok: true, record: storedForm(next) };
  }

  async setSyncStandby(
    expectedSyncStandby: string | null,
    next: ControlRecord,
  ): Promise<CompareAndSetResult> {
    this.throwIfDown();
    if (!sameRole(this.record, next) || !conditionHolds(this.record, next.epoch, expectedSyncStandby)) {
      return { ok: false, current: this.record ? { ...this.record } : undefined };
    }
    this.record = storedForm(next);
    return { ok: true, record: storedForm(next) };
  }

  private throwIfDown(): void {
    if (this.down) throw new ControlStoreError("control store unreachable");
  }
}
