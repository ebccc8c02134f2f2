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

  it("refuse-writes: does not acknowledge a write the standby cannot confirm in time", async () => {
    pair = regionPair(
      testEnvironment({
        replication: { mode: "sync", syncTimeoutMs: 500, onStandbyUnreachable: "refuse-writes" },
      }),
    );
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

describe("synchronous replication, standby unreachable, degrade-to-async (the default)", () => {
  it("acknowledges without the standby once it is unreachable, says so, and is synchronous again after catch-up", async () => {
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500 } }));
    await pair.us.app.request("/readyz");
    pair.down.add("prod-ie");
    // The first write finds the standby unreachable (connection refused): degraded at once, no 500 ms wait.
    const first = await pair.us.app.request("/items", postJson({ data: { n: 1 } }));
    expect(first.status).toBe(201);
    expect(first.headers.get("x-replication")).toBe("degraded");
    const status = (await (await pair.us.app.request("/region")).json()) as {
      replication: { degraded: boolean };
    };
    expect(status.replication.degraded).toBe(true);
    pair.down.delete("prod-ie");
    await pair.clock.advance(200); // next replication interval: the standby catches up
    const item = (await first.json()) as Item;
    expect(await pair.stores.ie.getItem(item.id)).toEqual(item);
    const again = await pair.us.app.request("/items", postJson({ data: { n: 2 } }));
    expect(again.status).toBe(201);
    expect(again.headers.get("x-replication")).toBeNull();
    expect(await pair.stores.ie.getItem(((await again.json()) as Item).id)).toBeDefined();
  });
});
