import { describe, expect, it } from "vitest";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { DEFAULT_SCENARIO, loadScenarioFile } from "../../simulator/scenario/load-scenario.ts";

/** The default scenario (prod-us outage), shortened: 63 virtual seconds at a third of the rate. */
async function run(seed: number): Promise<string> {
  const scenario = loadScenarioFile(DEFAULT_SCENARIO, { scaleTime: 0.1, scaleRate: 0.3 }).scenarios[0]!;
  const { result } = await runScenario(scenario, { seed });
  return JSON.stringify(result, null, 2);
}

describe("determinism", () => {
  it("gives byte-identical JSON for the same scenario and seed", async () => {
    const first = await run(7);
    const second = await run(7);
    expect(second).toBe(first);
    const parsed = JSON.parse(first) as { scenario: { seed: number }; requests: { sent: number } };
    expect(parsed.scenario.seed).toBe(7);
    expect(parsed.requests.sent).toBeGreaterThan(1000);
  });

  it("gives different runs for different seeds", async () => {
    const a = JSON.parse(await run(1)) as {
      requests: unknown;
      latency: unknown;
      scenario: { seeds: Record<string, number> };
    };
    const b = JSON.parse(await run(2)) as typeof a;
    expect(b.scenario.seeds).not.toEqual(a.scenario.seeds);
    expect(JSON.stringify(b.latency)).not.toBe(JSON.stringify(a.latency));
  });

  it("puts no wall-clock value in the result", async () => {
    const text = await run(3);
    // Every timestamp in a result is virtual: seconds from the start of the run, never an epoch.
    expect(text).not.toMatch(/"(wall|seconds|elapsed|startedAt|date)"/i);
    expect(text).not.toMatch(/1[78]\d{11}/);
  });
});
