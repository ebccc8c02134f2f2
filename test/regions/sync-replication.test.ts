import { afterEach, describe, expect, it } from "vitest";
import type { Item } from "../../regions/store/store.ts";
import { postJson, type RegionPair, regionPair, testEnvironment } from "../support/region-pair.ts";

let pair: RegionPair;
afterEach(() => pair.stop());

describe("synchronous replication", () => {
  it("acknowledges a write only once the standby holds it", async () => {
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500 } }));
    const res = await pair.us.app.request("/items", postJson({ data: { a: 1 } }));
    expect(res.status).toBe(201);
    const item = (await res.json()) as Item;
    // No clock advance needed: the write waited for the standby before answering.
    expect(await pair.stores.ie.getItem(item.id)).toEqual(item);
  });

  it("does not acknowledge a write the standby cannot confirm in time", async () => {
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500 } }));
    await pair.us.app.request("/readyz");
    pair.down.add("prod-ie");
    const pending = Promise.resolve(pair.us.app.request("/items", postJson({ data: { a: 1 } })));
    await pair.clock.advance(499);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await pair.clock.advance(0);
    expect(settled).toBe(false);
    await pair.clock.advance(1);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "replication_timeout" });
  });
});
