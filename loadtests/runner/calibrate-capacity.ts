import type { CapacitySpec } from "../../simulator/capacity/capacity-schema.ts";

/**
 * The simulator's capacity model for `--compare-sim`, calibrated from the live stack's own
 * calibration phase (loadtests/lib/calibration.ts) in the same run, never from the compared
 * figures. The whole live stack (router, both regions, control replicas) is one Node process,
 * one event loop, and every client request passes its router, so the cost is the router pool's:
 *
 * - service time: what a read through the live router costs beyond what the simulator already
 *   charges for the same read (its network and database time, measured by running the
 *   simulator on the same reads), for reads sent one at a time and spaced as the traffic's
 *   arrivals are (one every 1 / rate s). Spaced, not back to back: a read that finds the stack
 *   idle since the previous one (as the traffic's do, 20 ms apart at 50/s) took 0.7-1.3 ms
 *   longer than one sent the moment the previous one was answered, in the router's own
 *   request-to-response time as much as in k6's (README, "The simulator against the live
 *   stack"). Lognormal, median = live p50 - sim p50, and sigma from the p75s,
 *   ln((live p75 - sim p75) / median) / z(0.75), z(0.75) = 0.6745. The p75, not a tail
 *   percentile: the rows read the reads' body (the p50 of a 30%-write mix is about the reads'
 *   71st percentile; its p95 is among the writes), and the live reads have a tight body and a
 *   long tail that no lognormal through p50 and p95 follows;
 * - workers: Little's law for the workers alone at saturation (busy workers = throughput x
 *   service time, all of them busy): c = X_max x mean busy service time, with X_max the
 *   requests per second the closed loop got through, and the busy service time the same
 *   excess for reads sent back to back (a saturated stack is never idle between two requests,
 *   so the spaced reads' wake-up cost is not part of it); mean = median x exp(sigma^2 / 2). The
 *   part of the excess that is waiting (timers, the kernel) and not CPU shows up as more
 *   workers than the one event loop.
 */
export interface CalibrationInput {
  /** k6, one VU, one read after another through the router, back to back (workers). */
  liveIdle: { p50Ms: number; p75Ms: number };
  /** k6, one VU, one read every 1 / rate s through the router (service time). */
  liveSpaced: { p50Ms: number; p75Ms: number };
  /** The simulator, the same reads one at a time, no capacity model. */
  simIdle: { p50Ms: number; p75Ms: number };
  /** k6 closed loop with no pause: reads completed and the time they took. */
  saturation: { requests: number; durationS: number };
}

export interface Calibration {
  serviceMedianMs: number;
  serviceSigma: number;
  serviceMeanMs: number;
  /** Back to back: the mean excess that holds a worker at saturation (the worker count's). */
  busyServiceMeanMs: number;
  /** The live spaced reads it came from (p50 / p75). */
  spacedReadsMs: { p50Ms: number; p75Ms: number };
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
  const { liveIdle, liveSpaced, simIdle, saturation } = input;
  const service = excessLognormal(liveSpaced, simIdle);
  const busy = excessLognormal(liveIdle, simIdle);
  const saturationPerS = saturation.durationS > 0 ? saturation.requests / saturation.durationS : 0;
  const concurrency = Math.max(1, Math.round((saturationPerS * busy.meanMs) / 1000));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const source =
    `failover loadtest calibration phase: spaced reads ${fmt(liveSpaced.p50Ms)} / ${fmt(liveSpaced.p75Ms)} ms, ` +
    `back-to-back reads ${fmt(liveIdle.p50Ms)} / ${fmt(liveIdle.p75Ms)} ms (p50 / p75) ` +
    `live against ${fmt(simIdle.p50Ms)} / ${fmt(simIdle.p75Ms)} ms simulated; ` +
    `saturation ${fmt(saturationPerS)} reads/s (loadtests/runner/calibrate-capacity.ts)`;
  const serviceMedianMs = service.medianMs;
  const serviceSigma = service.sigma;
  return {
    serviceMedianMs: round(serviceMedianMs),
    serviceSigma: round(serviceSigma),
    serviceMeanMs: round(service.meanMs),
    busyServiceMeanMs: round(busy.meanMs),
    spacedReadsMs: { p50Ms: round(liveSpaced.p50Ms), p75Ms: round(liveSpaced.p75Ms) },
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

/** The live reads' excess over the simulated ones as a lognormal: median from the p50s, sigma from the p75s. */
function excessLognormal(
  live: { p50Ms: number; p75Ms: number },
  sim: { p50Ms: number; p75Ms: number },
): { medianMs: number; sigma: number; meanMs: number } {
  const medianMs = Math.max(MIN_MEDIAN_MS, live.p50Ms - sim.p50Ms);
  const excessP75Ms = live.p75Ms - sim.p75Ms;
  const sigma = excessP75Ms > medianMs ? Math.log(excessP75Ms / medianMs) / Z75 : MIN_SIGMA;
  return { medianMs, sigma, meanMs: medianMs * Math.exp((sigma * sigma) / 2) };
}

function fmt(v: number): string {
  return v.toFixed(1);
}
