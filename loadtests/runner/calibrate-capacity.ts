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
 *   idle since the previous one (as the traffic's do, 20 ms apart at 50/s) took 0.2-1.5 ms
 *   longer than one sent the moment the previous one was answered, in the router's own
 *   request-to-response time as much as in k6's (README, "The simulator against the live
 *   stack"). Lognormal, median = live p50 - sim p50, and sigma from the lower quartiles,
 *   ln(median / (live p25 - sim p25)) / z(0.75), z(0.75) = 0.6745 (a lognormal is symmetric
 *   in log space, so either half gives sigma). The body, not a tail percentile: the rows read
 *   the reads' body (the p50 of a 31%-write mix is about the reads' 73rd percentile; its p95 is
 *   among the writes), and the live reads have a tight body and a long tail that no lognormal
 *   through p50 and p95 follows. The lower half, not the p75: a burst of another process's
 *   work in the calibration window adds slow reads, which move the p75 far into the tail
 *   (spaced reads p50 7.1, p75 8.6 ms: sigma 0.36 where the traffic's reads had 0.14) and the
 *   p25 and p50 alike by a little;
 * - workers: Little's law for the workers alone at saturation (busy workers = throughput x
 *   service time, all of them busy): c = X_max x mean busy service time, with X_max the
 *   requests per second the closed loop got through, and the busy service time the same
 *   excess for reads sent back to back (a saturated stack is never idle between two requests,
 *   so the spaced reads' wake-up cost is not part of it); mean = median x exp(sigma^2 / 2). The
 *   part of the excess that is waiting (timers, the kernel) and not CPU shows up as more
 *   workers than the one event loop.
 */
/** A set of reads' quartiles, ms. */
export interface ReadQuartiles {
  p25Ms: number;
  p50Ms: number;
  p75Ms: number;
}

export interface CalibrationInput {
  /** k6, one VU, one read after another through the router, back to back (workers). */
  liveIdle: ReadQuartiles;
  /** k6, one VU, one read every 1 / rate s through the router (service time). */
  liveSpaced: ReadQuartiles;
  /** The simulator, the same reads one at a time, no capacity model. */
  simIdle: ReadQuartiles;
  /** k6 closed loop with no pause: reads completed and the time they took. */
  saturation: { requests: number; durationS: number };
}

export interface Calibration {
  serviceMedianMs: number;
  serviceSigma: number;
  serviceMeanMs: number;
  /** Back to back: the mean excess that holds a worker at saturation (the worker count's). */
  busyServiceMeanMs: number;
  /** The live spaced reads it came from. */
  spacedReadsMs: ReadQuartiles;
  saturationPerS: number;
  concurrency: number;
  /** The capacity block the comparison's scenario takes. */
  capacity: CapacitySpec;
}

/** z for the 75th percentile of a standard normal (-z for the 25th). */
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
    `failover loadtest calibration phase: spaced reads ${fmt(liveSpaced.p25Ms)} / ${fmt(liveSpaced.p50Ms)} ms, ` +
    `back-to-back reads ${fmt(liveIdle.p25Ms)} / ${fmt(liveIdle.p50Ms)} ms (p25 / p50) ` +
    `live against ${fmt(simIdle.p25Ms)} / ${fmt(simIdle.p50Ms)} ms simulated; ` +
    `saturation ${fmt(saturationPerS)} reads/s (loadtests/runner/calibrate-capacity.ts)`;
  const serviceMedianMs = service.medianMs;
  const serviceSigma = service.sigma;
  return {
    serviceMedianMs: round(serviceMedianMs),
    serviceSigma: round(serviceSigma),
    serviceMeanMs: round(service.meanMs),
    busyServiceMeanMs: round(busy.meanMs),
    spacedReadsMs: {
      p25Ms: round(liveSpaced.p25Ms),
      p50Ms: round(liveSpaced.p50Ms),
      p75Ms: round(liveSpaced.p75Ms),
    },
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

/**
 * The live reads' excess over the simulated ones as a lognormal: median from the p50s, sigma
 * from the p25s. No spread to fit (a lower quartile's excess at or above the median's, or none
 * at all): the smallest sigma.
 */
function excessLognormal(
  live: ReadQuartiles,
  sim: ReadQuartiles,
): { medianMs: number; sigma: number; meanMs: number } {
  const medianMs = Math.max(MIN_MEDIAN_MS, live.p50Ms - sim.p50Ms);
  const excessP25Ms = live.p25Ms - sim.p25Ms;
  const sigma =
    excessP25Ms > 0 && excessP25Ms < medianMs
      ? Math.max(MIN_SIGMA, Math.log(medianMs / excessP25Ms) / Z75)
      : MIN_SIGMA;
  return { medianMs, sigma, meanMs: medianMs * Math.exp((sigma * sigma) / 2) };
}

function fmt(v: number): string {
  return v.toFixed(1);
}
