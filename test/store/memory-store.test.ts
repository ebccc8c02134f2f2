import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../regions/store/memory-store.ts";
import { StoreUnavailableError } from "../../regions/store/store.ts";
import { describeStoreContract, logEntry, makeItem } from "./store-contract.ts";

describeStoreContract("MemoryStore", async () => new MemoryStore());

describe("MemoryStore fault injection", () => {
  it("rejects every call with StoreUnavailableError while down, and serves again after", async () => {
    const store = new MemoryStore();
    store.down = true;
    await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
    await expect(store.commit(logEntry(1, { kind: "put", item: makeItem("01A") }))).rejects.toThrow(
      StoreUnavailableError,
    );
    store.down = false;
    expect(await store.commit(logEntry(1, { kind: "put", item: makeItem("01A") }))).toEqual({ ok: true });
    expect(store.size()).toBe(1);
  });
});
