import { afterEach, describe, expect, it } from "vitest";
import type { Item } from "../../regions/store/store.ts";
import {
  postJson,
  type RegionPair,
  regionPair,
  syncPairStandbyDown,
  testEnvironment,
  withClock,
} from "../support/region-pair.ts";

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
    pair = await syncPairStandbyDown({ onStandbyUnreachable: "refuse-writes" });
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
    pair = await syncPairStandbyDown();
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

describe("the control record names the synchronous standby (Patroni's synchronous mode)", () => {
  it("starts with the standby named, removes it before the first degraded acknowledgement, and names it again after catch-up", async () => {
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500 } }));
    await pair.us.app.request("/readyz");
    expect(await pair.control.read()).toMatchObject({
      activeRegion: "prod-us",
      epoch: 1,
      syncStandby: "prod-ie",
    });
    pair.down.add("prod-ie");
    const degraded = await pair.us.app.request("/items", postJson({ data: { n: 1 } }));
    expect(degraded.headers.get("x-replication")).toBe("degraded");
    // Recorded before the acknowledgement: no router may now promote prod-ie automatically.
    const released = await pair.control.read();
    expect(released).toMatchObject({ activeRegion: "prod-us", epoch: 1 });
    expect(released?.syncStandby).toBeUndefined();
    pair.down.delete("prod-ie");
    await pair.clock.advance(200);
    expect(await pair.control.read()).toMatchObject({ epoch: 1, syncStandby: "prod-ie" });
  });

  it("never acknowledges without the standby when it cannot record that (cut off from the control plane)", async () => {
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500 } }));
    await pair.us.app.request("/readyz");
    pair.down.add("prod-ie");
    pair.controlCut.add("prod-us");
    const pending = Promise.resolve(pair.us.app.request("/items", postJson({ data: { n: 1 } })));
    await pair.clock.advance(600);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "replication_timeout" });
    pair.controlCut.delete("prod-us");
    expect(await pair.control.read()).toMatchObject({ syncStandby: "prod-ie" });
  });

  it("a write acknowledged while the standby rejoins waits for it instead of slipping in unconfirmed", async () => {
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 5000 } }));
    await pair.us.app.request("/readyz");
    pair.down.add("prod-ie");
    await pair.us.app.request("/items", postJson({ data: { n: 0 } })); // degraded, recorded
    pair.down.delete("prod-ie");
    // Writes keep coming while the standby catches up and is named again.
    const answers: Response[] = [];
    for (let i = 0; i < 20; i++) {
      answers.push(
        await withClock(pair.clock, pair.us.app.request("/items", postJson({ data: { n: i + 1 } })), 10),
      );
      await pair.clock.advance(10);
    }
    // Once the record names prod-ie again, every acknowledged write is on prod-ie.
    const record = await pair.control.read();
    expect(record?.syncStandby).toBe("prod-ie");
    const undegraded = answers.filter((r) => r.status === 201 && r.headers.get("x-replication") === null);
    expect(undegraded.length).toBeGreaterThan(0);
    for (const res of undegraded)
      expect(await pair.stores.ie.getItem(((await res.json()) as Item).id)).toBeDefined();
  });
});
