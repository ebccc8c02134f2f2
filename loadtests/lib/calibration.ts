// The failover script's calibration phase (CALIBRATE=1): before the traffic starts, measure
// what the live stack itself costs per request, for `--compare-sim` to give the simulator's
// capacity model (loadtests/runner/calibrate-capacity.ts). Not part of the compared table: its
// requests carry no phase tag and are recorded in their own metrics.
import { sleep } from "k6";
import http from "k6/http";
import { Counter, Trend } from "k6/metrics";
import type { Scenario } from "k6/options";
import { arrivalRate } from "./arrival-rate.ts";
import { IDLE_S, SATURATE_S, SATURATE_VUS, SPACED_S, WARMUP_S } from "./calibration-timing.ts";
import { BASE_URL } from "./env.ts";
import { knowItems, mixedRequest } from "./items.ts";
import { WRITE_SHARE } from "./traffic-mix.ts";

export { CALIBRATION_S } from "./calibration-timing.ts";

const idleMs = new Trend("calibration_idle_ms", true);
const spacedMs = new Trend("calibration_spaced_ms", true);
const saturateMs = new Trend("calibration_saturate_ms", true);
const saturateRequests = new Counter("calibration_saturate_requests");

/** setup()'s items (lib/items.ts: createSetupItems): the calibration reads them. */
export interface CalibrationData {
  ids: string[];
}

/** The scenarios, before a traffic of `ratePerS` requests a second. */
export function calibrationScenarios(ratePerS: number): Record<string, Scenario> {
  return {
    // SATURATE_VUS VUs reading without a pause: the stack's throughput when it is the bottleneck
    // (first: it also warms the read path, so the idle reads measure warm code).
    calibrate_saturate: {
      executor: "constant-vus",
      exec: "calibrateSaturate",
      vus: SATURATE_VUS,
      duration: `${SATURATE_S}s`,
      gracefulStop: "1s",
    },
    // One VU, one read after another: no request ever waits for another.
    calibrate_idle: {
      executor: "constant-vus",
      exec: "calibrateIdle",
      vus: 1,
      duration: `${IDLE_S}s`,
      startTime: `${SATURATE_S}s`,
      gracefulStop: "1s",
    },
    // One VU, one read every 1 / ratePerS s: no request waits for another, and the stack is idle
    // between two as long as between two of the traffic's arrivals (calibration-timing.ts: SPACED_S).
    calibrate_spaced: {
      executor: "constant-vus",
      exec: "calibrateSpaced",
      vus: 1,
      duration: `${SPACED_S}s`,
      startTime: `${SATURATE_S + IDLE_S}s`,
      gracefulStop: "1s",
      env: { CALIBRATE_INTERVAL_MS: String(1000 / ratePerS) },
    },
    // The traffic's mix at its rate, unmeasured (calibration-timing.ts: WARMUP_S).
    calibrate_warmup: arrivalRate({
      exec: "calibrateWarmup",
      ratePerS,
      durationS: WARMUP_S,
      startS: SATURATE_S + IDLE_S + SPACED_S,
      preAllocatedVUs: 20,
      maxVUs: 200,
    }),
  };
}

function readOne(data: CalibrationData, tag: string): number | undefined {
  const id = data.ids[Math.floor(Math.random() * data.ids.length)];
  if (id === undefined) return undefined;
  const res = http.get(`${BASE_URL}/items/${id}`, { tags: { calibration: tag } });
  return res.status === 200 ? res.timings.duration : undefined;
}

export function calibrateIdle(data: CalibrationData): void {
  const ms = readOne(data, "idle");
  if (ms !== undefined) idleMs.add(ms);
}

/** Sends one read every CALIBRATE_INTERVAL_MS (the traffic's mean gap), from the previous one's send. */
export function calibrateSpaced(data: CalibrationData): void {
  const intervalMs = Number(__ENV.CALIBRATE_INTERVAL_MS);
  const sentMs = Date.now();
  const ms = readOne(data, "spaced");
  if (ms !== undefined) spacedMs.add(ms);
  const leftMs = intervalMs - (Date.now() - sentMs);
  if (leftMs > 0) sleep(leftMs / 1000);
}

export function calibrateSaturate(data: CalibrationData): void {
  const ms = readOne(data, "saturate");
  if (ms === undefined) return;
  saturateMs.add(ms);
  saturateRequests.add(1);
}

/** Writes here are acknowledged like the traffic's, and read back after the run like them. */
export function calibrateWarmup(data: CalibrationData): void {
  knowItems(data.ids);
  mixedRequest(WRITE_SHARE, { calibration: "warmup" });
}
