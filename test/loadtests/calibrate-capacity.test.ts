import { describe, expect, it } from "vitest";
import { calibrateCapacity } from "../../loadtests/runner/calibrate-capacity.ts";
import { capacitySchema } from "../../simulator/capacity/capacity-schema.ts";

// Expected values worked by hand from the definitions in calibrate-capacity.ts:
// median = 8 - 1.5 = 6.5 ms; sigma = ln((10 - 2) / 6.5) / 0.6745 = ln(1.2308) / 0.6745 = 0.3078;
// mean = 6.5 x exp(0.3078^2 / 2) = 6.5 x 1.0485 = 6.815 ms; X = 1500 / 3 s = 500 /s;
// workers = round(500 x 0.006815) = round(3.408) = 3.
const INPUT = {
  liveIdle: { p50Ms: 8, p75Ms: 10 },
  simIdle: { p50Ms: 1.5, p75Ms: 2 },
  saturation: { requests: 1500, durationS: 3 },
};

describe("calibrateCapacity", () => {
  it("computes service time and workers by their definitions", () => {
    const c = calibrateCapacity(INPUT);
    expect(c.serviceMedianMs).toBe(6.5);
    expect(c.serviceSigma).toBeCloseTo(0.308, 3);
    expect(c.serviceMeanMs).toBeCloseTo(6.815, 3);
    expect(c.saturationPerS).toBe(500);
    expect(c.concurrency).toBe(3);
  });

  it("puts the cost in the router's pool, as a capacity block the simulator accepts", () => {
    const { capacity } = calibrateCapacity(INPUT);
    expect(() => capacitySchema.parse(capacity)).not.toThrow();
    expect(capacity.router).toMatchObject({
      concurrency: 3,
      serviceTimeMs: { distribution: "lognormal", medianMs: 6.5, sigma: 0.308 },
    });
    expect(capacity.serviceTimeMs).toEqual({ distribution: "none" });
    expect(capacity.source).toContain("8.0 / 10.0 ms");
  });

  it("a tail no longer than the median's excess gives the smallest spread, not a negative one", () => {
    const c = calibrateCapacity({ ...INPUT, liveIdle: { p50Ms: 8, p75Ms: 8.5 } });
    expect(c.serviceSigma).toBe(0.01);
  });

  it("a live stack no slower than the simulator still gets a positive service time and one worker", () => {
    const c = calibrateCapacity({
      ...INPUT,
      liveIdle: { p50Ms: 1, p75Ms: 1.5 },
      saturation: { requests: 30, durationS: 3 },
    });
    expect(c.serviceMedianMs).toBe(0.01);
    expect(c.concurrency).toBe(1);
  });
});
