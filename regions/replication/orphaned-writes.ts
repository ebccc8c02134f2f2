import type { Clock } from "../../core/clock.ts";
import { type LogEntry, type OrphanedWrite, orphanId, type Store } from "../store/store.ts";

/**
 * Writes a region accepted as active that the next active region never received: when the
 * former active rejoins as standby, its diverged tail is dropped from its log and kept here,
 * whole and in its store (Store.saveOrphans), before the resync clears the data. These are
 * acknowledged writes that were lost (the failure Jepsen found in Redis Sentinel); they are
 * counted and listed, never silently merged, and an operator may re-apply them on purpose
 * (`failover orphans reapply`).
 */
export class OrphanedWrites {
  /** Orphans recorded by this process (the metric and /region); the store holds them all. */
  count = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Saves the entries as orphans; resolves only once they are durable. */
  async record(entries: LogEntry[]): Promise<void> {
    const orphanedAtMs = this.clock.nowMs();
    await this.store.saveOrphans(entries.map((entry) => ({ id: orphanId(entry), entry, orphanedAtMs })));
    this.count += entries.length;
  }

  list(afterId: string | undefined, limit: number): Promise<OrphanedWrite[]> {
    return this.store.listOrphans(afterId, limit);
  }
}

/** How an orphan is shown (GET /region/orphaned, `failover orphans list`): the entry and a summary. */
export function orphanView(orphan: OrphanedWrite) {
  const { entry } = orphan;
  return {
    id: orphan.id,
    seq: entry.seq,
    epoch: entry.epoch,
    origin: entry.origin,
    atMs: entry.atMs,
    kind: entry.op.kind,
    itemId: entry.op.kind === "put" ? entry.op.item.id : entry.op.id,
    orphanedAtMs: orphan.orphanedAtMs,
    reapplied: orphan.reapplied ?? null,
    entry,
  };
}

export type OrphanView = ReturnType<typeof orphanView>;
