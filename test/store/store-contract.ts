import { monotonicFactory } from "ulid";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Item, type LogEntry, orphanId, type Store, type WriteOp } from "../../regions/store/store.ts";

/**
 * The behaviour every Store adapter must have (regions/store/store.ts). Run once per adapter:
 * memory-store.test.ts, dynamodb-store.test.ts. `makeStore` must return an empty store that
 * no other test uses.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const nextId = monotonicFactory();

    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    /** Commits entries 1..n (or from `fromSeq`), asserting each one is accepted. */
    async function commitAll(ops: WriteOp[], fromSeq = 1, epoch = 1): Promise<LogEntry[]> {
      const entries = ops.map((op, i) => logEntry(fromSeq + i, op, { epoch }));
      for (const entry of entries) expect(await store.commit(entry)).toEqual({ ok: true });
      return entries;
    }

    it("answers ping and reads as empty before any commit", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(await store.getItem(nextId())).toBeUndefined();
      expect(await store.listItems(undefined, 10)).toEqual([]);
      expect(await store.head()).toEqual({ seq: 0, epoch: 0 });
      expect(await store.readLog(0, 10)).toEqual([]);
      expect(await store.getIdempotentItemId("never-used")).toBeUndefined();
    });

    it("returns a committed item exactly as put, version and timestamps included", async () => {
      const item = makeItem(
        nextId(),
        { name: "first", count: 3 },
        { createdAtMs: 1_700_000_000_123, version: 1 },
      );
      await commitAll([{ kind: "put", item }]);
      expect(await store.getItem(item.id)).toEqual(item);
    });

    it("replaces an item on a later put: new version and updatedAtMs, createdAtMs kept", async () => {
      const id = nextId();
      const v1 = makeItem(id, { name: "a" }, { createdAtMs: 1000, updatedAtMs: 1000, version: 1 });
      const v2 = makeItem(id, { name: "b" }, { createdAtMs: 1000, updatedAtMs: 2500, version: 2 });
      await commitAll([
        { kind: "put", item: v1 },
        { kind: "put", item: v2 },
      ]);
      expect(await store.getItem(id)).toEqual(v2);
      expect(await store.listItems(undefined, 10)).toEqual([v2]);
    });

    it("removes a deleted item from reads and listings, and logs the delete", async () => {
      const kept = makeItem(nextId());
      const gone = makeItem(nextId());
      await commitAll([
        { kind: "put", item: kept },
        { kind: "put", item: gone },
        { kind: "delete", id: gone.id },
      ]);
      expect(await store.getItem(gone.id)).toBeUndefined();
      expect(await store.listItems(undefined, 10)).toEqual([kept]);
      expect((await store.readLog(0, 10)).map((e) => e.op.kind)).toEqual(["put", "put", "delete"]);
    });

    it("accepts a delete of an item that does not exist (replicated deletes are logged in order)", async () => {
      await commitAll([{ kind: "delete", id: nextId() }]);
      expect(await store.head()).toEqual({ seq: 1, epoch: 1 });
      expect(await store.listItems(undefined, 10)).toEqual([]);
    });

    it("lists items in id order with cursor pagination, whatever the insertion order", async () => {
      const ids = Array.from({ length: 7 }, () => nextId());
      const insertionOrder = [4, 0, 6, 2, 5, 1, 3].map((i) => ids[i]!);
      await commitAll(insertionOrder.map((id) => ({ kind: "put", item: makeItem(id) })));

      expect((await store.listItems(undefined, 100)).map((i) => i.id)).toEqual(ids);
      const page1 = await store.listItems(undefined, 3);
      const page2 = await store.listItems(page1.at(-1)!.id, 3);
      const page3 = await store.listItems(page2.at(-1)!.id, 3);
      expect([page1, page2, page3].map((page) => page.map((i) => i.id))).toEqual([
        ids.slice(0, 3),
        ids.slice(3, 6),
        ids.slice(6),
      ]);
      expect(await store.listItems(ids[6], 3)).toEqual([]);
      expect(await store.listItems(ids[2], 0)).toEqual([]);
    });

    it("lists from a cursor that is not a stored id (e.g. one deleted since)", async () => {
      const ids = Array.from({ length: 4 }, () => nextId());
      await commitAll([
        ...ids.map((id): WriteOp => ({ kind: "put", item: makeItem(id) })),
        { kind: "delete", id: ids[1]! },
      ]);
      expect((await store.listItems(ids[1], 10)).map((i) => i.id)).toEqual([ids[2], ids[3]]);
      expect((await store.listItems("0", 10)).map((i) => i.id)).toEqual([ids[0], ids[2], ids[3]]);
    });

    it("pages through more items than one batch read holds (over 100), in order", async () => {
      const ids = Array.from({ length: 120 }, () => nextId());
      await commitAll(ids.map((id) => ({ kind: "put", item: makeItem(id) })));
      expect((await store.listItems(undefined, 500)).map((i) => i.id)).toEqual(ids);
      expect((await store.listItems(ids[9], 105)).map((i) => i.id)).toEqual(ids.slice(10, 115));
    });

    it("refuses a commit whose seq is not head + 1, reports the head, and writes nothing", async () => {
      await commitAll([{ kind: "put", item: makeItem(nextId()) }]);
      const skipped = makeItem(nextId());
      for (const seq of [3, 0, 1]) {
        const result = await store.commit(logEntry(seq, { kind: "put", item: { ...skipped } }));
        expect(result).toEqual({ ok: false, reason: "seq_conflict", headSeq: 1 });
      }
      expect(await store.getItem(skipped.id)).toBeUndefined();
      expect(await store.head()).toEqual({ seq: 1, epoch: 1 });
      expect(await store.readLog(0, 10)).toHaveLength(1);
    });

    it("refuses a taken idempotency key, names the item that holds it, and writes nothing", async () => {
      const first = makeItem(nextId());
      expect(
        await store.commit(logEntry(1, { kind: "put", item: first }, { idempotencyKey: "key-1" })),
      ).toEqual({
        ok: true,
      });
      const retry = makeItem(nextId());
      const result = await store.commit(
        logEntry(2, { kind: "put", item: retry }, { idempotencyKey: "key-1" }),
      );
      expect(result).toEqual({ ok: false, reason: "idempotency_conflict", itemId: first.id });
      expect(await store.getItem(retry.id)).toBeUndefined();
      expect(await store.head()).toEqual({ seq: 1, epoch: 1 });
      expect(await store.getIdempotentItemId("key-1")).toBe(first.id);
      // The refused entry did not consume seq 2.
      expect(
        await store.commit(logEntry(2, { kind: "put", item: retry }, { idempotencyKey: "key-2" })),
      ).toEqual({
        ok: true,
      });
      expect(await store.getIdempotentItemId("key-2")).toBe(retry.id);
    });

    it("a delete carrying a key records it with the item it deleted, and refuses a taken key", async () => {
      const item = makeItem(nextId());
      expect(await store.commit(logEntry(1, { kind: "put", item }))).toEqual({ ok: true });
      expect(
        await store.commit(logEntry(2, { kind: "delete", id: item.id }, { idempotencyKey: "delete-key" })),
      ).toEqual({ ok: true });
      expect(await store.getIdempotentItemId("delete-key")).toBe(item.id);
      expect(await store.getItem(item.id)).toBeUndefined();
      const again = await store.commit(
        logEntry(3, { kind: "delete", id: item.id }, { idempotencyKey: "delete-key" }),
      );
      expect(again).toEqual({ ok: false, reason: "idempotency_conflict", itemId: item.id });
      expect(await store.head()).toEqual({ seq: 2, epoch: 1 });
    });

    it("reads log ranges in seq order, entries exactly as committed (across 9 -> 10)", async () => {
      const id = nextId();
      const ops: WriteOp[] = Array.from({ length: 11 }, (_, i) => ({
        kind: "put",
        item: makeItem(id, { step: i }, { version: i + 1, updatedAtMs: 1000 + i }),
      }));
      ops.push({ kind: "delete", id });
      const entries = await commitAll(ops);

      const all = await store.readLog(0, 100);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(all).toEqual(entries);
      expect((await store.readLog(8, 3)).map((e) => e.seq)).toEqual([9, 10, 11]);
      expect((await store.readLog(11, 10)).map((e) => e.seq)).toEqual([12]);
      expect(await store.readLog(12, 10)).toEqual([]);
      expect(await store.readLog(3, 0)).toEqual([]);
    });

    it("keeps an entry's idempotency key, origin, epoch and atMs in the log", async () => {
      const item = makeItem(nextId());
      const entry = logEntry(
        1,
        { kind: "put", item },
        { epoch: 4, origin: "prod-ie", atMs: 1234, idempotencyKey: "k" },
      );
      await store.commit(entry);
      expect(await store.readLog(0, 1)).toEqual([entry]);
    });

    it("reports the head as the last entry's seq and epoch", async () => {
      await commitAll([{ kind: "put", item: makeItem(nextId()) }], 1, 1);
      await commitAll([{ kind: "put", item: makeItem(nextId()) }], 2, 1);
      expect(await store.head()).toEqual({ seq: 2, epoch: 1 });
      await commitAll([{ kind: "delete", id: nextId() }], 3, 2);
      expect(await store.head()).toEqual({ seq: 3, epoch: 2 });
    });

    it("refuses the same entry applied twice (replication redelivery) and leaves state as it was", async () => {
      const id = nextId();
      const v1 = makeItem(id, { v: 1 }, { version: 1 });
      const v2 = makeItem(id, { v: 2 }, { version: 2 });
      const [, second] = await commitAll([
        { kind: "put", item: v1 },
        { kind: "put", item: v2 },
      ]);
      const logBefore = await store.readLog(0, 10);
      expect(await store.commit(second!)).toEqual({ ok: false, reason: "seq_conflict", headSeq: 2 });
      const stale = logEntry(2, { kind: "put", item: v1 });
      expect(await store.commit(stale)).toEqual({ ok: false, reason: "seq_conflict", headSeq: 2 });
      expect(await store.getItem(id)).toEqual(v2);
      expect(await store.readLog(0, 10)).toEqual(logBefore);
      expect(await store.head()).toEqual({ seq: 2, epoch: 1 });
    });

    it("clear() removes every item, entry and key, and the log starts again at 1", async () => {
      const item = makeItem(nextId());
      await store.commit(logEntry(1, { kind: "put", item }, { idempotencyKey: "k" }));
      await commitAll([{ kind: "put", item: makeItem(nextId()) }], 2);
      await store.clear();
      expect(await store.getItem(item.id)).toBeUndefined();
      expect(await store.listItems(undefined, 10)).toEqual([]);
      expect(await store.head()).toEqual({ seq: 0, epoch: 0 });
      expect(await store.readLog(0, 10)).toEqual([]);
      expect(await store.getIdempotentItemId("k")).toBeUndefined();
      expect(await store.commit(logEntry(2, { kind: "put", item }))).toMatchObject({
        reason: "seq_conflict",
      });
      expect(await store.commit(logEntry(1, { kind: "put", item }, { idempotencyKey: "k" }))).toEqual({
        ok: true,
      });
    });

    it("round-trips nested, unicode and edge-case JSON data exactly, in items and in the log", async () => {
      const data = {
        nested: { list: [1, "two", { three: null, four: [true, false] }], empty: {}, none: [] },
        text: 'naïve café 日本語 🚀 \u0000 \n\t "quoted" \\',
        emptyString: "",
        numbers: { float: 0.1, negative: -42.5, maxSafe: Number.MAX_SAFE_INTEGER, tiny: 1e-300, zero: 0 },
        "key with spaces and ünïcode": "ok",
      };
      const item = makeItem(nextId(), data);
      await commitAll([{ kind: "put", item }]);
      expect(await store.getItem(item.id)).toEqual(item);
      expect((await store.listItems(undefined, 1))[0]).toEqual(item);
      expect((await store.readLog(0, 1))[0]!.op).toEqual({ kind: "put", item });
    });

    it("keeps its own copy: changing a committed or returned object changes nothing stored", async () => {
      const item = makeItem(nextId(), { tags: ["a"] });
      const entry = logEntry(1, { kind: "put", item });
      await store.commit(entry);
      (item.data.tags as string[]).push("mutated-after-commit");
      // What a read returns is either a copy (DynamoDB) or read-only (memory: frozen, so the
      // write throws); either way the stored item must not change.
      const read = (await store.getItem(item.id))!;
      const [logged] = await store.readLog(0, 1);
      for (const mutate of [
        () => (read.data.tags as string[]).push("mutated-after-read"),
        () => {
          read.version = 99;
        },
        () => {
          if (logged!.op.kind === "put") (logged!.op.item.data.tags as string[]).push("mutated-log");
        },
      ]) {
        try {
          mutate();
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
      }
      expect(await store.getItem(item.id)).toEqual({ ...item, data: { tags: ["a"] } });
      expect((await store.readLog(0, 1))[0]!.op).toEqual({
        kind: "put",
        item: { ...item, data: { tags: ["a"] } },
      });
    });

    it("lets exactly one of several concurrent commits at the same seq win", async () => {
      await commitAll([{ kind: "put", item: makeItem(nextId()) }]);
      const contenders = Array.from({ length: 5 }, () => makeItem(nextId()));
      const results = await Promise.all(
        contenders.map((item) => store.commit(logEntry(2, { kind: "put", item }))),
      );

      const winners = contenders.filter((_, i) => results[i]!.ok);
      expect(winners).toHaveLength(1);
      for (const result of results.filter((r) => !r.ok)) {
        expect(result).toEqual({ ok: false, reason: "seq_conflict", headSeq: 2 });
      }
      const listed = await store.listItems(undefined, 10);
      expect(listed.map((i) => i.id)).toContain(winners[0]!.id);
      expect(listed).toHaveLength(2);
      expect((await store.readLog(1, 10)).map((e) => e.op)).toEqual([{ kind: "put", item: winners[0] }]);
    });

    it("lets exactly one of two concurrent creations with the same idempotency key win", async () => {
      // Different seqs too: the second to arrive loses on whichever condition it hits first.
      const [a, b] = [makeItem(nextId()), makeItem(nextId())];
      const results = await Promise.all([
        store.commit(logEntry(1, { kind: "put", item: a }, { idempotencyKey: "same" })),
        store.commit(logEntry(1, { kind: "put", item: b }, { idempotencyKey: "same" })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const winner = results[0]!.ok ? a : b;
      expect(await store.getIdempotentItemId("same")).toBe(winner.id);
      expect(await store.listItems(undefined, 10)).toEqual([winner]);
    });

    it("keeps orphaned writes whole across clear(), lists them in id order with paging, and saves idempotently", async () => {
      const entries = await commitAll([
        { kind: "put", item: makeItem(nextId(), { deep: { list: [1, "two", null, { x: true }] } }) },
        { kind: "delete", id: nextId() },
        { kind: "put", item: makeItem(nextId(), { n: 3 }) },
      ]);
      const withKey = { ...entries[2]!, idempotencyKey: "orphan-key" };
      const orphans = [entries[0]!, entries[1]!, withKey].map((entry) => ({
        id: orphanId(entry),
        entry,
        orphanedAtMs: 9_000,
      }));
      await store.saveOrphans(orphans);
      await store.clear();
      expect(await store.head()).toEqual({ seq: 0, epoch: 0 });
      expect(await store.listItems(undefined, 10)).toEqual([]);
      expect(await store.listOrphans(undefined, 10)).toEqual(orphans);
      expect(await store.listOrphans(undefined, 2)).toEqual(orphans.slice(0, 2));
      expect(await store.listOrphans(orphans[1]!.id, 10)).toEqual(orphans.slice(2));
      // Saved again (a resync retried): no duplicates, and a mark already made is kept.
      const marked = await store.markOrphanReapplied(orphans[0]!.id, {
        atMs: 10_000,
        region: "test-ie",
        seq: 7,
        epoch: 2,
      });
      expect(marked).toEqual({
        ok: true,
        orphan: { ...orphans[0], reapplied: { atMs: 10_000, region: "test-ie", seq: 7, epoch: 2 } },
      });
      await store.saveOrphans(orphans);
      const listed = await store.listOrphans(undefined, 10);
      expect(listed.length).toBe(3);
      expect(listed[0]!.reapplied).toEqual({ atMs: 10_000, region: "test-ie", seq: 7, epoch: 2 });
    });

    it("marks an orphan re-applied once; a second mark or an unknown id is refused", async () => {
      const [entry] = await commitAll([{ kind: "put", item: makeItem(nextId()) }]);
      const orphan = { id: orphanId(entry!), entry: entry!, orphanedAtMs: 1 };
      await store.saveOrphans([orphan]);
      const mark = { atMs: 2, region: "test-ie", seq: 1, epoch: 2 };
      expect((await store.markOrphanReapplied(orphan.id, mark)).ok).toBe(true);
      expect(await store.markOrphanReapplied(orphan.id, { ...mark, atMs: 3 })).toEqual({
        ok: false,
        reason: "already_reapplied",
        orphan: { ...orphan, reapplied: mark },
      });
      expect(await store.markOrphanReapplied(orphanId({ epoch: 9, seq: 9 }), mark)).toEqual({
        ok: false,
        reason: "not_found",
      });
    });

    it("orders orphan ids by epoch, then seq", () => {
      const ids = [
        orphanId({ epoch: 2, seq: 1 }),
        orphanId({ epoch: 1, seq: 10 }),
        orphanId({ epoch: 1, seq: 9 }),
        orphanId({ epoch: 10, seq: 1 }),
      ];
      expect([...ids].sort()).toEqual([ids[2], ids[1], ids[0], ids[3]]);
    });
  });
}

export function makeItem(
  id: string,
  data: Record<string, unknown> = { name: id },
  fields: Partial<Item> = {},
): Item {
  return { id, data, createdAtMs: 1_000, updatedAtMs: 1_000, version: 1, ...fields };
}

export function logEntry(seq: number, op: WriteOp, fields: Partial<LogEntry> = {}): LogEntry {
  return { seq, epoch: 1, origin: "test-us", atMs: 5_000 + seq, op, ...fields };
}
