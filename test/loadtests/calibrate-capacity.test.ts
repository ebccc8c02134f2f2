import { describe, expect, it } from "vitest";
import { calibrateCapacity } from "../../loadtests/runner/calibrate-capacity.ts";
import { capacitySchema } from "../../simulator/capacity/capacity-schema.ts";

// Expected values worked by hand from the definitions in calibrate-capacity.ts:
// service (spaced reads): median = 8 - 1.5 = 6.5 ms; sigma = ln((10 - 2) / 6.5) / 0.6745
//   = ln(1.2308) / 0.6745 = 0.3078; mean = 6.5 x exp(0.3078^2 / 2) = 6.5 x 1.0485 = 6.815 ms;
// busy (back-to-back reads): median = 7 - 1.5 = 5.5 ms; sigma = ln((8.5 - 2) / 5.5) / 0.6745
//   = ln(1.1818) / 0.6745 = 0.2477; mean = 5.5 x exp(0.2477^2 / 2) = 5.5 x 1.0311 = 5.671 ms;
// X = 1200 / 3 s = 400 /s; workers = round(400 x 0.005671) = round(2.269) = 2 (the spaced
// reads' mean would give round(400 x 0.006815) = round(2.726) = 3).
const INPUT = {
  liveIdle: { p50Ms: 7, p75Ms: 8.5 },
  liveSpaced: { p50Ms: 8, p75Ms: 10 },
  simIdle: { p50Ms: 1.5, p75Ms: 2 },
  saturation: { requests: 1200, durationS: 3 },
};

describe("calibrateCapacity", () => {
  it("takes the service time from the spaced reads and the workers from the back-to-back ones", () => {
    const c = calibrateCapacity(INPUT);
    expect(c.serviceMedianMs).toBe(6.5);
    expect(c.serviceSigma).toBeCloseTo(0.308, 3);
    expect(c.serviceMeanMs).toBeCloseTo(6.815, 3);
    expect(c.busyServiceMeanMs).toBeCloseTo(5.671, 3);
    expect(c.saturationPerS).toBe(400);
    expect(c.concurrency).toBe(2);
  });

  it("puts the cost in the router's pool, as a capacity block the simulator accepts", () => {
    const { capacity } = calibrateCapacity(INPUT);
    expect(() => capacitySchema.parse(capacity)).not.toThrow();
    expect(capacity.router).toMatchObject({
      concurrency: 2,
      serviceTimeMs: { distribution: "lognormal", medianMs: 6.5, sigma: 0.308 },
    });
    expect(capacity.serviceTimeMs).toEqual({ distribution: "none" });
    expect(capacity.source).toContain("spaced reads 8.0 / 10.0 ms");
    expect(capacity.source).toContain("back-to-back reads 7.0 / 8.5 ms");
  });

  it("a tail no longer than the median's excess gives the smallest spread, not a negative one", () => {
    const c = calibrateCapacity({ ...INPUT, liveSpaced: { p50Ms: 8, p75Ms: 8.5 } });
    expect(c.serviceSigma).toBe(0.01);
  });

  it("a live stack no slower than the simulator still gets a positive service time and one worker", () => {
    const c = calibrateCapacity({
      ...INPUT,
      liveIdle: { p50Ms: 1, p75Ms: 1.5 },
      liveSpaced: { p50Ms: 1, p75Ms: 1.5 },
      saturation: { requests: 30, durationS: 3 },
    });
    expect(c.serviceMedianMs).toBe(0.01);
    expect(c.concurrency).toBe(1);
  });
});
