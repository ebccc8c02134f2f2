/**
 * A region's data: its items, its replication log and its idempotency keys. One interface,
 * two adapters (memory, DynamoDB), one contract suite (test/store/store-contract.ts).
 *
 * Every change goes through `commit`, which applies one log entry: the item change, the log
 * append at `seq = head + 1`, and the idempotency key if any, all or nothing. The active region
 * commits its own writes; the standby commits the entries replicated to it, with the same
 * sequence numbers, so applying the same entry twice is a no-op (idempotent replication) and
 * a promoted standby's log continues where the old active's left off.
 */

/** A stored item. `id` is a ULID: sortable by creation time, unique across regions with no coordination. */
export interface Item {
  id: string;
  /** JSON values only (what the items API accepts): stores copy and compare them as JSON. */
  data: Record<string, unknown>;
  createdAtMs: number;
  updatedAtMs: number;
  /** Increments on every PUT; starts at 1. */
  version: number;
}

export type WriteOp = { kind: "put"; item: Item } | { kind: "delete"; id: string };

export interface LogEntry {
  /** Position in the region's log; the first entry is 1. */
  seq: number;
  /** The control-record epoch the write was accepted in (fencing, divergence detection). */
  epoch: number;
  /** The region that accepted the write from a client. */
  origin: string;
  /** When the active region accepted it (replication lag is measured from here). */
  atMs: number;
  op: WriteOp;
  /** Set on item creation with an Idempotency-Key header; the key then maps to op.item.id. */
  idempotencyKey?: string;
}

export type CommitResult =
  | { ok: true }
  /** `seq` is not head + 1: another writer got there first, or an entry is missing. */
  | { ok: false; reason: "seq_conflict"; headSeq: number }
  /** The idempotency key is already taken; nothing was written. */
  | { ok: false; reason: "idempotency_conflict"; itemId: string };

export interface LogPosition {
  seq: number;
  epoch: number;
}

/**
 * A write this region accepted as active that the next active region never received: kept
 * whole (its log entry) when the region rejoins as standby and its diverged tail is dropped,
 * so an operator can see it and re-apply it on purpose (`failover orphans`).
 */
export interface OrphanedWrite {
  /** `orphanId(entry)`: sorts by epoch, then seq. */
  id: string;
  entry: LogEntry;
  /** When the resync that dropped it from the log ran. */
  orphanedAtMs: number;
  /** Set once an operator re-applied it through the active region's write path. */
  reapplied?: OrphanReapplied;
}

export interface OrphanReapplied {
  atMs: number;
  /** The region whose write path took it, and the new log entry it became there. */
  region: string;
  seq: number;
  epoch: number;
}

export type MarkReappliedResult =
  | { ok: true; orphan: OrphanedWrite }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "already_reapplied"; orphan: OrphanedWrite };

/** Zero-padded, so ids sort as epoch then seq (16 digits hold any safe integer). */
export function orphanId(entry: Pick<LogEntry, "epoch" | "seq">): string {
  return `e${String(entry.epoch).padStart(16, "0")}-s${String(entry.seq).padStart(16, "0")}`;
}

export interface Store {
  /** Resolves if the store answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  getItem(id: string): Promise<Item | undefined>;
  /**
   * The item as JSON text, exactly `JSON.stringify(await getItem(id))`; optional. A store that
   * holds immutable items can keep the text, so a read does not serialise the same item again
   * (JSON.stringify of an item, with its millisecond timestamps, costs over 1 us: issue 18).
   */
  getItemJson?(id: string): Promise<string | undefined>;
  /** Items with id > afterId (all if undefined), in id order, at most `limit`. */
  listItems(afterId: string | undefined, limit: number): Promise<Item[]>;
  /** The item created with this idempotency key, if any. */
  getIdempotentItemId(key: string): Promise<string | undefined>;
  /** The last committed entry's position ({0, 0} for an empty log). */
  head(): Promise<LogPosition>;
  /** Entries with seq > afterSeq, in order, at most `limit`. */
  readLog(afterSeq: number, limit: number): Promise<LogEntry[]>;
  /** Applies one entry atomically: item change + log append + idempotency key. */
  commit(entry: LogEntry): Promise<CommitResult>;
  /**
   * Removes every item, log entry and key. Used when a former active region rejoins as standby
   * with a log tail the new active never received (diverged): it is resynced from seq 1.
   */
  clear(): Promise<void>;
  /**
   * Keeps orphaned writes (whole) before a resync clears the log; saving one again is a no-op.
   * They survive clear(): they are what clear() would otherwise lose.
   */
  saveOrphans(orphans: OrphanedWrite[]): Promise<void>;
  /** Orphans with id > afterId (all if undefined), in id order, at most `limit`. */
  listOrphans(afterId: string | undefined, limit: number): Promise<OrphanedWrite[]>;
  /** Records that an orphan was re-applied; refuses one already marked. */
  markOrphanReapplied(id: string, reapplied: OrphanReapplied): Promise<MarkReappliedResult>;
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}
