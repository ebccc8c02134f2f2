import { describe, expect, it } from "vitest";
import { CapacityPool } from "../../simulator/capacity/capacity-pool.ts";
import { degradedService } from "../../simulator/capacity/degraded-service.ts";
import { SimEngine } from "../../simulator/engine/engine.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { parseScenarioText } from "../../simulator/scenario/load-scenario.ts";

/**
 * A pool with fixed 10 ms service times; `arrive` admits a request by name, and `startsBy(ms)`
 * runs to `ms` and lists when each request started, as `name@ms`.
 */
function pool(concurrency: number, queueMax: number) {
  const engine = new SimEngine();
  const p = new CapacityPool(engine.clock, "r", concurrency, queueMax, () => 10);
  const started: string[] = [];
  const arrive = (name: string, gone = () => false) =>
    p.admit({ serve: () => started.push(`${name}@${engine.clock.exactMs}`), gone });
  const startsBy = async (ms: number) => {
    await engine.runUntil({ untilMs: ms });
    return started;
  };
  return { engine, p, arrive, startsBy };
}

describe("capacity pool (workers, a bounded FIFO, shedding)", () => {
  it("serves up to its concurrency at once, queues the next ones in order, sheds beyond the queue", async () => {
    const { p, arrive, startsBy } = pool(2, 2);
    const admitted = ["a", "b", "c", "d", "e"].map((n) => arrive(n));
    expect(admitted).toEqual([true, true, true, true, false]);
    expect(await startsBy(100)).toEqual(["a@0", "b@0", "c@10", "d@10"]);
    expect(p.stats).toMatchObject({ served: 4, shed: 1, queueMaxSeen: 2, waitMaxMs: 10 });
  });

  it("skips a queued request whose caller has gone (timed out) instead of serving it", async () => {
    const { p, arrive, startsBy } = pool(1, 5);
    arrive("a");
    arrive("gone", () => true);
    arrive("c");
    expect(await startsBy(100)).toEqual(["a@0", "c@10"]);
    expect(p.stats.abandoned).toBe(1);
  });

  it("starts queued requests on new workers when it scales up", async () => {
    const { engine, p, arrive, startsBy } = pool(1, 10);
    for (const n of ["a", "b", "c", "d"]) arrive(n);
    engine.clock.at(5, () => p.resize(4));
    expect(await startsBy(100)).toEqual(["a@0", "b@5", "c@5", "d@5"]);
    expect(p.stats.concurrency).toEqual([
      [0, 1],
      [0.005, 4],
    ]);
  });
});

describe("minutes of degraded service", () => {
  it("counts the buckets below the success-rate SLO or above the p99 SLO, merged into intervals", () => {
    const timeline = {
      bucketS: 30,
      locations: [
        { location: "a", p50Ms: [], p99Ms: [5, 5, 2000, 5, 5, 5], successRate: [1, 0.5, 1, 1, 1, 0.98] },
        { location: "b", p50Ms: [], p99Ms: [5, 5, 5, 5, 5, 5], successRate: [1, 1, 1, 1, null, 1] },
      ],
    };
    const d = degradedService(timeline, { successRateMin: 0.99, p99MsMax: 1000 }, 180);
    expect(d.intervals).toEqual([
      { fromS: 30, toS: 90 },
      { fromS: 120, toS: 180 },
    ]);
    expect(d.minutes).toBe(2);
  });
});

/** A minute of the warm-standby story, shortened: prod-us down at 10 s, the standby at 25% scales up 20 s after its promotion. */
function warmStandby(share: number, extra = "") {
  const text = `name: t
durationS: 60
settleS: 10
latency: { table: inter-region, jitter: { distribution: none } }
capacity:
  source: test figures (the shipped warm-standby-capacity.yaml says where its own come from)
  serviceTimeMs: { distribution: lognormal, medianMs: 4.6, sigma: 0.5, capMs: 1000 }
  region: { concurrency: 4, queueMax: 200 }
  standby: { share: ${share}, scaleUpS: 20 }
clients:
  - { name: us, location: virginia, ratePerS: 300, writeShare: 0.1${extra} }
  - { name: eu, location: ireland, ratePerS: 100, writeShare: 0.1${extra} }
faults:
  - { kind: region-down, region: prod-us, startS: 10, durationS: 40 }
`;
  return parseScenarioText(text, "t.yaml", process.cwd()).scenarios[0]!;
}

describe("capacity in a run: a warm standby queues, sheds and recovers as capacity arrives", () => {
  it("sheds while prod-ie runs at 25% and recovers once it scales up; a hot standby does not", async () => {
    const warm = (await runScenario(warmStandby(0.25), { seed: 1 })).result;
    const standby = warm.capacity!.pools.find((p) => p.name === "prod-ie")!;
    const promotedS = warm.promotions[0]!.atS;
    expect(standby.concurrency[0]).toEqual([0, 1]);
    expect(standby.concurrency[1]![0]).toBeCloseTo(promotedS + 20, 3);
    expect(standby.concurrency[1]![1]).toBe(4);
    expect(standby.shed).toBeGreaterThan(1000);
    expect(standby.queueMaxSeen).toBe(200);
    expect(warm.requests.byStatus["503 overloaded"]).toBeGreaterThan(1000);
    // Degraded from the fault until the capacity arrives (2 s buckets by send time), then fine.
    const [degraded] = warm.capacity!.degraded.intervals;
    expect(warm.capacity!.degraded.intervals).toHaveLength(1);
    expect(degraded!.fromS).toBeGreaterThanOrEqual(8);
    expect(degraded!.fromS).toBeLessThanOrEqual(10);
    expect(degraded!.toS).toBeGreaterThanOrEqual(promotedS + 20 - 2);
    expect(degraded!.toS).toBeLessThanOrEqual(promotedS + 20 + 4);

    const hot = (await runScenario(warmStandby(1), { seed: 1 })).result;
    expect(hot.capacity!.pools.every((p) => p.shed === 0)).toBe(true);
    expect(hot.capacity!.degraded.minutes).toBeLessThan(0.1);
  }, 120_000);

  it("counts client retries as load: the same outage with retrying clients sheds more", async () => {
    const plain = (await runScenario(warmStandby(0.25), { seed: 2 })).result;
    const retrying = (await runScenario(warmStandby(0.25, ", retries: { max: 3 }"), { seed: 2 })).result;
    const shed = (r: typeof plain) => r.capacity!.pools.reduce((sum, p) => sum + p.shed, 0);
    expect(retrying.capacity!.clientRetries).toBeGreaterThan(1000);
    expect(shed(retrying)).toBeGreaterThan(2 * shed(plain));
  }, 120_000);

  it("is deterministic, and leaves a run without a capacity block as it was (no capacity field)", async () => {
    const a = JSON.stringify((await runScenario(warmStandby(0.25), { seed: 3 })).result);
    const b = JSON.stringify((await runScenario(warmStandby(0.25), { seed: 3 })).result);
    expect(b).toBe(a);
    const text = `name: t\ndurationS: 5\nsettleS: 5\nclients:\n  - { location: virginia, ratePerS: 10 }\n`;
    const none = (
      await runScenario(parseScenarioText(text, "t.yaml", process.cwd()).scenarios[0]!, { seed: 1 })
    ).result;
    expect(none.capacity).toBeUndefined();
  }, 120_000);
});
