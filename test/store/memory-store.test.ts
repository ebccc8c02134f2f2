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

describe("MemoryStore.getItemJson (issue 18)", () => {
  it("is JSON.stringify of the current version of the item, through overwrites and a delete", async () => {
    const store = new MemoryStore();
    expect(await store.getItemJson("01A")).toBeUndefined();
    await store.commit(logEntry(1, { kind: "put", item: makeItem("01A") }));
    const first = await store.getItemJson("01A");
    expect(first).toBe(JSON.stringify(await store.getItem("01A")));
    expect(await store.getItemJson("01A")).toBe(first);
    const second = { ...makeItem("01A"), data: { v: 2 }, version: 2 };
    await store.commit(logEntry(2, { kind: "put", item: second }));
    expect(await store.getItemJson("01A")).toBe(JSON.stringify(await store.getItem("01A")));
    expect(JSON.parse((await store.getItemJson("01A"))!)).toMatchObject({ data: { v: 2 }, version: 2 });
    await store.commit(logEntry(3, { kind: "delete", id: "01A" }));
    expect(await store.getItemJson("01A")).toBeUndefined();
    await store.commit(logEntry(4, { kind: "put", item: makeItem("01B") }));
    expect(await store.getItemJson("01B")).toBe(JSON.stringify(await store.getItem("01B")));
    await store.clear();
    expect(await store.getItemJson("01B")).toBeUndefined();
    store.down = true;
    await expect(store.getItemJson("01A")).rejects.toThrow(StoreUnavailableError);
  });
});
