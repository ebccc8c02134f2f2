import { afterEach, describe, expect, it } from "vitest";
import type { ControlRecord, ControlStore, MemoryControlStore } from "../../core/control.ts";
import { inProcessTransport } from "../../core/in-process-transport.ts";
import { seededRandom } from "../../core/random.ts";
import { createRouter, type Router } from "../../router/create-router.ts";
import { postJson, type RegionPair, regionPair, testEnvironment, withClock } from "../support/region-pair.ts";

// Issue 12: routers tag reads with their epoch, as they tag writes, so a region that has learned
// it was deposed refuses a read from a router that has not yet seen the promotion, instead of
// serving data the new active region has since overwritten.

const ADMIN_TOKEN = "t0ken-for-tests";
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup) await close();
  cleanup = [];
});

/** A router's way to the control record that keeps answering an old record while `lagging`. */
function laggingControl(control: MemoryControlStore): ControlStore & { lagging: ControlRecord | undefined } {
  const lag: ControlStore & { lagging: ControlRecord | undefined } = {
    lagging: undefined,
    read: async () => lag.lagging ?? control.read(),
    compareAndSet: (expected, next, sync) => control.compareAndSet(expected, next, sync),
    setSyncStandby: (expected, next) => control.setSyncStandby(expected, next),
  };
  return lag;
}

function routerOver(pair: RegionPair, routerId: string, control: ControlStore): Router {
  const apps = new Map([
    ["prod-us", pair.us.app],
    ["prod-ie", pair.ie.app],
  ]);
  const router = createRouter({
    config: testEnvironment({ replication: { mode: "async" } }),
    routerId,
    clock: pair.clock,
    transport: inProcessTransport(apps),
    random: seededRandom(3),
    control,
    adminToken: ADMIN_TOKEN,
  });
  router.start();
  cleanup.push(async () => router.stop());
  return router;
}

const at = (router: Router, path: string, init?: RequestInit) =>
  Promise.resolve(router.app.request(`http://edge.test${path}`, init));

/**
 * prod-us active (epoch 1) with an item at value 1, replicated to prod-ie; then replication to
 * prod-us is cut, edge-a promotes prod-ie (epoch 2) and overwrites the item with value 2 there,
 * after the old lease has run out. edge-b's control reads still answer epoch 1.
 */
async function deposedWithStaleItem() {
  const pair = regionPair(testEnvironment({ replication: { mode: "async" } }));
  cleanup.push(() => pair.stop());
  await pair.clock.advance(600);
  const a = routerOver(pair, "edge-a", pair.control);
  const bControl = laggingControl(pair.control);
  const b = routerOver(pair, "edge-b", bControl);
  await pair.clock.advance(100);
  const created = await withClock(pair.clock, at(a, "/items", postJson({ data: { v: 1 } })));
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await pair.clock.advance(1000);
  expect(await pair.stores.ie.getItem(id)).toMatchObject({ data: { v: 1 } });

  pair.down.add("prod-us");
  bControl.lagging = (await pair.control.read())!;
  const promoted = await pair.control.compareAndSet(1, {
    activeRegion: "prod-ie",
    epoch: 2,
    updatedAtMs: pair.clock.nowMs(),
    reason: "test: edge-a promotes prod-ie",
  });
  expect(promoted.ok).toBe(true);
  // Past the old lease (2,000 + 100 ms) and several renewals: prod-us has read epoch 2.
  await pair.clock.advance(3000);
  const put = await withClock(
    pair.clock,
    at(a, `/items/${id}`, { ...postJson({ data: { v: 2 } }), method: "PUT" }),
  );
  expect(put.status).toBe(200);
  expect(put.headers.get("x-served-by")).toBe("prod-ie");
  expect(await pair.stores.us.getItem(id)).toMatchObject({ data: { v: 1 } });
  return { pair, a, b, bControl, id };
}

describe("epoch-tagged reads (issue 12)", () => {
  it("a router that has not seen the promotion gets no stale read from the deposed region", async () => {
    const { pair, b, id } = await deposedWithStaleItem();
    expect(b.status().epoch).toBe(1);
    const read = await withClock(pair.clock, at(b, `/items/${id}`));
    // Its control reads still say epoch 1, so it cannot find the active region: it passes the
    // refusal on rather than prod-us's value 1, which prod-ie has overwritten.
    expect(read.status).toBe(503);
    expect(await read.json()).toMatchObject({ error: "not_active", activeRegion: "prod-ie", epoch: 2 });
  });

  it("the refusal makes the router refresh the record and read from the active region", async () => {
    const { pair, b, bControl, id } = await deposedWithStaleItem();
    bControl.lagging = undefined;
    // No clock movement: edge-b still holds epoch 1 when the read arrives.
    expect(b.status().epoch).toBe(1);
    const read = await withClock(pair.clock, at(b, `/items/${id}`));
    expect(read.status).toBe(200);
    expect(read.headers.get("x-served-by")).toBe("prod-ie");
    expect(read.headers.get("x-served-reason")).toBe("redirect");
    expect(await read.json()).toMatchObject({ id, data: { v: 2 } });
    // A refusal is the fencing contract, not the region failing: no failover decision from it.
    expect(b.status().decisions.filter((d) => d.kind === "promote")).toEqual([]);
  });

  it("the deposed region refuses a tagged read and still serves an untagged one (standbyReads)", async () => {
    const { pair, id } = await deposedWithStaleItem();
    const tagged = await Promise.resolve(
      pair.us.app.request(`/items/${id}`, { headers: { "x-failover-epoch": "1" } }),
    );
    expect(tagged.status).toBe(503);
    expect(tagged.headers.get("retry-after")).not.toBeNull();
    expect(await tagged.json()).toMatchObject({ error: "not_active", activeRegion: "prod-ie" });
    const list = await Promise.resolve(
      pair.us.app.request("/items", { headers: { "x-failover-epoch": "2" } }),
    );
    expect(list.status).toBe(503);
    const untagged = await Promise.resolve(pair.us.app.request(`/items/${id}`));
    expect(untagged.status).toBe(200);
    const bad = await Promise.resolve(
      pair.us.app.request(`/items/${id}`, { headers: { "x-failover-epoch": "x" } }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "bad_epoch_header" });
    // The active region serves a read tagged with an older epoch: under its lease it is current.
    const active = await withClock(
      pair.clock,
      Promise.resolve(pair.ie.app.request(`/items/${id}`, { headers: { "x-failover-epoch": "1" } })),
    );
    expect(active.status).toBe(200);
  });
});
