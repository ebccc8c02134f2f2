import type { LogEntry } from "../store/store.ts";

/**
 * Writes a region accepted as active that the next active region never received: when the
 * former active rejoins as standby, its diverged tail is dropped and recorded here. These are
 * acknowledged writes that were lost (the failure Jepsen found in Redis Sentinel); they are
 * counted and listed, never silently merged.
 */
export interface OrphanedWrite {
  seq: number;
  epoch: number;
  atMs: number;
  kind: "put" | "delete";
  itemId: string;
}

const KEPT_MAX = 1000;

export class OrphanedWrites {
  count = 0;
  private recent: OrphanedWrite[] = [];

  record(entries: LogEntry[]): void {
    for (const entry of entries) {
      this.count++;
      const itemId = entry.op.kind === "put" ? entry.op.item.id : entry.op.id;
      this.recent.push({ seq: entry.seq, epoch: entry.epoch, atMs: entry.atMs, kind: entry.op.kind, itemId });
    }
    if (this.recent.length > KEPT_MAX) this.recent.splice(0, this.recent.length - KEPT_MAX);
  }

  list(): OrphanedWrite[] {
    return [...this.recent];
  }
}
