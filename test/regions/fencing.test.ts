import { describe, expect, it } from "vitest";
import type { Item } from "../../regions/store/store.ts";
import {
  postJson,
  RENEW_INTERVAL_MS,
  regionPairEachTest,
  sendBatch,
  withClock,
} from "../support/region-pair.ts";

const pair = regionPairEachTest();

async function promote(to: string): Promise<void> {
  const current = await pair.control.read();
  const result = await pair.control.compareAndSet(current!.epoch, {
    activeRegion: to,
    epoch: current!.epoch + 1,
    updatedAtMs: pair.clock.nowMs(),
    reason: "test promotion",
  });
  expect(result.ok).toBe(true);
}

describe("only the active region accepts writes, only in the current epoch", () => {
  it("the standby answers writes with 503 naming the active region, and Retry-After", async () => {
    await pair.us.app.request("/readyz"); // bootstraps the control record
    const res = await pair.ie.app.request("/items", postJson({ data: { a: 1 } }));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ error: "not_active", activeRegion: "prod-us", epoch: 1 });
    expect((await pair.stores.ie.head()).seq).toBe(0);
  });

  it("refuses a write tagged with a stale epoch (fencing) and writes nothing", async () => {
    await pair.us.app.request("/readyz");
    await promote("prod-ie");
    await promote("prod-us"); // epoch 3, prod-us active again
    await pair.clock.advance(RENEW_INTERVAL_MS); // prod-us renews its lease and learns of epoch 3
    const stale = await pair.us.app.request("/items", postJson({ data: {} }, { "x-failover-epoch": "1" }));
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: "stale_epoch", epoch: 3, activeRegion: "prod-us" });
    expect((await pair.stores.us.head()).seq).toBe(0);
    const current = await withClock(
      pair.clock,
      pair.us.app.request("/items", postJson({ data: {} }, { "x-failover-epoch": "3" })),
    );
    expect(current.status).toBe(201);
  });

  it("after promotion the old active refuses writes and the new one accepts them", async () => {
    expect((await pair.us.app.request("/items", postJson({ data: { n: 1 } }))).status).toBe(201);
    await promote("prod-ie");
    await pair.clock.advance(RENEW_INTERVAL_MS); // both regions renew and learn of epoch 2
    const old = await pair.us.app.request("/items", postJson({ data: { n: 2 } }));
    expect(old.status).toBe(503);
    expect(await old.json()).toMatchObject({ error: "not_active", activeRegion: "prod-ie", epoch: 2 });
    const fresh = await withClock(pair.clock, pair.ie.app.request("/items", postJson({ data: { n: 3 } })));
    expect(fresh.status).toBe(201);
  });

  it("never lets both regions accept writes in the same epoch, whatever the order of promotions", async () => {
    const accepted = new Map<number, Set<string>>();
    for (let round = 0; round < 20; round++) {
      const target = round % 3 === 0 ? "prod-us" : "prod-ie";
      const record = await pair.control.read();
      if (record && record.activeRegion !== target) await promote(target);
      for (const [name, region] of [
        ["prod-us", pair.us],
        ["prod-ie", pair.ie],
      ] as const) {
        const epoch = (await pair.control.read())?.epoch ?? 1;
        const res = await withClock(
          pair.clock,
          region.app.request("/items", postJson({ data: { round } }, { "x-failover-epoch": String(epoch) })),
        );
        if (res.status === 201) {
          const set = accepted.get(epoch) ?? new Set();
          set.add(name);
          accepted.set(epoch, set);
        }
      }
    }
    expect(accepted.size).toBeGreaterThan(3);
    for (const regions of accepted.values()) expect(regions.size).toBe(1);
  });
});

describe("replication from active to standby", () => {
  it("every acknowledged write reaches the standby once it catches up, in order", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await pair.us.app.request("/items", postJson({ data: { i } }));
      ids.push(((await res.json()) as Item).id);
    }
    const deleted = ids[3]!;
    await pair.us.app.request(`/items/${deleted}`, { method: "DELETE" });
    await pair.clock.advance(1000);
    const onStandby = (await (await pair.ie.app.request("/items?limit=1000")).json()) as { items: Item[] };
    expect(onStandby.items.map((i) => i.id)).toEqual(ids.filter((id) => id !== deleted));
    expect(await pair.stores.ie.head()).toEqual(await pair.stores.us.head());
    const status = (await (await pair.us.app.request("/region")).json()) as {
      replication: { lagEntries: number };
    };
    expect(status.replication.lagEntries).toBe(0);
  });

  it("applying the same batch twice changes nothing (idempotent delivery)", async () => {
    for (let i = 0; i < 5; i++) await pair.us.app.request("/items", postJson({ data: { i } }));
    const entries = await pair.stores.us.readLog(0, 100);
    const batch = {
      from: "prod-us",
      epoch: 1,
      senderHead: await pair.stores.us.head(),
      prev: { seq: 0, epoch: 0 },
      entries,
    };
    const send = () => sendBatch(pair, pair.ie, batch);
    const first = await send();
    expect(await first.json()).toEqual({ ok: true, head: { seq: 5, epoch: 1 } });
    const itemsAfterFirst = await pair.stores.ie.listItems(undefined, 100);
    const second = await send();
    expect(await second.json()).toEqual({ ok: true, head: { seq: 5, epoch: 1 } });
    expect(await pair.stores.ie.listItems(undefined, 100)).toEqual(itemsAfterFirst);
    expect((await pair.stores.ie.readLog(0, 100)).length).toBe(5);
  });

  it("refuses batches from a region that is not active in the current epoch", async () => {
    await pair.us.app.request("/readyz");
    const toActive = await sendBatch(
      pair,
      pair.us,
      { from: "prod-ie", epoch: 1, senderHead: { seq: 0, epoch: 0 }, prev: null, entries: [] },
      { from: "prod-ie" },
    );
    expect(toActive.status).toBe(409);
    expect(await toActive.json()).toMatchObject({ ok: false, error: "not_standby" });
    // Signed by prod-us (the only peer prod-ie accepts), but naming prod-ie as the sender.
    const res = await sendBatch(pair, pair.ie, {
      from: "prod-ie",
      epoch: 1,
      senderHead: { seq: 0, epoch: 0 },
      prev: null,
      entries: [],
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ ok: false, error: "stale_epoch" });
  });

  it("exposes lag while the standby is unreachable, and catches up after", async () => {
    pair.down.add("prod-ie");
    for (let i = 0; i < 4; i++) await pair.us.app.request("/items", postJson({ data: { i } }));
    await pair.clock.advance(250);
    const lagging = (await (await pair.us.app.request("/region")).json()) as {
      replication: { lagEntries: number; lagMs: number };
    };
    expect(lagging.replication.lagEntries).toBe(4);
    expect(lagging.replication.lagMs).toBe(250);
    const metrics = await (await pair.us.app.request("/metrics")).text();
    expect(metrics).toMatch(/failover_replication_lag_entries\{region="prod-us"\} 4/);
    pair.down.delete("prod-ie");
    await pair.clock.advance(200);
    expect((await pair.stores.ie.head()).seq).toBe(4);
  });

  it("async mode: a region loss loses the unreplicated writes; the former active's tail is reported on rejoin", async () => {
    for (let i = 0; i < 3; i++) await pair.us.app.request("/items", postJson({ data: { i } }));
    await pair.clock.advance(500); // replicated
    pair.down.add("prod-ie"); // replication partition
    const lostIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await pair.us.app.request("/items", postJson({ data: { lost: i } }));
      expect(res.status).toBe(201); // acknowledged before the standby has it
      lostIds.push(((await res.json()) as Item).id);
    }
    await pair.us.stop(); // prod-us is lost (it sends nothing more)...
    await promote("prod-ie"); // ...and operators promote the standby
    pair.down.delete("prod-ie");
    pair.down.add("prod-us");
    await pair.clock.advance(RENEW_INTERVAL_MS); // prod-ie renews and learns it is active in epoch 2
    const after = await withClock(
      pair.clock,
      pair.ie.app.request("/items", postJson({ data: { after: true } })),
    );
    expect(after.status).toBe(201);
    for (const id of lostIds) expect((await pair.ie.app.request(`/items/${id}`)).status).toBe(404);
    // prod-us comes back as standby: its diverged tail is recorded as orphaned, then it resyncs.
    pair.down.delete("prod-us");
    pair.us.start();
    await pair.clock.advance(1000);
    const status = (await (await pair.us.app.request("/region")).json()) as {
      role: string;
      replication: { orphanedWrites: number };
    };
    expect(status.role).toBe("standby");
    expect(status.replication.orphanedWrites).toBe(2);
    expect(await pair.stores.us.listItems(undefined, 100)).toEqual(
      await pair.stores.ie.listItems(undefined, 100),
    );
    expect(await pair.stores.us.head()).toEqual(await pair.stores.ie.head());
  });
});

describe("replication lag while the standby is unreachable", () => {
  it("counts only the entries the standby lacks, not the whole log, after a failed shipment", async () => {
    for (let i = 0; i < 3; i++) await pair.us.app.request("/items", postJson({ data: { i } }));
    await pair.clock.advance(200);
    pair.down.add("prod-ie");
    await pair.us.app.request("/items", postJson({ data: { i: 3 } }));
    await pair.clock.advance(300); // several failed shipments
    const status = (await (await pair.us.app.request("/region")).json()) as {
      replication: { lagEntries: number; lagMs: number };
    };
    expect(status.replication.lagEntries).toBe(1);
    expect(status.replication.lagMs).toBe(300);
  });
});
