import { describe, expect, it } from "vitest";
import { STALL_MS } from "../support/loaded-machine.ts";
import { healFault, injectFault, stackStatus, waitForActive } from "./support/control.ts";
import { eventually, sendJson } from "./support/http.ts";
import { expectNoFailures, startLoop } from "./support/request-loop.ts";
import { FAILOVER_WAIT_MS, FAST_ROUTER, stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

describe("router faults on the live stack", () => {
  it("router-restart: health state and decisions are lost, the control record is not, and traffic is served", async () => {
    const stack = await stacks.start();
    const down = await injectFault(stack, { kind: "region-down", region: "prod-us" });
    await waitForActive(stack, "prod-ie");
    await healFault(stack, down.id);
    const loop = startLoop({ routerUrl: stack.routerUrl, workers: 2, paceMs: 10, maxRequests: 200 });
    await eventually("traffic before the restart", () => loop.outcomes.length >= 10);
    const before = await stackStatus(stack);
    expect(before.router.decisions.length).toBeGreaterThan(0);

    const restart = await injectFault(stack, { kind: "router-restart" });
    const after = await stackStatus(stack);
    const countAtRestart = loop.outcomes.length;
    await eventually("traffic after the restart", () => loop.outcomes.length >= countAtRestart + 10);
    const outcomes = await loop.stop();

    expect(after.router.decisions.filter((d) => d.kind === "promote")).toEqual([]);
    // The new router knows the record prod-ie was promoted in, and sends writes there.
    expect(after.router.epoch ?? (await stackStatus(stack)).router.epoch).toBe(2);
    expectNoFailures(outcomes, (await stackStatus(stack)).router.decisions);
    expect(outcomes.slice(countAtRestart).every((o) => o.servedBy === "prod-ie")).toBe(true);
    // A restart has nothing to undo: it is already over, and healing it is harmless.
    expect((await stackStatus(stack)).faults.map((f) => f.id)).toContain(restart.id);
    await healFault(stack, restart.id);
  });

  it("flapping: fall/rise and the failback hold-down keep the router from promoting on every flap", async () => {
    // Each phase spans two probe intervals, so the router sees prod-us fall and rise again every
    // cycle (a half-period equal to the interval could alias with the probes and hide the
    // flapping), and the failback hold-down outlasts an up phase by an interval and a stall.
    const { intervalMs } = FAST_ROUTER.healthCheck;
    const phaseS = Math.ceil((2 * intervalMs) / 100) / 10;
    const periodS = 2 * phaseS;
    const holdDownMs = phaseS * 1000 + intervalMs + STALL_MS;
    const stack = await stacks.start({ router: { failback: { mode: "automatic", holdDownMs } } });
    const loop = startLoop({ routerUrl: stack.routerUrl, workers: 2, paceMs: 20, maxRequests: 400 });
    const fault = await injectFault(stack, {
      kind: "flapping",
      region: "prod-us",
      periodS,
      downS: phaseS,
    });
    const startedAtMs = Date.now();
    await waitForActive(stack, "prod-ie");
    await eventually(
      "two and a half flaps",
      () => Date.now() - startedAtMs >= 2.5 * periodS * 1000,
      4 * periodS * 1000,
    );
    const during = await stackStatus(stack);
    const outcomes = await loop.stop();

    const flaps = Math.floor((Date.now() - startedAtMs) / (periodS * 1000));
    const promotions = during.router.epoch - 1;
    const healthFlips = during.router.decisions.filter(
      (d) => d.kind === "health" && d.region === "prod-us",
    ).length;
    expect(flaps).toBeGreaterThanOrEqual(2);
    // The router saw prod-us fall, rise and fall again...
    expect(healthFlips, JSON.stringify(during.router.decisions)).toBeGreaterThanOrEqual(3);
    // ...and promoted once: the failover, never a failback into a region that is about to drop.
    expect(promotions).toBe(1);
    expect(during.router.activeRegion).toBe("prod-ie");
    expectNoFailures(outcomes, during.router.decisions);
    console.info(
      `[measure] flapping: ${flaps} flaps of prod-us, ${healthFlips} health changes seen, ${promotions} promotion(s)`,
    );

    await healFault(stack, fault.id);
    // Once prod-us stays up for the hold-down, the router fails back: one more promotion.
    const back = await waitForActive(stack, "prod-us", holdDownMs + FAILOVER_WAIT_MS);
    expect(back.router.epoch).toBe(3);
    const write = await sendJson(`${stack.routerUrl}/items`, "POST", { data: { after: "flapping" } });
    expect(write.status).toBe(201);
  });
});
