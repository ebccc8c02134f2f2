import { describe, expect, it } from "vitest";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { seedSpread } from "../../simulator/run/seed-spread.ts";
import { loadScenarioFile } from "../../simulator/scenario/load-scenario.ts";

/**
 * prod-us-hang's detection over 20 seeds (shortened: the fault at 18 s, a tenth of the rate; the
 * health-check policy is untouched). The routers' probe grids start at a phase drawn from the
 * seed, so a hang is detected interval x (fall - 1) + timeout after the first probe that reaches
 * the region after the fault, and that probe starts somewhere in one interval: with the production
 * policy (2000 ms, fall 3, timeout 1000 ms), between 2 x 2 + 1 = 5 s and 2 + 5 = 7 s after the
 * fault (README, "Detection over seeds"). A probe sent up to one one-way delay before the fault
 * arrives after it and fails too, so the lower bound gives way by the router-region delay (Ireland
 * to Virginia: 40 ms plus jitter; 100 ms allowed).
 */
describe("probe phases: detection depends on the seed", () => {
  it("spreads prod-us-hang's detection over 20 seeds within interval x (fall-1) + timeout + [0, interval)", async () => {
    const scenario = loadScenarioFile("simulator/scenarios/prod-us-hang.yaml", {
      scaleTime: 0.1,
      scaleRate: 0.1,
    }).scenarios[0]!;
    const hc = scenario.config.router.healthCheck;
    expect([hc.intervalMs, hc.fallCount, hc.timeoutMs, hc.jitterShare]).toEqual([2000, 3, 1000, 0]);
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const results = [];
    for (const seed of seeds) results.push((await runScenario(scenario, { seed })).result);
    const spread = seedSpread(seeds, results).spread[0]!;
    const detect = spread.detectS!;
    const lowS = (hc.intervalMs * (hc.fallCount - 1) + hc.timeoutMs) / 1000;
    const highS = lowS + hc.intervalMs / 1000;
    expect(detect.n).toBe(20);
    expect(detect.min).toBeGreaterThanOrEqual(lowS - 0.1);
    expect(detect.max).toBeLessThan(highS);
    // Not one value: the seed moves the phase. (Before: 5.000 s for every seed.)
    expect(detect.distinct).toBeGreaterThan(15);
    expect(detect.max - detect.min).toBeGreaterThan(1);
  }, 120_000);
});
