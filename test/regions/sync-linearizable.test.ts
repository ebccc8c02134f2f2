import { afterEach, describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { ManualClock } from "../../core/clock.ts";
import { MemoryControlStore } from "../../core/control.ts";
import { seededRandom } from "../../core/random.ts";
import { type Transport, TransportError } from "../../core/transport.ts";
import { createRegionService, type RegionService } from "../../regions/service/region-service.ts";
import { MemoryStore } from "../../regions/store/memory-store.ts";
import { createRouter, type Router } from "../../router/create-router.ts";
import { testEnvironment } from "../support/region-pair.ts";

/**
 * Issue 19 in process, on a manual clock: the real router in front of the real regions, with a
 * transport that can hold replication to prod-ie (the standby has not confirmed yet), hold a
 * region's answer to the router, and take prod-us away (new connections refused, answers in
 * flight reset, as when its process dies).
 */
interface World {
  clock: ManualClock;
  control: MemoryControlStore;
  stores: Record<string, MemoryStore>;
  router: Router;
  /** True: batches to prod-ie wait in `heldBatches` until released. */
  holdReplication: boolean;
  heldBatches: (() => void)[];
  /** The next PUT to prod-us is applied, but its answer waits here until released. */
  holdNextPutAnswer: boolean;
  /** The same for the next DELETE. */
  holdNextDeleteAnswer: boolean;
  heldAnswer: Promise<void> | undefined;
  releaseAnswer: () => void;
  dead: Set<string>;
  services: RegionService[];
}

const ITEM = "01JDQ2Y6X0000000000000000A";

let world: World | undefined;
afterEach(async () => {
  world?.router.stop();
  for (const s of world?.services ?? []) await s.stop();
  world = undefined;
});

function build(syncWaitPoint: "after-sync" | "after-commit" = "after-sync", mode = "sync"): World {
  const config: EnvironmentConfig = testEnvironment({
    replication: { mode, syncTimeoutMs: 2000, syncWaitPoint },
    router: {
      healthCheck: { intervalMs: 200, timeoutMs: 100, fallCount: 2, riseCount: 2, fastIntervalMs: 20 },
    },
  });
  const clock = new ManualClock(1_700_000_000_000);
  const control = new MemoryControlStore({
    activeRegion: "prod-us",
    epoch: 1,
    updatedAtMs: clock.nowMs(),
    reason: "test setup",
    // As a bootstrap in sync mode records it: prod-ie holds every acknowledged write.
    syncStandby: mode === "sync" ? "prod-ie" : null,
  });
  const apps = new Map<string, RegionService["app"]>();
  const replicationApps = new Map<string, RegionService["replicationApp"]>();
  const w = {
    clock,
    control,
    holdReplication: false,
    heldBatches: [],
    dead: new Set<string>(),
  } as unknown as World;
  w.holdNextPutAnswer = false;
  w.holdNextDeleteAnswer = false;
  w.releaseAnswer = () => {};
  const deliver = async (region: string, request: Request, replication = false): Promise<Response> => {
    if (w.dead.has(region)) throw new TransportError("refused", region, "connection refused");
    const response = await (replication ? replicationApps : apps).get(region)!.fetch(request);
    if (w.dead.has(region)) throw new TransportError("reset", region, "connection reset");
    return response;
  };
  const regionTransport: Transport = async (region, request) => {
    if (region === "prod-ie" && w.holdReplication) {
      await new Promise<void>((resolve) => w.heldBatches.push(resolve));
      // The sender died while its batch was held: the batch never arrived.
      if (w.dead.has("prod-us")) throw new TransportError("reset", region, "connection reset");
    }
    return deliver(region, request, true);
  };
  const routerTransport: Transport = async (region, request) => {
    const holdThis =
      region === "prod-us" &&
      ((request.method === "PUT" && w.holdNextPutAnswer) ||
        (request.method === "DELETE" && w.holdNextDeleteAnswer));
    if (holdThis) {
      w.holdNextPutAnswer = false;
      w.holdNextDeleteAnswer = false;
    }
    const response = await deliver(region, request);
    if (holdThis) {
      w.heldAnswer = new Promise<void>((resolve) => {
        w.releaseAnswer = resolve;
      });
      await w.heldAnswer;
      if (w.dead.has(region)) throw new TransportError("reset", region, "connection reset");
    }
    return response;
  };
  w.stores = { "prod-us": new MemoryStore(), "prod-ie": new MemoryStore() };
  w.services = ["prod-us", "prod-ie"].map((name, n) =>
    createRegionService({
      config,
      regionName: name,
      store: w.stores[name]!,
      control,
      clock,
      transport: regionTransport,
      random: seededRandom(n + 1),
    }),
  );
  w.services.forEach((s, n) => {
    apps.set(n === 0 ? "prod-us" : "prod-ie", s.app);
    replicationApps.set(n === 0 ? "prod-us" : "prod-ie", s.replicationApp);
    s.start();
  });
  w.router = createRouter({
    config,
    routerId: "edge-1",
    clock,
    transport: routerTransport,
    random: seededRandom(7),
    control,
    adminToken: "test-admin-token",
  });
  w.router.start();
  world = w;
  return w;
}

function put(w: World, n: number): Promise<Response> {
  return Promise.resolve(
    w.router.app.request(`http://edge.test/items/${ITEM}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: { n } }),
    }),
  );
}

async function readN(w: World): Promise<number | null> {
  return (await read(w)).n;
}

async function read(w: World): Promise<{ n: number | null; servedBy: string | null }> {
  const response = await w.router.app.request(`http://edge.test/items/${ITEM}`);
  const servedBy = response.headers.get("x-served-by");
  if (response.status === 404) return { n: null, servedBy };
  expect(response.status).toBe(200);
  return { n: ((await response.json()) as { data: { n: number } }).data.n, servedBy };
}

/** Runs timers and promise chains until `promise` settles (at most `maxMs` of virtual time). */
async function until<T>(w: World, promise: Promise<T>, maxMs = 5000): Promise<T> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let ms = 0; !done && ms <= maxMs; ms += 10) {
    await w.clock.advance(10);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!done) throw new Error(`still pending after ${maxMs} ms of virtual time`);
  return promise;
}

async function isPending(w: World, promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await w.clock.advance(0);
  await new Promise((resolve) => setImmediate(resolve));
  return !done;
}

/** prod-us dies: held batches fail, answers in flight reset; the router promotes prod-ie. */
async function killProdUs(w: World): Promise<void> {
  w.dead.add("prod-us");
  // Its process is gone: it does not go on to record "no synchronous standby" in the control
  // record (a live but cut-off prod-us would, and then no router may promote prod-ie).
  await w.services[0]!.stop();
  w.holdReplication = false;
  for (const release of w.heldBatches.splice(0)) release();
  w.releaseAnswer();
  await until(
    w,
    (async () => {
      for (let ms = 0; (await w.control.read())?.activeRegion !== "prod-ie"; ms += 10) {
        if (ms > 10_000) throw new Error("prod-ie was not promoted within 10 s of virtual time");
        await w.clock.advance(10);
      }
    })(),
  );
}

/**
 * `acked` written and acknowledged; then, with replication to prod-ie held, a write of `n` that
 * waits for the standby (wrapped: an async function would wait for a promise it returns).
 */
async function writeWhileReplicationHeld(
  w: World,
  acked: number,
  n: number,
): Promise<{ writing: Promise<Response> }> {
  expect((await until(w, put(w, acked))).status).toBe(200);
  w.holdReplication = true;
  const writing = put(w, n);
  expect(await isPending(w, writing)).toBe(true);
  return { writing };
}

describe("sync mode, wait point after-sync: visibility after durability", () => {
  it("a read does not see a write until the standby holds it, so a failover cannot take back what it saw", async () => {
    const w = build();
    const { writing } = await writeWhileReplicationHeld(w, 347, 348);
    expect(w.stores["prod-us"]!.size()).toBe(1);
    // Stored on prod-us, not confirmed by prod-ie: a read waits rather than show 348.
    const reading = read(w);
    expect(await isPending(w, reading)).toBe(true);

    await killProdUs(w);
    // The waiting read lost its connection with prod-us and was retried on prod-ie: prod-us never
    // showed 348. (Whether prod-ie shows 347 or 348 depends on whether the write's own retry got
    // there first; both are linearizable, as the write has not returned.)
    expect((await until(w, reading)).servedBy).toBe("prod-ie");
    // The write's first attempt never reached prod-ie; its retry there is its one and only effect.
    const written = await until(w, writing);
    expect(written.status).toBe(200);
    expect(written.headers.get("x-served-by")).toBe("prod-ie");
    expect(written.headers.get("idempotent-replayed")).toBeNull();
    expect(await readN(w)).toBe(348);
  });

  it("once the standby confirms, the waiting read sees the write", async () => {
    const w = build();
    const { writing } = await writeWhileReplicationHeld(w, 1, 2);
    const reading = readN(w);
    expect(await isPending(w, reading)).toBe(true);
    w.holdReplication = false;
    for (const release of w.heldBatches.splice(0)) release();
    expect(await until(w, reading)).toBe(2);
    expect((await until(w, writing)).status).toBe(200);
  });

  it("a read of a quiet item does not wait for an unconfirmed write to another item", async () => {
    const w = build();
    expect((await until(w, put(w, 1))).status).toBe(200);
    w.holdReplication = true;
    const other = Promise.resolve(
      w.router.app.request("http://edge.test/items/01JDQ2Y6X0000000000000000B", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: { n: 9 } }),
      }),
    );
    expect(await isPending(w, other)).toBe(true);
    const reading = readN(w);
    expect(await isPending(w, reading)).toBe(false);
    expect(await reading).toBe(1);
  });

  it("after-commit (MySQL's AFTER_COMMIT) shows the unconfirmed write at once: the window issue 19 found", async () => {
    const w = build("after-commit");
    expect((await until(w, put(w, 347))).status).toBe(200);
    w.holdReplication = true;
    void put(w, 348);
    await w.clock.advance(0);
    expect(await until(w, readN(w))).toBe(348);
  });
});

describe("sync mode: a retried write cannot reorder", () => {
  it.each([
    {
      title: "a PUT applied and replicated before the failover is not applied again by its retry on prod-ie",
      // 338 reaches prod-us, is replicated to prod-ie, but its answer to the router is held...
      send(w: World): Promise<Response> {
        w.holdNextPutAnswer = true;
        return put(w, 338);
      },
      readWhileHeld: 338,
      retriedStatus: 200,
      // 338 took effect once, before 343: the overwritten value does not come back.
      log: ["put 300", "put 338", "put 343"],
    },
    {
      title:
        "a DELETE applied and replicated before the failover does not delete, by its retry on prod-ie, a value written since",
      // The DELETE reaches prod-us and is replicated to prod-ie, but its answer is held...
      send(w: World): Promise<Response> {
        w.holdNextDeleteAnswer = true;
        return Promise.resolve(w.router.app.request(`http://edge.test/items/${ITEM}`, { method: "DELETE" }));
      },
      readWhileHeld: null,
      retriedStatus: 204,
      // The delete took effect once, before 343: 343 is not deleted (404, 343, 404 would be one
      // DELETE taking effect twice).
      log: ["put 300", "delete", "put 343"],
    },
  ])("$title", async ({ send, readWhileHeld, retriedStatus, log }) => {
    const w = build();
    expect((await until(w, put(w, 300))).status).toBe(200);
    const first = send(w);
    await until(
      w,
      (async () => {
        while (w.heldAnswer === undefined) await w.clock.advance(1);
      })(),
    );
    expect(await readN(w)).toBe(readWhileHeld);
    // ...while another client writes 343, acknowledged and read.
    expect((await until(w, put(w, 343))).status).toBe(200);
    expect(await readN(w)).toBe(343);

    // prod-us dies before the first answer leaves: the router retries it on the promoted prod-ie.
    await killProdUs(w);
    const retried = await until(w, first);
    expect(retried.status).toBe(retriedStatus);
    expect(retried.headers.get("x-served-by")).toBe("prod-ie");
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(await readN(w)).toBe(343);
    const applied = await w.stores["prod-ie"]!.readLog(0, 100);
    expect(applied.map((e) => (e.op.kind === "put" ? `put ${e.op.item.data.n}` : e.op.kind))).toEqual(log);
  });

  it("a client cannot name a write: the router drops its x-failover-write-id (async mode: sets none)", async () => {
    const w = build("after-sync", "async");
    const send = (n: number) =>
      until(
        w,
        Promise.resolve(
          w.router.app.request(`http://edge.test/items/${ITEM}`, {
            method: "PUT",
            headers: { "content-type": "application/json", "x-failover-write-id": "0123456789ABCDEF" },
            body: JSON.stringify({ data: { n } }),
          }),
        ),
      );
    expect((await send(1)).status).toBe(200);
    const second = await send(2);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(await readN(w)).toBe(2);
  });
});
