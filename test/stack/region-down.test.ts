import { describe, expect, it } from "vitest";
import { EventLoopStalls } from "../support/event-loop-stalls.ts";
import {
  healFault,
  injectIntoSteadyStack,
  promotedAtMs,
  seedReplicatedItem,
  stackStatus,
  waitForActive,
} from "./support/control.ts";
import { eventually, portOf, tcpConnect } from "./support/http.ts";
import { expectNoFailures, startLoop } from "./support/request-loop.ts";
import { FAST_ROUTER, stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

describe("region-down on the live stack", () => {
  it("refuses connections, moves traffic to prod-ie with no failed idempotent request, and heals", async () => {
    const stack = await stacks.start();
    const stalls = new EventLoopStalls();
    const readItemId = await seedReplicatedItem(stack);
    const loop = startLoop({
      routerUrl: stack.routerUrl,
      workers: 4,
      paceMs: 20,
      maxRequests: 400,
      readItemId,
    });
    await eventually("some traffic before the fault", () => loop.outcomes.length >= 20);

    const fault = await injectIntoSteadyStack(stack, { kind: "region-down", region: "prod-us" });
    const { injectedAtMs } = fault;
    expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("ECONNREFUSED");
    const moved = await waitForActive(stack, "prod-ie");
    const failoverMs = promotedAtMs(moved, "prod-ie")! - injectedAtMs;
    const countAtFailover = loop.outcomes.length;
    await eventually("traffic after the failover", () => loop.outcomes.length >= countAtFailover + 20);
    const outcomes = await loop.stop();
    stalls.stop();

    expectNoFailures(outcomes, { injectedAtMs, decisions: (await stackStatus(stack)).router.decisions });
    expect(outcomes.some((o) => o.servedBy === "prod-ie" && o.op === "write")).toBe(true);
    // A refused connection is confirmed by fast probes, within one probe interval (without them,
    // fall x interval); plus the time this process could not run on a busy machine.
    expect(failoverMs).toBeLessThan(FAST_ROUTER.healthCheck.intervalMs + stalls.slackMs(3));
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
});
