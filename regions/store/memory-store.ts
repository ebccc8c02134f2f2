import {
  type CommitResult,
  type Item,
  type LogEntry,
  type LogPosition,
  type MarkReappliedResult,
  type OrphanedWrite,
  type OrphanReapplied,
  type Store,
  StoreUnavailableError,
  type WriteOp,
} from "./store.ts";

/**
 * The embedded default: a region's data in process memory. Same contract as the DynamoDB
 * adapter (test/store). `down` lets the simulator and tests take the store away.
 *
 * What it stores is a deep-frozen copy made once at commit, and reads hand that out as is: a
 * caller cannot change stored data (a write to a frozen object throws in an ES module), and a
 * read costs no copy (structuredClone per read was the simulator's largest single cost).
 */
export class MemoryStore implements Store {
  private items = new Map<string, Item>();
  /** Item ids in ascending order; ULIDs mostly arrive in order, so inserts are usually appends. */
  private sortedIds: string[] = [];
  private log: LogEntry[] = [];
  private idempotency = new Map<string, string>();
  /** Stored items' JSON text by id, made at a read (getItemJson), dropped at a write. */
  private itemJson = new Map<string, string>();
  /** Orphaned writes by id; never cleared (see Store.saveOrphans). */
  private orphans = new Map<string, OrphanedWrite>();
  down = false;

  async ping(): Promise<void> {
    this.throwIfDown();
  }

  async getItem(id: string): Promise<Item | undefined> {
    this.throwIfDown();
    return this.items.get(id);
  }

  async getItemJson(id: string): Promise<string | undefined> {
    this.throwIfDown();
    let text = this.itemJson.get(id);
    if (text !== undefined) return text;
    const item = this.items.get(id);
    if (item === undefined) return undefined;
    // Stored items are frozen all the way down, so the text stays right until the item is
    // written again (putItem and deleteItem drop it). Reads go mostly to recent items: a
    // bounded cache, emptied when full, keeps them without growing with the store.
    text = JSON.stringify(item);
    if (this.itemJson.size >= ITEM_JSON_CACHED) this.itemJson.clear();
    this.itemJson.set(id, text);
    return text;
  }

  async listItems(afterId: string | undefined, limit: number): Promise<Item[]> {
    this.throwIfDown();
    const start = afterId === undefined ? 0 : upperBound(this.sortedIds, afterId);
    return this.sortedIds.slice(start, start + limit).map((id) => this.items.get(id)!);
  }

  async getIdempotentItemId(key: string): Promise<string | undefined> {
    this.throwIfDown();
    return this.idempotency.get(key);
  }

  async head(): Promise<LogPosition> {
    this.throwIfDown();
    const last = this.log[this.log.length - 1];
    return last ? { seq: last.seq, epoch: last.epoch } : { seq: 0, epoch: 0 };
  }

  async readLog(afterSeq: number, limit: number): Promise<LogEntry[]> {
    this.throwIfDown();
    // Sequence numbers are dense from 1, so seq n sits at index n - 1.
    return this.log.slice(Math.max(0, afterSeq), Math.max(0, afterSeq) + limit);
  }

  async commit(entry: LogEntry): Promise<CommitResult> {
    this.throwIfDown();
    const headSeq = this.log.length;
    if (entry.seq !== headSeq + 1) return { ok: false, reason: "seq_conflict", headSeq };
    if (entry.idempotencyKey !== undefined) {
      const existing = this.idempotency.get(entry.idempotencyKey);
      if (existing !== undefined) return { ok: false, reason: "idempotency_conflict", itemId: existing };
    }
    const stored = frozenCopy(entry);
    if (stored.op.kind === "put") this.putItem(stored.op.item);
    else this.deleteItem(stored.op.id);
    // Every op carrying a key records the item it acted on: a router-named DELETE retried after
    // a failover must find that its first attempt was applied (regions/service/write-identity.ts).
    if (stored.idempotencyKey !== undefined) {
      this.idempotency.set(
        stored.idempotencyKey,
        stored.op.kind === "put" ? stored.op.item.id : stored.op.id,
      );
    }
    this.log.push(stored);
    return { ok: true };
  }

  async clear(): Promise<void> {
    this.throwIfDown();
    this.items.clear();
    this.sortedIds = [];
    this.log = [];
    this.idempotency.clear();
    this.itemJson.clear();
  }

  async saveOrphans(orphans: OrphanedWrite[]): Promise<void> {
    this.throwIfDown();
    for (const orphan of orphans) {
      if (!this.orphans.has(orphan.id)) this.orphans.set(orphan.id, structuredClone(orphan));
    }
  }

  async listOrphans(afterId: string | undefined, limit: number): Promise<OrphanedWrite[]> {
    this.throwIfDown();
    // Orphans are few (one resync's diverged tail at a time): sorting on read is cheap enough.
    return [...this.orphans.keys()]
      .filter((id) => afterId === undefined || id > afterId)
      .sort()
      .slice(0, limit)
      .map((id) => structuredClone(this.orphans.get(id)!));
  }

  async markOrphanReapplied(id: string, reapplied: OrphanReapplied): Promise<MarkReappliedResult> {
    this.throwIfDown();
    const orphan = this.orphans.get(id);
    if (!orphan) return { ok: false, reason: "not_found" };
    if (orphan.reapplied) return { ok: false, reason: "already_reapplied", orphan: structuredClone(orphan) };
    orphan.reapplied = { ...reapplied };
    return { ok: true, orphan: structuredClone(orphan) };
  }

  async close(): Promise<void> {}

  /** Number of items held (simulator and tests). */
  size(): number {
    return this.items.size;
  }

  private putItem(item: Item): void {
    this.itemJson.delete(item.id);
    if (!this.items.has(item.id)) {
      const last = this.sortedIds[this.sortedIds.length - 1];
      if (last === undefined || last < item.id) this.sortedIds.push(item.id);
      else this.sortedIds.splice(upperBound(this.sortedIds, item.id), 0, item.id);
    }
    this.items.set(item.id, item);
  }

  private deleteItem(id: string): void {
    this.itemJson.delete(id);
    if (!this.items.delete(id)) return;
    const index = upperBound(this.sortedIds, id) - 1;
    if (this.sortedIds[index] === id) this.sortedIds.splice(index, 1);
  }

  private throwIfDown(): void {
    if (this.down) throw new StoreUnavailableError("memory store is down (fault injected)");
  }
}

/** Items whose JSON text is kept (a few hundred KB; the simulator's clients read the 256 newest). */
const ITEM_JSON_CACHED = 4096;

/** Index of the first element greater than `value`. */
function upperBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A deep copy of a log entry, frozen all the way down (item data is JSON: see store.ts).
 *
 * Built from literals on purpose, not `Object.freeze({ ...entry })`: V8 gives each frozen object
 * made by spreading its own hidden class, which cost hundreds of extra bytes per stored item and
 * made every property read of a stored item megamorphic (checked with %HaveSameMap).
 */
function frozenCopy(entry: LogEntry): LogEntry {
  const op: WriteOp =
    entry.op.kind === "put"
      ? Object.freeze({ kind: "put" as const, item: frozenItem(entry.op.item) })
      : Object.freeze({ kind: "delete" as const, id: entry.op.id });
  const { seq, epoch, origin, atMs, idempotencyKey } = entry;
  return Object.freeze(
    idempotencyKey === undefined
      ? { seq, epoch, origin, atMs, op }
      : { seq, epoch, origin, atMs, op, idempotencyKey },
  );
}

function frozenItem(item: Item): Item {
  const { id, data, createdAtMs, updatedAtMs, version } = item;
  return Object.freeze({ id, data: frozenJson(data), createdAtMs, updatedAtMs, version });
}

/**
 * Copies and freezes a JSON value in one pass (a third of the cost of structuredClone and then
 * a freezing walk, measured in the simulator: commits were a tenth of a write-heavy run).
 */
function frozenJson<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenJson)) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = frozenJson((value as Record<string, unknown>)[key]);
  return Object.freeze(out) as T;
}
