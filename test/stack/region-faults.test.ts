import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningStack } from "../../stack/start-stack.ts";
import { EventLoopStalls } from "../support/event-loop-stalls.ts";
import { STALL_MS } from "../support/loaded-machine.ts";
import {
  healFault,
  injectFault,
  injectIntoSteadyStack,
  promotedAtMs,
  region,
  seedReplicatedItem,
  stackStatus,
  waitForActive,
} from "./support/control.ts";
import { eventually, median, portOf, sendJson, tcpConnect } from "./support/http.ts";
import { expectNoFailures, type Outcome, startLoop } from "./support/request-loop.ts";
import { FAST_ROUTER, LEASE_WAIT_MS, stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

const { intervalMs, timeoutMs, fallCount } = FAST_ROUTER.healthCheck;
/** A stall of a loaded machine, plus the longest time this process could not run during the test, for each of three steps. */
let stalls: EventLoopStalls;
beforeEach(() => {
  stalls = new EventLoopStalls();
});
afterEach(() => stalls.stop());
const slackMs = () => STALL_MS + stalls.slackMs(3);

/**
 * With four clients looping on `stack` (reads of a replicated item and writes), injects `spec`
 * once traffic flows, runs `whileFailing` (what the fault looks like from outside, before the
 * router reacts), waits for prod-ie to be promoted and for 20 more answers, and stops the clients.
 */
async function failoverUnderLoad(
  stack: RunningStack,
  spec: Record<string, unknown>,
  whileFailing: () => Promise<void> = async () => {},
): Promise<{ fault: { id: number; injectedAtMs: number }; failoverMs: number; outcomes: Outcome[] }> {
  const readItemId = await seedReplicatedItem(stack);
  const loop = startLoop({
    routerUrl: stack.routerUrl,
    workers: 4,
    paceMs: 20,
    maxRequests: 400,
    readItemId,
  });
  await eventually("some traffic before the fault", () => loop.outcomes.length >= 20);

  const fault = await injectIntoSteadyStack(stack, spec);
  await whileFailing();
  const moved = await waitForActive(stack, "prod-ie");
  const failoverMs = promotedAtMs(moved, "prod-ie")! - fault.injectedAtMs;
  const countAtFailover = loop.outcomes.length;
  await eventually("traffic after the failover", () => loop.outcomes.length >= countAtFailover + 20);
  return { fault, failoverMs, outcomes: await loop.stop() };
}

describe("live faults on a region", () => {
  it("region-down: refuses connections, moves traffic to prod-ie with no failed idempotent request, and heals", async () => {
    const stack = await stacks.start();
    // Stalls from here on: the stack's start is not part of this bound.
    const afterStart = new EventLoopStalls();
    const { fault, failoverMs, outcomes } = await failoverUnderLoad(
      stack,
      { kind: "region-down", region: "prod-us" },
      async () => expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("ECONNREFUSED"),
    );
    const { injectedAtMs } = fault;
    afterStart.stop();

    expectNoFailures(outcomes, { injectedAtMs, decisions: (await stackStatus(stack)).router.decisions });
    expect(outcomes.some((o) => o.servedBy === "prod-ie" && o.op === "write")).toBe(true);
    // A refused connection is confirmed by fast probes, within one probe interval (without them,
    // fall x interval); plus the time this process could not run on a busy machine.
    expect(failoverMs).toBeLessThan(FAST_ROUTER.healthCheck.intervalMs + afterStart.slackMs(3));
    console.info(
      `[measure] region-down: failover ${failoverMs} ms after injection; ${outcomes.length} requests, 0 failed`,
    );

    await healFault(stack, fault.id);
    expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("connected");
    const healthz = await fetch(`${stack.regionUrls["prod-us"]}/healthz`);
    expect(healthz.status).toBe(200);
    const status = await stackStatus(stack);
    expect(status.faults).toEqual([]);
    // Failback is manual: prod-ie stays active after prod-us returns.
    expect(status.router.activeRegion).toBe("prod-ie");
  });

  it("region-hang: the router fails over within interval x fall + timeout, and no request waits past its timeouts", async () => {
    const stack = await stacks.start();
    const { fault, failoverMs, outcomes } = await failoverUnderLoad(
      stack,
      { kind: "region-hang", region: "prod-us" },
      // The port still accepts connections: only timeouts can tell a hung region.
      async () => expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("connected"),
    );

    expect(failoverMs).toBeLessThanOrEqual(intervalMs * fallCount + timeoutMs + slackMs());
    expectNoFailures(outcomes, (await stackStatus(stack)).router.decisions);
    // A request caught by the hang waits connect + response timeout, then is retried on prod-ie,
    // where it may wait out the old active's lease.
    const limitMs = FAST_ROUTER.connectTimeoutMs + FAST_ROUTER.responseTimeoutMs + LEASE_WAIT_MS;
    const slowest = Math.max(...outcomes.map((o) => o.durationMs));
    expect(slowest).toBeLessThan(limitMs + slackMs());
    expect(outcomes.some((o) => o.durationMs > FAST_ROUTER.responseTimeoutMs)).toBe(true);
    console.info(
      `[measure] region-hang: failover ${failoverMs} ms after injection (bound ${intervalMs * fallCount + timeoutMs}); slowest request ${Math.round(slowest)} ms`,
    );

    await healFault(stack, fault.id);
    const healthz = await fetch(`${stack.regionUrls["prod-us"]}/healthz`, {
      signal: AbortSignal.timeout(2000),
    });
    expect(healthz.status).toBe(200);
  });

  it("brownout below the thresholds: errors and added latency reach clients, and the router does not fail over", async () => {
    const stack = await stacks.start({ router: { healthCheck: { fallCount: 3 } } });
    const readItemId = await seedReplicatedItem(stack);

    // 5% errors: under the 50% passive threshold, and 3 failed probes in a row is a 1-in-8000 event.
    const fault = await injectFault(stack, {
      kind: "brownout",
      region: "prod-us",
      errorRate: 0.05,
      addedLatencyMs: 60,
    });
    const loop = startLoop({
      routerUrl: stack.routerUrl,
      workers: 4,
      paceMs: 5,
      maxRequests: 160,
      readItemId,
    });
    await eventually("the brownout loop", () => loop.outcomes.length >= 160);
    const outcomes = await loop.stop();
    const status = await stackStatus(stack);

    expect(status.router.activeRegion).toBe("prod-us");
    expect(status.router.epoch).toBe(1);
    const errors = outcomes.filter((o) => o.status === 503);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((o) => o.error?.startsWith("brownout"))).toBe(true);
    expect(errors.length).toBeLessThan(outcomes.length * 0.2);
    // Every request waited the added 60 ms, errors too: a lower bound, which a loaded machine
    // (it only adds time) cannot break, where a median against a baseline loop could.
    const fastest = Math.min(...outcomes.map((o) => o.durationMs));
    expect(fastest).toBeGreaterThanOrEqual(60 * 0.95);
    console.info(
      `[measure] brownout 5%/60 ms: ${errors.length}/${outcomes.length} errors, fastest ${Math.round(fastest)} ms, median ${Math.round(median(outcomes.map((o) => o.durationMs)))} ms, no failover`,
    );

    await healFault(stack, fault.id);
    const after = startLoop({
      routerUrl: stack.routerUrl,
      workers: 2,
      paceMs: 5,
      maxRequests: 40,
      readItemId,
    });
    await eventually("traffic after heal", () => after.outcomes.length >= 40);
    expectNoFailures(await after.stop());
  });

  it("partition router->prod-us: probes and requests time out, the router fails over, nothing idempotent fails", async () => {
    const stack = await stacks.start();
    const { fault, failoverMs, outcomes } = await failoverUnderLoad(stack, {
      kind: "partition",
      between: ["router", "prod-us"],
      oneWay: true,
    });

    expectNoFailures(outcomes, (await stackStatus(stack)).router.decisions);
    expect(failoverMs).toBeLessThanOrEqual(intervalMs * fallCount + timeoutMs + slackMs());
    // Only the router's link is cut: clients of prod-us itself (and replication) still reach it.
    const healthz = await fetch(`${stack.regionUrls["prod-us"]}/healthz`);
    expect(healthz.status).toBe(200);
    console.info(`[measure] partition router->prod-us: failover ${failoverMs} ms after injection`);
    await healFault(stack, fault.id);
    expect((await stackStatus(stack)).faults).toEqual([]);
  });

  it("store-down: prod-us answers /readyz 503, the router fails over, and /readyz recovers on heal", async () => {
    const stack = await stacks.start();
    const fault = await injectIntoSteadyStack(stack, { kind: "store-down", region: "prod-us" });
    const { injectedAtMs } = fault;
    const readyz = await fetch(`${stack.regionUrls["prod-us"]}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ ready: false, storeReachable: false });
    const moved = await waitForActive(stack, "prod-ie");
    const failoverMs = promotedAtMs(moved, "prod-ie")! - injectedAtMs;
    expect(failoverMs).toBeLessThanOrEqual(intervalMs * fallCount + timeoutMs + slackMs());
    const write = await fetch(`${stack.routerUrl}/items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: { after: "store-down" } }),
    });
    expect(write.status).toBe(201);
    expect(write.headers.get("x-served-by")).toBe("prod-ie");

    await healFault(stack, fault.id);
    expect((await fetch(`${stack.regionUrls["prod-us"]}/readyz`)).status).toBe(200);
    expect(region(await stackStatus(stack), "prod-us").storeReachable).toBe(true);
  });

  it("a fault with durationS heals by itself", async () => {
    const stack = await stacks.start();
    const port = portOf(stack.regionUrls["prod-us"]!);
    const fault = await injectFault(stack, { kind: "region-down", region: "prod-us", durationS: 0.4 });
    expect(fault.healsAtMs).toBeGreaterThan(Date.now());
    expect(await tcpConnect(port)).toBe("ECONNREFUSED");
    await eventually(
      "the fault to heal by itself",
      async () => (await stackStatus(stack)).faults.length === 0,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(fault.healsAtMs! - 5);
    expect(await tcpConnect(port)).toBe("connected");
  });

  // Issue 12 on the live stack: a deposed region that has learned of the promotion refuses a read
  // tagged with the old epoch (what a router that has not seen the promotion sends), so it cannot
  // hand out the value the new active region has since overwritten; the router, knowing the new
  // epoch, reads from the active region.
  it("epoch-tagged reads: prod-us, back as standby with a stale copy, refuses a read tagged epoch 1; the router reads prod-ie's value", async () => {
    const s = await stacks.start();
    const id = await seedReplicatedItem(s);
    const down = await injectFault(s, { kind: "region-down", region: "prod-us" });
    await waitForActive(s, "prod-ie");
    const put = await eventually("the overwrite acknowledged by prod-ie", async () => {
      const r = await sendJson(`${s.routerUrl}/items/${id}`, "PUT", { data: { v: 2 } });
      return r.status === 200 ? r : undefined;
    });
    expect(put.headers.get("x-served-by")).toBe("prod-ie");
    // prod-us comes back but gets nothing from prod-ie: it keeps the old value.
    await injectFault(s, { kind: "replication-paused" });
    await healFault(s, down.id);
    await eventually("prod-us to learn it is the standby", async () =>
      region(await stackStatus(s), "prod-us").role === "standby" ? true : undefined,
    );

    const stale = await sendJson(`${s.regionUrls["prod-us"]}/items/${id}`, "GET", undefined, {
      "x-failover-epoch": "1",
    });
    expect(stale.status).toBe(503);
    expect(stale.json).toMatchObject({ error: "not_active", activeRegion: "prod-ie", epoch: 2 });
    // Untagged (a standbyReads read, stale by choice) it still answers, with the old value.
    const untagged = await sendJson(`${s.regionUrls["prod-us"]}/items/${id}`, "GET");
    expect(untagged.json).toMatchObject({ data: { seed: true } });
    const routed = await sendJson(`${s.routerUrl}/items/${id}`, "GET");
    expect(routed.status).toBe(200);
    expect(routed.headers.get("x-served-by")).toBe("prod-ie");
    expect(routed.json).toMatchObject({ data: { v: 2 } });
  });
});
