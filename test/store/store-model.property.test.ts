import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../regions/store/memory-store.ts";
import type { CommitResult, Item, LogEntry, Store } from "../../regions/store/store.ts";
import { makeDynamoDbStore } from "./dynamodb-test-tables.ts";

/**
 * Random sequences of puts and deletes (some carrying idempotency keys) applied to a plain
 * model and to both adapters: all three must agree on every commit result, on every item,
 * on the listing (paged with a random page size) and on the log.
 */

/** A few ids and keys, so sequences revisit them: re-puts, deletes of live and absent items, key reuse. */
const IDS = Array.from({ length: 6 }, (_, i) => `01HZY7Q7ZP00000000000000${String.fromCharCode(65 + i)}0`);
const KEYS = ["k1", "k2", "k3"];

type Step =
  | { kind: "put"; id: string; data: Record<string, unknown>; key?: string }
  | { kind: "delete"; id: string; key?: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record(
    {
      kind: fc.constant("put" as const),
      id: fc.constantFrom(...IDS),
      data: fc.dictionary(
        fc.string({ maxLength: 4 }),
        fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean()),
      ),
      key: fc.constantFrom(...KEYS),
    },
    { requiredKeys: ["kind", "id", "data"] },
  ),
  fc.record(
    { kind: fc.constant("delete" as const), id: fc.constantFrom(...IDS), key: fc.constantFrom(...KEYS) },
    { requiredKeys: ["kind", "id"] },
  ),
);

/** The Store contract in a dozen lines: what every adapter must end up holding. */
class Model {
  items = new Map<string, Item>();
  keys = new Map<string, string>();
  log: LogEntry[] = [];

  entryFor(step: Step, atMs: number): LogEntry {
    const seq = this.log.length + 1;
    if (step.kind === "delete") {
      const deletion: LogEntry = {
        seq,
        epoch: 1,
        origin: "model",
        atMs,
        op: { kind: "delete", id: step.id },
      };
      if (step.key !== undefined) deletion.idempotencyKey = step.key;
      return deletion;
    }
    const previous = this.items.get(step.id);
    const item: Item = {
      id: step.id,
      data: step.data,
      createdAtMs: previous?.createdAtMs ?? atMs,
      updatedAtMs: atMs,
      version: (previous?.version ?? 0) + 1,
    };
    const entry: LogEntry = { seq, epoch: 1, origin: "model", atMs, op: { kind: "put", item } };
    if (step.key !== undefined) entry.idempotencyKey = step.key;
    return entry;
  }

  commit(entry: LogEntry): CommitResult {
    const taken = entry.idempotencyKey === undefined ? undefined : this.keys.get(entry.idempotencyKey);
    if (taken !== undefined) return { ok: false, reason: "idempotency_conflict", itemId: taken };
    if (entry.op.kind === "put") this.items.set(entry.op.item.id, entry.op.item);
    else this.items.delete(entry.op.id);
    // Every op carrying a key records the item it acted on (a router-named DELETE's retry finds it).
    if (entry.idempotencyKey !== undefined)
      this.keys.set(entry.idempotencyKey, entry.op.kind === "put" ? entry.op.item.id : entry.op.id);
    this.log.push(entry);
    return { ok: true };
  }

  sortedItems(): Item[] {
    return [...this.items.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}

async function listAll(store: Store, pageSize: number): Promise<Item[]> {
  const all: Item[] = [];
  for (;;) {
    const page = await store.listItems(all.at(-1)?.id, pageSize);
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}

async function expectSameAsModel(store: Store, model: Model, pageSize: number): Promise<void> {
  expect(await listAll(store, pageSize)).toEqual(model.sortedItems());
  for (const id of IDS) expect(await store.getItem(id)).toEqual(model.items.get(id));
  for (const key of KEYS) expect(await store.getIdempotentItemId(key)).toBe(model.keys.get(key));
  expect(await store.readLog(0, 1000)).toEqual(model.log);
  expect(await store.head()).toEqual({ seq: model.log.length, epoch: model.log.length > 0 ? 1 : 0 });
}

describe("memory and DynamoDB stores agree with a model of the contract", () => {
  it("on random sequences of puts and deletes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 18 }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, pageSize) => {
          const model = new Model();
          const stores = [new MemoryStore(), await makeDynamoDbStore()];
          try {
            for (const [i, step] of steps.entries()) {
              const entry = model.entryFor(step, 1_000 + i);
              const results = await Promise.all(stores.map((store) => store.commit(structuredClone(entry))));
              const expected = model.commit(entry);
              expect(results).toEqual([expected, expected]);
            }
            for (const store of stores) await expectSameAsModel(store, model, pageSize);
          } finally {
            await Promise.all(stores.map((store) => store.close()));
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});
