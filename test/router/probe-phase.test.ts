import { describe, expect, it } from "vitest";
import { healthCheckSchema } from "../../config/router-policy-schema.ts";
import { ManualClock } from "../../core/clock.ts";
import { deriveSeed, seededRandom } from "../../core/random.ts";
import type { Transport } from "../../core/transport.ts";
import { ActiveChecker } from "../../router/health/active-checker.ts";

/** Probe start times of one checker over `forMs`, against a region that always answers 200. */
async function probeTimes(options: {
  seed?: number;
  jitterShare?: number;
  forMs: number;
}): Promise<number[]> {
  const clock = new ManualClock(0);
  const times: number[] = [];
  const transport: Transport = async () => {
    times.push(clock.nowMs());
    return new Response("{}", { status: 200 });
  };
  const checker = new ActiveChecker({
    target: { region: "prod-us", url: "http://prod-us/readyz", timeoutMs: 1000, connectTimeoutMs: 1000 },
    config: healthCheckSchema.parse({ intervalMs: 2000, jitterShare: options.jitterShare ?? 0 }),
    clock,
    transport,
    onTransition: () => {},
    // Hashed like the simulator's subsystem seeds: xoroshiro128+'s first draw from a small raw
    // seed is close to 1 for every seed.
    ...(options.seed !== undefined ? { random: seededRandom(deriveSeed(options.seed, "probes")) } : {}),
  });
  checker.start();
  await clock.advance(options.forMs);
  checker.stop();
  return times;
}

describe("health-check phase and jitter", () => {
  it("keeps the fixed grid without a Random (unit tests that assert exact times)", async () => {
    expect(await probeTimes({ forMs: 8000 })).toEqual([0, 2000, 4000, 6000, 8000]);
  });

  it("starts the grid at a phase drawn from the seed, uniform in one interval", async () => {
    const phases = await Promise.all(
      Array.from({ length: 40 }, async (_, seed) => (await probeTimes({ seed, forMs: 1999.999 }))[1]),
    );
    for (const p of phases) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(2000);
    }
    expect(new Set(phases).size).toBe(40);
    // Spread over the interval, not bunched: both halves are hit.
    expect(phases.some((p) => p! < 1000)).toBe(true);
    expect(phases.some((p) => p! >= 1000)).toBe(true);
    // Same seed, same phase.
    expect((await probeTimes({ seed: 3, forMs: 4000 }))[1]).toBe(phases[3]);
  });

  it("keeps each gap within intervalMs x (1 +/- jitterShare), and varies it", async () => {
    const times = await probeTimes({ seed: 5, jitterShare: 0.05, forMs: 200_000 });
    const gaps = times.slice(2).map((t, i) => t - times[i + 1]!);
    expect(gaps.length).toBeGreaterThan(80);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(1900);
      expect(g).toBeLessThanOrEqual(2100);
    }
    expect(new Set(gaps).size).toBeGreaterThan(gaps.length / 2);
  });

  it("keeps exact gaps with a Random but no jitterShare (only the phase is random)", async () => {
    const times = await probeTimes({ seed: 5, forMs: 20_000 });
    const gaps = times.slice(2).map((t, i) => t - times[i + 1]!);
    for (const g of gaps) expect(g).toBeCloseTo(2000, 6);
  });
});
