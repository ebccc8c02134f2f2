import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventLoopStalls } from "../support/event-loop-stalls.ts";
import { STALL_MS } from "../support/loaded-machine.ts";
import { delay, type LoadResult, runLoad, waitFor } from "./support/load.ts";
import { FAST_POLICY, regionStack, type Stack } from "./support/region-stack.ts";
import { LEASE_WAIT_MS } from "./support/router-env.ts";

// Real region services and a real router on 127.0.0.1, system clock, pooled HTTP transport.
// Policy (FAST_POLICY): probe timings a loaded machine's stall does not trip, fall 3, rise 2,
// confirmation probes 20 ms apart; a promoted region holds writes for LEASE_WAIT_MS.
const INTERVAL_MS = FAST_POLICY.healthCheck.intervalMs;
const LIMIT_MS = FAST_POLICY.connectTimeoutMs + FAST_POLICY.responseTimeoutMs;
/**
 * The most a load that waits for a failover may run: the slowest detection (a hang, fall x
 * interval + timeout), the lease wait, and a stall per step; a bound on a test that would
 * otherwise hang, not a measured time (the tests assert those separately).
 */
const LOAD_CAP_MS =
  INTERVAL_MS * (FAST_POLICY.healthCheck.fallCount + 1) +
  FAST_POLICY.healthCheck.timeoutMs +
  LEASE_WAIT_MS +
  10 * STALL_MS;
/** Requests after the promotion that each test waits for (and then checks). */
const AFTER_PROMOTION = 50;
let stack: Stack | undefined;
// Wall-clock bounds allow for the time this process could not run (a busy shared machine); the
// exact bounds, to the millisecond, are asserted on virtual time in failover-timing.test.ts.
let stalls: EventLoopStalls;
beforeEach(() => {
  stalls = new EventLoopStalls();
});
afterEach(async () => {
  stalls.stop();
  await stack?.close();
  stack = undefined;
});

/** When `router` promoted, if it has. */
function promotedAtMs(router: Stack["routers"][number]["router"]): number | undefined {
  return router.status().decisions.find((d) => d.kind === "promote")?.atMs;
}

/** Stops a load once `count` requests started after `router`'s promotion. */
function afterPromotion(router: Stack["routers"][number]["router"], count: number) {
  return (results: LoadResult[]) => {
    const atMs = promotedAtMs(router);
    return atMs !== undefined && results.filter((r) => r.startMs > atMs + 5).length >= count;
  };
}

async function ready(s: Stack) {
  const node = await s.addRouter("edge-1");
  await waitFor(() => node.router.status().regions.every((r) => r.health.confirmed));
  return node;
}

describe("against real regions over sockets", () => {
  it("kill prod-us: traffic moves within one probe interval (+ stalls) and no idempotent request fails", async () => {
    stack = await regionStack();
    const edge = await ready(stack);
    const load = runLoad([edge.url], {
      concurrency: 8,
      durationMs: LOAD_CAP_MS,
      until: afterPromotion(edge.router, AFTER_PROMOTION + 1),
    });
    await delay(600);
    const killedAtMs = Date.now();
    await stack.kill("prod-us");
    const results = await load;

    const promote = edge.router.status().decisions.find((d) => d.kind === "promote");
    expect(promote).toMatchObject({ region: "prod-ie", epoch: 2 });
    if (process.env.ROUTER_TEST_REPORT)
      console.info("kill -> promote ms", promote!.atMs - killedAtMs, "requests", results.length);
    // Confirmed by fast probes: without them it takes fall x interval (600 ms).
    expect(promote!.atMs - killedAtMs).toBeLessThanOrEqual(INTERVAL_MS + stalls.slackMs(3));
    const failed = results.filter((r) => r.status !== 200);
    expect(failed).toEqual([]);
    // Fewer than without leases: writes wait LEASE_WAIT_MS on prod-ie after the promotion.
    expect(results.length).toBeGreaterThan(AFTER_PROMOTION);
    const after = results.filter((r) => r.startMs > promote!.atMs + 5);
    expect(after.length).toBeGreaterThan(AFTER_PROMOTION);
    expect(after.every((r) => r.servedBy === "prod-ie")).toBe(true);
    expect(results.some((r) => r.reason === "retry" || r.reason === "failover")).toBe(true);
  });

  it("hang prod-us: traffic moves within interval x fall + timeout, and no request outlives the timeouts", async () => {
    stack = await regionStack({ proxied: true });
    const edge = await ready(stack);
    const load = runLoad([edge.url], {
      concurrency: 8,
      durationMs: LOAD_CAP_MS,
      until: afterPromotion(edge.router, AFTER_PROMOTION),
    });
    await delay(600);
    const hungAtMs = Date.now();
    stack.regions["prod-us"].proxy!.mode = "hang";
    const results = await load;

    const promote = edge.router.status().decisions.find((d) => d.kind === "promote");
    expect(promote).toMatchObject({ region: "prod-ie" });
    const boundMs = INTERVAL_MS * 3 + FAST_POLICY.healthCheck.timeoutMs;
    if (process.env.ROUTER_TEST_REPORT)
      console.info(
        "hang -> promote ms",
        promote!.atMs - hungAtMs,
        "slowest",
        Math.max(...results.map((r) => r.endMs - r.startMs)),
      );
    expect(promote!.atMs - hungAtMs).toBeLessThanOrEqual(boundMs + stalls.slackMs(4));
    // A request waits at most connect + response timeout on the hung region, then, retried on
    // prod-ie, at most the lease wait there (+ the time the process could not run).
    const slowest = Math.max(...results.map((r) => r.endMs - r.startMs));
    expect(slowest).toBeLessThan(LIMIT_MS + LEASE_WAIT_MS + stalls.slackMs(3));
    expect(results.filter((r) => r.status !== 200 && r.status !== 504)).toEqual([]);
    const after = results.filter((r) => r.startMs > promote!.atMs + 5);
    expect(after.length).toBeGreaterThanOrEqual(AFTER_PROMOTION);
    expect(after.every((r) => r.status === 200 && r.servedBy === "prod-ie")).toBe(true);
  });

  it("a slow prod-us (60 ms per answer, under the probe timeout) keeps traffic", async () => {
    // FAST_POLICY's probe timeout has a stall's room on top of the 60 ms.
    stack = await regionStack({ proxied: true });
    const edge = await ready(stack);
    const proxy = stack.regions["prod-us"].proxy!;
    proxy.delayMs = 60;
    proxy.mode = "slow";
    const results = await runLoad([edge.url], { concurrency: 4, durationMs: 1500 });
    expect(edge.router.status().decisions.filter((d) => d.kind === "promote")).toEqual([]);
    expect(results.every((r) => r.status === 200 && r.servedBy === "prod-us")).toBe(true);
    expect(Math.min(...results.map((r) => r.endMs - r.startMs))).toBeGreaterThanOrEqual(60);
  });

  it("5xx on every 5th request (20%, below the 50% threshold and never 5 in a row) keeps traffic", async () => {
    stack = await regionStack({ errorEvery: { "prod-us": 5 } });
    const edge = await ready(stack);
    const results = await runLoad([edge.url], { concurrency: 4, durationMs: 1500 });
    expect(edge.router.status().decisions.filter((d) => d.kind === "promote")).toEqual([]);
    const errors = results.filter((r) => r.status === 500).length;
    expect(errors / results.length).toBeGreaterThan(0.15);
    expect(results.every((r) => r.servedBy === "prod-us")).toBe(true);
  });

  it("two routers sharing one control record: a kill is handled by one promotion, and no epoch has writes in two regions", async () => {
    stack = await regionStack();
    const a = await ready(stack);
    const b = await stack.addRouter("edge-2");
    await waitFor(() => b.router.status().regions.every((r) => r.health.confirmed));
    const load = runLoad([a.url, b.url], {
      concurrency: 6,
      durationMs: LOAD_CAP_MS,
      pick: () => "PUT",
      // Both routers on the new epoch, and writes acknowledged by prod-ie in it.
      until: (results) =>
        a.router.status().epoch === 2 &&
        b.router.status().epoch === 2 &&
        results.filter((r) => r.servedBy === "prod-ie").length >= 20,
    });
    await delay(600);
    await stack.kill("prod-us");
    const results = await load;
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(await stack.control.read()).toMatchObject({ activeRegion: "prod-ie", epoch: 2 });
    expect([a.router.status().epoch, b.router.status().epoch]).toEqual([2, 2]);

    // Ground truth: each region's log, entries it accepted from clients (origin = itself).
    const regionsByEpoch = new Map<number, Set<string>>();
    for (const node of Object.values(stack.regions)) {
      for (const entry of await node.store.readLog(0, 100_000)) {
        if (entry.origin !== node.name) continue;
        const set = regionsByEpoch.get(entry.epoch) ?? new Set<string>();
        set.add(entry.origin);
        regionsByEpoch.set(entry.epoch, set);
      }
    }
    expect([...regionsByEpoch.entries()].map(([epoch, set]) => [epoch, [...set]])).toEqual([
      [1, ["prod-us"]],
      [2, ["prod-ie"]],
    ]);
  });
});
