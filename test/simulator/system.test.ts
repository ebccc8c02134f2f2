import { describe, expect, it } from "vitest";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { Simulation } from "../../simulator/run/simulation.ts";
import { loadScenarioFile, parseScenarioText } from "../../simulator/scenario/load-scenario.ts";

/** A short scenario on the production environment; `extra` is appended YAML. */
function scenario(extra: string, base = "durationS: 60\nsettleS: 10\n") {
  const text = `name: t\n${base}latency: { table: inter-region, jitter: { distribution: none } }\nclients:\n  - { name: us, location: virginia, ratePerS: 20, writeShare: 0.2 }\n${extra}`;
  return parseScenarioText(text, "t.yaml", process.cwd()).scenarios[0]!;
}

describe("the real system in virtual time", () => {
  it("runs the real router and regions: requests succeed and writes replicate", async () => {
    const { result } = await runScenario(scenario(""), { seed: 1 });
    expect(result.requests.sent).toBeGreaterThan(1000);
    expect(result.requests.successRate).toBe(1);
    expect(result.requests.byStatus["201"]).toBeGreaterThan(100);
    expect(result.replication.caughtUp).toBe(true);
    expect(result.invariants.ok).toBe(true);
    // Virginia client, Virginia edge, Virginia region: two same-datacenter round trips (0.5 ms each,
    // Table 11, docs/latency-table-11.md) plus 0.5 ms (read) or 1.5 ms (write) of service time, no jitter.
    expect(result.latency[0]!.all!.p50Ms).toBeCloseTo(1.5, 2);
  });

  it("store-down: the real region's readiness fails and the routers fail over", async () => {
    const s = scenario("faults:\n  - { kind: store-down, region: prod-us, startS: 20, durationS: 20 }\n");
    const sim = new Simulation(s, 1);
    const downDuring: boolean[] = [];
    sim.engine.clock.at(30_000, () =>
      downDuring.push(sim.system.cells[0]!.regions.get("prod-us")!.store.down),
    );
    sim.engine.clock.at(45_000, () =>
      downDuring.push(sim.system.cells[0]!.regions.get("prod-us")!.store.down),
    );
    await sim.run();
    expect(downDuring).toEqual([true, false]);
    expect(sim.promotions.map((p) => [p.from, p.to, p.cause])).toEqual([["prod-us", "prod-ie", "failover"]]);
    expect(sim.promotions[0]!.atMs).toBeGreaterThanOrEqual(20_000);
  });

  it("router-restart: the router is refused while down and comes back as a new instance", async () => {
    const s = scenario(
      "faults:\n  - { kind: router-restart, router: edge-virginia, startS: 20, durationS: 5 }\n",
    );
    const sim = new Simulation(s, 1);
    const node = sim.system.cells[0]!.routers.get("edge-virginia")!;
    const first = node.router;
    await sim.run();
    expect(node.generation).toBe(2);
    expect(node.router).not.toBe(first);
    const refused = [...sim.recorder.statusCounts].filter(([k]) => k === "client refused");
    expect(refused[0]![1]).toBeGreaterThan(50); // ~20 requests/s for 5 s
    expect(sim.promotions).toEqual([]);
  });

  it("replication-paused: the standby falls behind, then catches up", async () => {
    const s = scenario("faults:\n  - { kind: replication-paused, startS: 10, durationS: 30 }\n");
    const sim = new Simulation(s, 1);
    const lag: number[] = [];
    const cell = sim.system.cells[0]!;
    const sample = () =>
      lag.push(cell.regions.get("prod-us")!.store.headSeq - cell.regions.get("prod-ie")!.store.headSeq);
    sim.engine.clock.at(39_000, sample);
    await sim.run();
    sample();
    expect(lag[0]).toBeGreaterThan(50);
    expect(lag[1]).toBe(0);
  });
});

describe("DNS failover as Route 53 does it", () => {
  it("detects after about interval x threshold, and clients follow within a TTL", async () => {
    const s = scenario(
      "failoverBy: dns\ndns: { requestIntervalS: 10, failureThreshold: 3, ttlS: 60 }\nfaults:\n  - { kind: region-down, region: prod-us, startS: 60, durationS: 240 }\n",
      "durationS: 300\nsettleS: 10\n",
    );
    const { result } = await runScenario(s, { seed: 1 });
    const cell = result.failover[0]!.cells[0]!;
    // Every checker needs 3 failed checks 10 s apart; detection lands between 20 and 30 s.
    expect(cell.detectS).toBeGreaterThan(20);
    expect(cell.detectS).toBeLessThanOrEqual(30);
    // Clients keep the old answer for up to the 60 s TTL after that.
    expect(cell.rtoS).toBeGreaterThan(cell.detectS!);
    expect(cell.rtoS).toBeLessThanOrEqual(cell.detectS! + 60 + 1);
    expect(result.promotions[0]).toMatchObject({ from: "prod-us", to: "prod-ie", cause: "failover" });
  });
});

describe("active/standby against active/active", () => {
  it("reproduces the seed's arithmetic: 0.5 ms against 183 ms per round trip, 366 times", async () => {
    const file = loadScenarioFile("simulator/scenarios/database-on-another-continent.yaml", {
      scaleRate: 0.5,
    });
    const [standby, active] = await Promise.all(file.scenarios.map((s) => runScenario(s, { seed: 1 })));
    const p50 = (r: typeof standby, loc: string) =>
      r!.result.latency.find((l) => l.location === loc)!.all!.p50Ms;
    // HDR histograms keep 3 significant digits: values are exact to 0.1%.
    expect(p50(standby, "sydney")).toBeCloseTo(183, 0);
    expect(p50(active, "sydney")).toBeCloseTo(0.5, 3);
    expect(Math.abs(p50(standby, "sydney") / p50(active, "sydney") / 366 - 1)).toBeLessThan(0.001);
    expect(p50(standby, "california")).toBeCloseTo(0.5, 3);
  });
});
