import type { CompareAndSetResult, ControlRecord, ControlStore, SyncStandbyCondition } from "./control.ts";
import { ControlStoreError, retriedWriteResult } from "./control.ts";

/** One replica of the control record as a caller sees it: a name for errors, and its store. */
export interface ControlReplica {
  name: string;
  store: ControlStore;
}

/**
 * The control record as every router and region reaches it when it has several replicas (a
 * DynamoDB global table with multi-Region strong consistency, or the simulator's and live
 * stack's model of one): ask the nearest replica first, and on a ControlStoreError (it is down,
 * cut off, or has lost its quorum) the next one; throw a ControlStoreError naming every failure
 * when none answers. The replicas decide together (one record, majority-acknowledged writes), so
 * which one answers changes the latency, never the answer.
 */
export class FallbackControlStore implements ControlStore {
  /** `replicas` nearest first: the order they are tried in. */
  constructor(private readonly replicas: readonly ControlReplica[]) {
    if (replicas.length === 0) throw new Error("FallbackControlStore needs at least one replica");
  }

  /** Closes every replica's client that can be closed (DynamoDbControlStore). */
  async close(): Promise<void> {
    await Promise.all(
      this.replicas.map((r) => (r.store as ControlStore & { close?: () => Promise<void> }).close?.()),
    );
  }

  read(): Promise<ControlRecord | undefined> {
    return this.first("read", (store) => store.read());
  }

  compareAndSet(
    expectedEpoch: number | null,
    next: ControlRecord,
    expectedSyncStandby?: SyncStandbyCondition,
  ): Promise<CompareAndSetResult> {
    return this.firstWrite("compare-and-set", next, (store) =>
      store.compareAndSet(expectedEpoch, next, expectedSyncStandby),
    );
  }

  setSyncStandby(expectedSyncStandby: string | null, next: ControlRecord): Promise<CompareAndSetResult> {
    return this.firstWrite("set-sync-standby", next, (store) =>
      store.setSyncStandby(expectedSyncStandby, next),
    );
  }

  /**
   * A conditional write retried on another replica after a failure may find its own first
   * attempt already applied (the answer was lost, not the write): the condition then fails on
   * exactly `next`, which means this call won (as DynamoDbControlStore does for SDK retries).
   */
  private async firstWrite(
    what: string,
    next: ControlRecord,
    call: (store: ControlStore) => Promise<CompareAndSetResult>,
  ): Promise<CompareAndSetResult> {
    let failedBefore = false;
    return this.first(what, async (store) => {
      try {
        const result = await call(store);
        return !result.ok && failedBefore ? retriedWriteResult(result.current, next) : result;
      } catch (error) {
        failedBefore = true;
        throw error;
      }
    });
  }

  private async first<T>(what: string, call: (store: ControlStore) => Promise<T>): Promise<T> {
    const failures: string[] = [];
    for (const replica of this.replicas) {
      try {
        return await call(replica.store);
      } catch (error) {
        if (!(error instanceof ControlStoreError)) throw error;
        failures.push(
          error.message.startsWith(replica.name) ? error.message : `${replica.name}: ${error.message}`,
        );
      }
    }
    throw new ControlStoreError(`control ${what}: no replica answered (${failures.join("; ")})`);
  }
}
