import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../regions/store/memory-store.ts";
import type { LogEntry } from "../../regions/store/store.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const ITEMS = 20_000;

/** Crockford base32 ids in ascending order, as ULIDs from one region mostly arrive. */
function idFor(i: number): string {
  return `01JAB${i.toString(32).toUpperCase().padStart(21, "0")}`;
}

function entry(seq: number): LogEntry {
  const atMs = seq * 10;
  return {
    seq,
    epoch: 1,
    origin: "prod-us",
    atMs,
    op: {
      kind: "put",
      item: {
        id: idFor(seq),
        data: { client: "us-users", n: seq },
        createdAtMs: atMs,
        updatedAtMs: atMs,
        version: 1,
      },
    },
    idempotencyKey: `sim-write-${seq}`,
  };
}

describe("MemoryStore footprint", () => {
  it("keeps a small item with its log entry and idempotency key in under 600 bytes", async () => {
    const store = new MemoryStore();
    await store.commit(entry(1)); // warm up: the classes, the maps
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let seq = 2; seq <= ITEMS + 1; seq++) await store.commit(entry(seq));
    gc();
    const bytesPerItem = (process.memoryUsage().heapUsed - before) / ITEMS;
    expect(store.size()).toBe(ITEMS + 1);
    // Frozen copies made by spreading (`Object.freeze({...item})`) got a hidden class each from V8
    // and took about twice the bytes: the simulator's stores doubled.
    expect(bytesPerItem).toBeLessThan(600);
  });
});
