import { describe, expect, it } from "vitest";
import type { ScenarioResult } from "../../simulator/report/result.ts";
import type { LatencySummary } from "../../simulator/report/run-recorder.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { parseScenarioText } from "../../simulator/scenario/load-scenario.ts";

// Issue 12's two latency faults: a slow control replica and a store latency spike.

/** Production (MRSC control plane in us-east-1, us-east-2, us-west-2), a router in Ohio. */
function scenario(faults: string) {
  const text =
    "name: t\ndurationS: 60\nsettleS: 10\nlatency: { table: inter-region, jitter: { distribution: none } }\n" +
    "routers:\n  - { id: edge-ohio, location: ohio }\n" +
    "clients:\n  - { name: us, location: virginia, ratePerS: 10, writeShare: 0.2 }\n" +
    `faults:\n${faults}`;
  return parseScenarioText(text, "t.yaml", process.cwd()).scenarios[0]!;
}

/** Virginia's latency in the phase whose name starts with `name` ("during prod-us store +200 ms"). */
function phase(result: ScenarioResult, name: string): LatencySummary {
  const phases = result.latency.find((l) => l.location === "virginia")!.phases;
  return Object.entries(phases).find(([key]) => key.startsWith(name))![1];
}

const DOWN = "  - { kind: region-down, region: prod-us, startS: 20, durationS: 20 }\n";

async function detectToPromoteS(extraFaults: string): Promise<number> {
  const { result } = await runScenario(scenario(DOWN + extraFaults), { seed: 1 });
  const cell = result.failover[0]!.cells[0]!;
  expect(cell.promotedTo).toBe("prod-ie");
  return cell.promoteS! - cell.detectS!;
}

describe("control-replica-slow", () => {
  it("the router's nearest replica answering 500 ms late delays the promotion by that much", async () => {
    const fast = await detectToPromoteS("");
    const slow = await detectToPromoteS(
      "  - { kind: control-replica-slow, replica: control-us-east-2, addedLatencyMs: 500, startS: 5, durationS: 50 }\n",
    );
    expect(fast).toBeLessThan(0.2);
    expect(slow - fast).toBeGreaterThanOrEqual(0.5);
  }, 60_000);

  it("a slow member outside the fastest majority costs nothing (awsRegion selects it)", async () => {
    const fast = await detectToPromoteS("");
    const oregonSlow = await detectToPromoteS(
      "  - { kind: control-replica-slow, awsRegion: us-west-2, addedLatencyMs: 500, startS: 5, durationS: 50 }\n",
    );
    // Ohio's majority is Ohio + Virginia (12 ms), so Oregon's delay is never waited for.
    expect(oregonSlow - fast).toBeLessThan(0.05);
  }, 60_000);

  it("names exactly one of replica or awsRegion, and only members that exist", () => {
    expect(() =>
      scenario("  - { kind: control-replica-slow, addedLatencyMs: 5, startS: 5, durationS: 5 }\n"),
    ).toThrow(/exactly one of replica/);
    expect(() =>
      scenario(
        "  - { kind: control-replica-slow, replica: control-eu-west-1, addedLatencyMs: 5, startS: 5, durationS: 5 }\n",
      ),
    ).toThrow(/not a control replica \(have control-us-east-1, control-us-east-2, control-us-west-2\)/);
  });
});

describe("store-latency-spike", () => {
  it("adds its delay to every store call while it lasts, and only then", async () => {
    const { result } = await runScenario(
      scenario(
        "  - { kind: store-latency-spike, region: prod-us, addedLatencyMs: 200, startS: 20, durationS: 20 }\n",
      ),
      { seed: 1 },
    );
    const before = phase(result, "before").p50Ms;
    expect(phase(result, "during").p50Ms - before).toBeGreaterThanOrEqual(200);
    expect(Math.abs(phase(result, "after").p50Ms - before)).toBeLessThan(20);
    // 200 ms is under the probe timeout: no failover, and none is warranted.
    expect(result.promotions).toEqual([]);
    expect(result.invariants.ok).toBe(true);
  }, 60_000);

  it("jitter spreads the delay: p99 well above p50 during the spike", async () => {
    const { result } = await runScenario(
      scenario(
        "  - { kind: store-latency-spike, region: prod-us, addedLatencyMs: 100, jitterMs: 400, startS: 20, durationS: 20 }\n",
      ),
      { seed: 1 },
    );
    const during = phase(result, "during");
    expect(during.p50Ms).toBeGreaterThan(100);
    expect(during.p99Ms - during.p50Ms).toBeGreaterThan(150);
  }, 60_000);
});
