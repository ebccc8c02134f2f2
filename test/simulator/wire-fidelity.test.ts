import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { loadScenarioFile, SCENARIOS_DIR } from "../../simulator/scenario/load-scenario.ts";

/**
 * Every run crosses the simulated network with light Request/Response/Headers objects and the
 * Transport contract's raw path (core/transport.ts); they exist for speed only. Runs with
 * undici's own objects end to end must report exactly the same thing, byte for byte: latency,
 * errors, failover times, lost writes. Scenarios chosen to cover what the wire carries: writes
 * and replication, refused connections, hung regions (timeouts), brownout 503s, a failover.
 */
const SCENARIOS = [
  "prod-us-outage.yaml",
  "prod-us-hang.yaml",
  "brownout-above-threshold.yaml",
  "replication-partition-then-region-loss.yaml",
];

async function resultJson(file: string, wire: "light" | "native"): Promise<string> {
  const scenario = loadScenarioFile(resolve(SCENARIOS_DIR, file), { scaleTime: 0.1, scaleRate: 0.2 })
    .scenarios[0]!;
  const { result } = await runScenario(scenario, { seed: 11, wire });
  return JSON.stringify(result, null, 1);
}

describe("light HTTP objects on the simulated wire", () => {
  for (const file of SCENARIOS) {
    it(`change nothing a run reports: ${file}`, async () => {
      const light = await resultJson(file, "light");
      const native = await resultJson(file, "native");
      expect(light).toBe(native);
      const parsed = JSON.parse(light) as { requests: { sent: number } };
      expect(parsed.requests.sent).toBeGreaterThan(500);
    }, 60_000);
  }
});
