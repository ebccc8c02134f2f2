import { type Clock, sleep } from "../../core/clock.ts";
import type { Store } from "./store.ts";

/**
 * A Store whose every call takes longer by `delayMs()` (asked afresh per call), for the
 * store-latency-spike fault in the simulator and the live stack. Half of the delay comes before
 * the call and half after, as a network round trip's would: a commit lands late, and its answer
 * comes back later still, which is the case the lease's check at acknowledgement is for
 * (regions/service/write-gate.ts). Time passes on the injected clock only, so the simulator runs
 * it in virtual time. With no delay a call goes straight through.
 */
export class DelayedStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly clock: Clock,
    private readonly delayMs: () => number,
  ) {
    const json = inner.getItemJson?.bind(inner);
    if (json) this.getItemJson = (id) => this.delayed(() => json(id));
  }

  getItemJson: Store["getItemJson"];

  private async delayed<T>(call: () => Promise<T>): Promise<T> {
    const totalMs = this.delayMs();
    if (totalMs <= 0) return call();
    const beforeMs = Math.floor(totalMs / 2);
    if (beforeMs > 0) await sleep(this.clock, beforeMs);
    try {
      return await call();
    } finally {
      await sleep(this.clock, totalMs - beforeMs);
    }
  }

  ping: Store["ping"] = () => this.delayed(() => this.inner.ping());
  getItem: Store["getItem"] = (id) => this.delayed(() => this.inner.getItem(id));
  listItems: Store["listItems"] = (afterId, limit) =>
    this.delayed(() => this.inner.listItems(afterId, limit));
  getIdempotentItemId: Store["getIdempotentItemId"] = (key) =>
    this.delayed(() => this.inner.getIdempotentItemId(key));
  head: Store["head"] = () => this.delayed(() => this.inner.head());
  readLog: Store["readLog"] = (afterSeq, limit) => this.delayed(() => this.inner.readLog(afterSeq, limit));
  commit: Store["commit"] = (entry) => this.delayed(() => this.inner.commit(entry));
  clear: Store["clear"] = () => this.delayed(() => this.inner.clear());
  saveOrphans: Store["saveOrphans"] = (orphans) => this.delayed(() => this.inner.saveOrphans(orphans));
  listOrphans: Store["listOrphans"] = (afterId, limit) =>
    this.delayed(() => this.inner.listOrphans(afterId, limit));
  markOrphanReapplied: Store["markOrphanReapplied"] = (id, reapplied) =>
    this.delayed(() => this.inner.markOrphanReapplied(id, reapplied));
  close: Store["close"] = () => this.inner.close();
}

/** A settable spike (the live stack's knob): addedLatencyMs plus a uniform draw in [0, jitterMs). */
export interface StoreLatency {
  addedLatencyMs: number;
  jitterMs: number;
}

/** The delay of one call under `latency`, drawing jitter from `random()` in [0, 1). */
export function spikeDelayMs(latency: StoreLatency, random: () => number): number {
  if (latency.addedLatencyMs <= 0 && latency.jitterMs <= 0) return 0;
  return latency.addedLatencyMs + (latency.jitterMs > 0 ? Math.floor(random() * latency.jitterMs) : 0);
}
