import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { runSweep } from "../../simulator/run/run-sweep.ts";
import { loadScenarioFile, SCENARIOS_DIR } from "../../simulator/scenario/load-scenario.ts";

const files = readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("shipped scenarios", () => {
  it("include the ones the issue asks for", () => {
    for (const name of [
      "prod-us-outage",
      "prod-us-hang",
      "brownout-below-threshold",
      "brownout-above-threshold",
      "replication-partition-then-region-loss",
      "flapping-region",
      "dns-vs-router",
      "active-active-vs-active-standby",
      "sync-vs-async",
      "sweep-health-checks",
    ]) {
      expect(files).toContain(`${name}.yaml`);
    }
  });

  // Full timelines (detection and DNS TTLs need them) at a tenth of the request rate.
  for (const file of files.filter((f) => !f.startsWith("sweep"))) {
    it(`${file} runs, keeps the invariants and meets its own expectations`, async () => {
      const loaded = loadScenarioFile(join(SCENARIOS_DIR, file), { scaleRate: 0.1 });
      for (const scenario of loaded.scenarios) {
        const { result } = await runScenario(scenario, { seed: scenario.seed ?? 1 });
        expect(result.requests.sent, scenario.label).toBeGreaterThan(0);
        expect(result.invariants.violations, scenario.label).toEqual([]);
        expect(
          result.expectations.filter((e) => !e.met),
          scenario.label,
        ).toEqual([]);
      }
    }, 120_000);
  }

  it("sweep-health-checks: short intervals and low thresholds detect faster and fail over on noise", async () => {
    const loaded = loadScenarioFile(join(SCENARIOS_DIR, "sweep-health-checks.yaml"), { scaleRate: 0.1 });
    const small = { ...loaded, sweep: { ...loaded.sweep!, intervalMs: [500, 5000], fallCount: [1, 5] } };
    const result = await runSweep(small, 1);
    const cell = (intervalMs: number, fallCount: number) =>
      result.cells.find((c) => c.intervalMs === intervalMs && c.fallCount === fallCount)!;
    expect(result.cells).toHaveLength(4);
    expect(cell(500, 1).detectS!).toBeLessThan(cell(5000, 5).detectS!);
    expect(cell(500, 1).falseFailovers).toBeGreaterThan(cell(5000, 5).falseFailovers);
    for (const c of result.cells) expect(c.invariantsOk).toBe(true);
  }, 300_000);
});
