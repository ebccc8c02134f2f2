import type { LogEntry, LogPosition } from "../store/store.ts";

/**
 * Replication from the active region to the standby: the active region POSTs batches of its
 * log to the standby's /_replication/entries. Entries carry their seq and epoch, so a batch
 * delivered twice is applied once, and a standby whose log has diverged (a former active's
 * unreplicated tail) is detected rather than silently merged.
 */
export const REPLICATION_PATH = "/_replication/entries";

export interface ReplicationBatch {
  /** The sending region, which must be the active region in `epoch`. */
  from: string;
  epoch: number;
  /** The sender's head, so the standby can report how far behind it is. */
  senderHead: LogPosition;
  /** The entry the first entry follows; the standby refuses the batch if its head differs. */
  prev: LogPosition | null;
  entries: LogEntry[];
  /**
   * Set when the sender found the standby's log diverged after seq `resyncAfterSeq`: the
   * standby records its entries after that seq as orphaned (lost) writes, clears its data,
   * and the sender replays its whole log.
   */
  resyncAfterSeq?: number;
}

export type ReplicationReply =
  | { ok: true; head: LogPosition }
  | {
      ok: false;
      error: "gap" | "not_standby" | "stale_epoch" | "store_unavailable";
      detail: string;
      head?: LogPosition;
      epoch?: number;
    };
