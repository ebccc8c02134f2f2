import { describe, expect, it } from "vitest";
import { MemoryControlStore } from "../../core/control.ts";
import { describeControlStoreContract } from "./control-store-contract.ts";
import { makeDynamoDbControlStore, uniqueTablePrefix } from "./dynamodb-test-tables.ts";

describeControlStoreContract("MemoryControlStore", async () => new MemoryControlStore());
describeControlStoreContract("DynamoDbControlStore (DynamoDB Local)", () => makeDynamoDbControlStore());

describe("DynamoDbControlStore", () => {
  it("shares one record between two clients (two processes): the second sees the first's promotion", async () => {
    const prefix = uniqueTablePrefix("control-shared");
    const [a, b] = [await makeDynamoDbControlStore(prefix), await makeDynamoDbControlStore(prefix)];
    try {
      const first = { activeRegion: "prod-us", epoch: 1, updatedAtMs: 1, reason: "bootstrap" };
      expect(await a.compareAndSet(null, first)).toEqual({ ok: true, record: first });
      expect(await b.read()).toEqual(first);
      expect(await b.compareAndSet(null, { ...first, activeRegion: "prod-ie" })).toEqual({
        ok: false,
        current: first,
      });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("DynamoDbControlStore retried write", () => {
  it("reports success when the record it finds is exactly the one it wrote (an SDK retry of a write that landed)", async () => {
    const control = await makeDynamoDbControlStore();
    try {
      const first = { activeRegion: "prod-us", epoch: 1, updatedAtMs: 1, reason: "bootstrap" };
      await control.compareAndSet(null, first);
      expect(await control.compareAndSet(null, { ...first })).toEqual({ ok: true, record: first });
      expect(await control.compareAndSet(null, { ...first, reason: "other router" })).toEqual({
        ok: false,
        current: first,
      });
    } finally {
      await control.close();
    }
  });
});
