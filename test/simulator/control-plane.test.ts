import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { DriftingClock, nodeClock } from "../../simulator/engine/drifting-clock.ts";
import { SimEngine } from "../../simulator/engine/engine.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { Simulation } from "../../simulator/run/simulation.ts";
import {
  loadScenarioFile,
  parseScenarioText,
  SCENARIOS_DIR,
} from "../../simulator/scenario/load-scenario.ts";
import { ObservedControlStore } from "../../simulator/system/observed-control.ts";

/** A short production scenario with routers outside us-east-1 unless `routers` says otherwise. */
function scenario(extra: string, routers = "routers:\n  - { id: edge-ohio, location: ohio }\n") {
  const text =
    "name: t\ndurationS: 60\nsettleS: 10\nlatency: { table: inter-region, jitter: { distribution: none } }\n" +
    `${routers}clients:\n  - { name: us, location: virginia, ratePerS: 10, writeShare: 0.2 }\n${extra}`;
  return parseScenarioText(text, "t.yaml", process.cwd()).scenarios[0]!;
}

describe("aws-region-outage vs the control record's placement (shipped comparison)", () => {
  it("single replica in us-east-1: no promotion while it lasts, and the report says why; MRSC: promotes", async () => {
    const file = join(SCENARIOS_DIR, "aws-region-outage-control-placement.yaml");
    const [single, mrsc] = loadScenarioFile(file, { scaleRate: 0.3 }).scenarios;
    const one = (await runScenario(single!, { seed: 1 })).result;
    const three = (await runScenario(mrsc!, { seed: 1 })).result;

    const outage = one.failover[0]!;
    expect(outage.domain).toBe("AWS us-east-1: prod-us and its store, control us-east-1");
    const cell = outage.cells[0]!;
    expect(cell.promoteS === undefined || cell.promoteS >= outage.endS - outage.startS).toBe(true);
    expect(cell.notPromotedBecause).toMatch(/control-error.*no replica answered.*control-us-east-1/);
    expect(one.controlPlane[0]!.replicas.map((r) => r.name)).toEqual(["control-us-east-1"]);

    const moved = three.failover[0]!.cells[0]!;
    expect(moved.promotedTo).toBe("prod-ie");
    expect(moved.promoteS!).toBeLessThan(2);
    expect(moved.notPromotedBecause).toBeUndefined();
    // The promotion is a compare-and-set the routers send to Ohio, which answers once Oregon (its
    // nearest member still up: 46 ms away) has it: the promotion pays that round trip after detection.
    expect(moved.promoteS! - moved.detectS!).toBeGreaterThan(0.046);
    const byName = new Map(three.controlPlane[0]!.replicas.map((r) => [r.name, r]));
    expect(byName.get("control-us-east-2")!.answered).toBeGreaterThan(0);
    expect(byName.get("control-us-east-2")!.quorumMsMean!).toBeGreaterThan(7.8);
    expect(three.invariants.ok).toBe(true);
  }, 120_000);
});

describe("aws-region-outage takes down every part in its AWS region", () => {
  it("a router placed there is refused and rebuilt afterwards; one elsewhere carries on", async () => {
    const s = scenario(
      "faults:\n  - { kind: aws-region-outage, awsRegion: us-east-1, startS: 20, durationS: 10 }\n",
      "routers:\n  - { id: edge-virginia, location: virginia }\n  - { id: edge-ohio, location: ohio }\n",
    );
    expect(s.routers.map((r) => [r.id, r.awsRegion])).toEqual([
      ["edge-virginia", "us-east-1"],
      ["edge-ohio", "us-east-2"],
    ]);
    const sim = new Simulation(s, 1);
    await sim.run();
    const cell = sim.system.cells[0]!;
    expect(cell.routers.get("edge-virginia")!.generation).toBe(2);
    expect(cell.routers.get("edge-ohio")!.generation).toBe(1);
    expect(sim.promotions.map((p) => [p.from, p.to])).toEqual([["prod-us", "prod-ie"]]);
  }, 60_000);

  it("names the AWS regions it knows when given one no part runs in", () => {
    expect(() =>
      scenario(
        "faults:\n  - { kind: aws-region-outage, awsRegion: ap-south-1, startS: 20, durationS: 10 }\n",
      ),
    ).toThrow(
      /awsRegion: no part of the system runs in "ap-south-1" \(parts run in eu-west-1, us-east-1, us-east-2, us-west-2\)/,
    );
  });
});

describe("control replicas answer only with a majority", () => {
  it("a replica cut off from both others refuses (no quorum); callers fall back to the next replica", async () => {
    const s = scenario(
      "faults:\n" +
        "  - { kind: partition, between: [control-us-east-1, control-us-east-2], startS: 10, durationS: 20 }\n" +
        "  - { kind: partition, between: [control-us-east-1, control-us-west-2], startS: 10, durationS: 20 }\n",
    );
    const { result } = await runScenario(s, { seed: 1 });
    const byName = new Map(result.controlPlane[0]!.replicas.map((r) => [r.name, r]));
    expect(byName.get("control-us-east-1")!.noQuorum).toBeGreaterThan(10);
    expect(byName.get("control-us-east-2")!.answered).toBeGreaterThan(10);
    expect(result.requests.successRate).toBe(1);
    expect(result.promotions).toEqual([]);
  }, 60_000);
});

describe("ObservedControlStore (ground truth)", () => {
  it("records compare-and-set promotions and sync-standby changes, each with its kind", async () => {
    let nowMs = 0;
    const store = new ObservedControlStore(() => nowMs, {
      activeRegion: "prod-us",
      epoch: 1,
      updatedAtMs: 0,
      reason: "start",
      syncStandby: "prod-ie",
    });
    nowMs = 5;
    const dropped = await store.setSyncStandby("prod-ie", {
      activeRegion: "prod-us",
      epoch: 1,
      updatedAtMs: 5,
      reason: "prod-ie unreachable",
      syncStandby: null,
    });
    expect(dropped.ok).toBe(true);
    nowMs = 9;
    await store.compareAndSet(
      1,
      { activeRegion: "prod-ie", epoch: 2, updatedAtMs: 9, reason: "failover" },
      null,
    );
    expect(store.changes.map((c) => [c.atMs, c.kind, c.to.epoch, c.to.syncStandby ?? null])).toEqual([
      [5, "sync-standby", 1, null],
      [9, "compare-and-set", 2, null],
    ]);
    expect(store.current()?.activeRegion).toBe("prod-ie");
  });
});

describe("clock drift per node", () => {
  it("a drifting clock reads rate x virtual time and scales its timers to match", async () => {
    const engine = new SimEngine();
    const fast = new DriftingClock(engine.clock, 1.001);
    const fired: number[] = [];
    fast.setTimer(1000, () => fired.push(engine.clock.exactMs));
    engine.clock.at(10_000, () => fired.push(fast.nowMs() - engine.clock.nowMs()));
    await engine.runUntil({ untilMs: 20_000 });
    expect(fired[0]).toBeCloseTo(1000 / 1.001, 6);
    expect(fired[1]).toBe(10);
  });

  it("no drift bound: every node gets the virtual clock itself (results unchanged)", () => {
    const engine = new SimEngine();
    expect(nodeClock(engine.clock, 0, 1, "router:edge-ohio")).toBe(engine.clock);
    const drifting = nodeClock(engine.clock, 200, 1, "router:edge-ohio") as DriftingClock;
    expect(Math.abs(drifting.rate - 1)).toBeLessThanOrEqual(200e-6);
    expect(drifting.rate).not.toBe(1);
    expect((nodeClock(engine.clock, 200, 1, "region:prod-us") as DriftingClock).rate).not.toBe(drifting.rate);
    expect((nodeClock(engine.clock, 200, 1, "router:edge-ohio") as DriftingClock).rate).toBe(drifting.rate);
  });

  it("a scenario's clockDriftPpm gives routers and regions their own clocks, deterministically", async () => {
    const s = scenario("clockDriftPpm: 500\n");
    const readings = async () => {
      const sim = new Simulation(s, 4);
      const cell = sim.system.cells[0]!;
      let seen: number[] = [];
      sim.engine.clock.at(50_000, () => {
        seen = [
          cell.routers.get("edge-ohio")!.router.status().nowMs,
          ...[...cell.regions.values()].map((r) => r.store.headSeq),
        ];
      });
      await sim.run();
      return seen;
    };
    const first = await readings();
    expect(await readings()).toEqual(first);
    // 500 ppm over 50 s is at most 25 ms away from the virtual clock, and not exactly on it.
    const virtualMs = new ManualClock(Date.UTC(2026, 0, 1) + 50_000).nowMs();
    expect(Math.abs(first[0]! - virtualMs)).toBeLessThanOrEqual(25);
    expect(first[0]).not.toBe(virtualMs);
  }, 60_000);
});
