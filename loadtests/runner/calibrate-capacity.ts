import type { CapacitySpec } from "../../simulator/capacity/capacity-schema.ts";

/**
 * The simulator's capacity model for `--compare-sim`, calibrated from the live stack's own
 * calibration phase (loadtests/lib/calibration.ts) in the same run, never from the compared
 * figures. The whole live stack (router, both regions, control replicas) is one Node process,
 * one event loop, and every client request passes its router, so the cost is the router pool's:
 *
 * - service time: what an idle read through the live router costs beyond what the simulator
 *   already charges for the same read (its network and database time, measured by running the
 *   simulator on idle reads): lognormal, median = live p50 - sim p50, and sigma from the p75s,
 *   ln((live p75 - sim p75) / median) / z(0.75), z(0.75) = 0.6745. The p75, not a tail
 *   percentile: the rows read the reads' body (the p50 of a 30%-write mix is about the reads'
 *   71st percentile; its p95 is among the writes), and the live reads have a tight body and a
 *   long tail that no lognormal through p50 and p95 follows (README, "The simulator against
 *   the live stack");
 * - workers: Little's law for the workers alone at saturation (busy workers = throughput x
 *   service time, all of them busy): c = X_max x mean service time, with X_max the requests
 *   per second the closed loop got through and mean = median x exp(sigma^2 / 2). The
 *   part of the idle excess that is waiting (timers, the kernel) and not CPU shows up as more
 *   workers than the one event loop.
 */
export interface CalibrationInput {
  /** k6, one VU, one read after another through the router. */
  liveIdle: { p50Ms: number; p75Ms: number };
  /** The simulator, the same idle reads, no capacity model. */
  simIdle: { p50Ms: number; p75Ms: number };
  /** k6 closed loop with no pause: reads completed and the time they took. */
  saturation: { requests: number; durationS: number };
}

export interface Calibration {
  serviceMedianMs: number;
  serviceSigma: number;
  serviceMeanMs: number;
  saturationPerS: number;
  concurrency: number;
  /** The capacity block the comparison's scenario takes. */
  capacity: CapacitySpec;
}

/** z for the 75th percentile of a standard normal. */
const Z75 = 0.6745;
/** Smallest service time and spread the schema accepts (both must be positive). */
const MIN_MEDIAN_MS = 0.01;
const MIN_SIGMA = 0.01;
/** The live stack sheds nothing (no queue limit); k6's maxVUs bounds what can wait. */
const QUEUE_MAX = 100_000;

export function calibrateCapacity(input: CalibrationInput): Calibration {
  const { liveIdle, simIdle, saturation } = input;
  const serviceMedianMs = Math.max(MIN_MEDIAN_MS, liveIdle.p50Ms - simIdle.p50Ms);
  const excessP75Ms = liveIdle.p75Ms - simIdle.p75Ms;
  const serviceSigma =
    excessP75Ms > serviceMedianMs ? Math.log(excessP75Ms / serviceMedianMs) / Z75 : MIN_SIGMA;
  const serviceMeanMs = serviceMedianMs * Math.exp((serviceSigma * serviceSigma) / 2);
  const saturationPerS = saturation.durationS > 0 ? saturation.requests / saturation.durationS : 0;
  const concurrency = Math.max(1, Math.round((saturationPerS * serviceMeanMs) / 1000));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const source =
    `failover loadtest calibration phase: idle reads ${fmt(liveIdle.p50Ms)} / ${fmt(liveIdle.p75Ms)} ms (p50 / p75) ` +
    `live against ${fmt(simIdle.p50Ms)} / ${fmt(simIdle.p75Ms)} ms simulated; ` +
    `saturation ${fmt(saturationPerS)} reads/s (loadtests/runner/calibrate-capacity.ts)`;
  return {
    serviceMedianMs: round(serviceMedianMs),
    serviceSigma: round(serviceSigma),
    serviceMeanMs: round(serviceMeanMs),
    saturationPerS: round(saturationPerS),
    concurrency,
    capacity: {
      source,
      // Regions: no cost of their own; the one process's cost is all in the router's pool.
      serviceTimeMs: { distribution: "none" },
      region: { concurrency: 100_000, queueMax: 0 },
      router: {
        concurrency,
        queueMax: QUEUE_MAX,
        serviceTimeMs: {
          distribution: "lognormal",
          medianMs: round(serviceMedianMs),
          sigma: round(serviceSigma),
          capMs: 10_000,
        },
      },
      slo: { successRateMin: 0.99, p99MsMax: 1000 },
    },
  };
}

function fmt(v: number): string {
  return v.toFixed(1);
}
