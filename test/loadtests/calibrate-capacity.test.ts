import { describe, expect, it } from "vitest";
import { calibrateCapacity } from "../../loadtests/runner/calibrate-capacity.ts";
import { capacitySchema } from "../../simulator/capacity/capacity-schema.ts";

// Expected values worked by hand from the definitions in calibrate-capacity.ts:
// service (spaced reads): median = 8 - 1.5 = 6.5 ms; sigma = ln(6.5 / (6.5 - 1.3)) / 0.6745
//   = ln(1.25) / 0.6745 = 0.3308; mean = 6.5 x exp(0.3308^2 / 2) = 6.5 x 1.0562 = 6.866 ms;
// busy (back-to-back reads): median = 7 - 1.5 = 5.5 ms; sigma = ln(5.5 / (6 - 1.3)) / 0.6745
//   = ln(1.1702) / 0.6745 = 0.2330; mean = 5.5 x exp(0.2330^2 / 2) = 5.5 x 1.0275 = 5.651 ms;
// X = 1200 / 3 s = 400 /s; workers = round(400 x 0.005651) = round(2.261) = 2 (the spaced
// reads' mean would give round(400 x 0.006866) = round(2.746) = 3).
const INPUT = {
  liveIdle: { p25Ms: 6, p50Ms: 7, p75Ms: 8.5 },
  liveSpaced: { p25Ms: 6.5, p50Ms: 8, p75Ms: 10 },
  simIdle: { p25Ms: 1.3, p50Ms: 1.5, p75Ms: 2 },
  saturation: { requests: 1200, durationS: 3 },
};

describe("calibrateCapacity", () => {
  it("takes the service time from the spaced reads and the workers from the back-to-back ones", () => {
    const c = calibrateCapacity(INPUT);
    expect(c.serviceMedianMs).toBe(6.5);
    expect(c.serviceSigma).toBeCloseTo(0.331, 3);
    expect(c.serviceMeanMs).toBeCloseTo(6.866, 3);
    expect(c.busyServiceMeanMs).toBeCloseTo(5.651, 3);
    expect(c.saturationPerS).toBe(400);
    expect(c.concurrency).toBe(2);
  });

  it("a burst of slow reads in the window moves the p75, not the fitted spread", () => {
    const burst = calibrateCapacity({ ...INPUT, liveSpaced: { ...INPUT.liveSpaced, p75Ms: 30 } });
    expect(burst.serviceSigma).toBeCloseTo(0.331, 3);
    expect(burst.spacedReadsMs.p75Ms).toBe(30);
  });

  it("puts the cost in the router's pool, as a capacity block the simulator accepts", () => {
    const { capacity } = calibrateCapacity(INPUT);
    expect(() => capacitySchema.parse(capacity)).not.toThrow();
    expect(capacity.router).toMatchObject({
      concurrency: 2,
      serviceTimeMs: { distribution: "lognormal", medianMs: 6.5, sigma: 0.331 },
    });
    expect(capacity.serviceTimeMs).toEqual({ distribution: "none" });
    expect(capacity.source).toContain("spaced reads 6.5 / 8.0 ms");
    expect(capacity.source).toContain("back-to-back reads 6.0 / 7.0 ms");
  });

  it("a lower quartile no faster than the median's excess gives the smallest spread, not a negative one", () => {
    const c = calibrateCapacity({ ...INPUT, liveSpaced: { p25Ms: 8, p50Ms: 8, p75Ms: 8.5 } });
    expect(c.serviceSigma).toBe(0.01);
    // Below the simulator's own p25: no excess to fit a spread to.
    const d = calibrateCapacity({ ...INPUT, liveSpaced: { p25Ms: 1.2, p50Ms: 8, p75Ms: 8.5 } });
    expect(d.serviceSigma).toBe(0.01);
  });

  it("a live stack no slower than the simulator still gets a positive service time and one worker", () => {
    const c = calibrateCapacity({
      ...INPUT,
      liveIdle: { p25Ms: 0.9, p50Ms: 1, p75Ms: 1.5 },
      liveSpaced: { p25Ms: 0.9, p50Ms: 1, p75Ms: 1.5 },
      saturation: { requests: 30, durationS: 3 },
    });
    expect(c.serviceMedianMs).toBe(0.01);
    expect(c.concurrency).toBe(1);
  });
});
