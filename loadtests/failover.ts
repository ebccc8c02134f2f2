// failover: steady reads and idempotent writes through the router while the active region is
// taken down mid-run through the live stack's fault API. The service levels that must hold
// through a failover: no failed idempotent request, bounded p99 in the failover window, and a
// bounded time to recover. `failover loadtest failover` then reads every acknowledged write back.
import { check, sleep } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import { Trend } from "k6/metrics";
import type { Options } from "k6/options";
import { arrivalRate } from "./lib/arrival-rate.ts";
import {
  CALIBRATION_S,
  type CalibrationData,
  calibrateIdle,
  calibrateSaturate,
  calibrateSpaced,
  calibrateWarmup,
  calibrationScenarios,
} from "./lib/calibration.ts";
import { ACTIVE_REGION, BASE_URL, CONTROL_URL, envNumber, STANDBY_REGION } from "./lib/env.ts";
import { createItem, createSetupItems, knowItems, mixedRequest } from "./lib/items.ts";
import { loadPhaseAt } from "./lib/phases.ts";
import { writeSummary } from "./lib/summary.ts";
import { NON_IDEMPOTENT_SHARE, WRITE_SHARE } from "./lib/traffic-mix.ts";

const RATE_PER_S = envNumber("RATE_PER_S", 50);
const DURATION_S = envNumber("DURATION_S", 30);
const FAULT_AT_S = envNumber("FAULT_AT_S", 10);
const FAULT_FOR_S = envNumber("FAULT_FOR_S", 15);
/** Bound on time to recover: the router's probe interval x fall + timeout, with margin. */
const RECOVER_BOUND_MS = envNumber("RECOVER_BOUND_MS", 5000);
/**
 * CALIBRATE=1 (`failover loadtest failover --compare-sim`): first measure the stack's own cost
 * per request (lib/calibration.ts), then start the traffic CALIBRATION_S later.
 */
const CALIBRATE = __ENV.CALIBRATE === "1";
const TRAFFIC_START_S = CALIBRATE ? CALIBRATION_S : 0;
const MAX_VUS = 200;
/** Items created before the run: every VU reads real items from its first iteration. */
const SETUP_ITEMS = 20;
/**
 * Enough VUs, ready from the start, for every request the outage holds (up to RECOVER_BOUND_MS
 * at RATE_PER_S): k6 starts further VUs while the test runs, too slowly on a busy machine, and
 * drops the iterations it has no VU for (about 60 of the outage's ~130 held requests, with 20
 * preallocated): load an open-loop client would have sent.
 */
const PREALLOCATED_VUS = Math.min(MAX_VUS, Math.ceil((RATE_PER_S * RECOVER_BOUND_MS) / 1000));

const timeToRecover = new Trend("time_to_recover_ms", true);

export const options: Options = {
  scenarios: {
    // Calibration (only with CALIBRATE=1): idle reads, a closed loop at saturation, a warm-up.
    ...(CALIBRATE ? calibrationScenarios(RATE_PER_S) : {}),
    // Traffic at a constant arrival rate for the whole run, before, during and after the fault.
    traffic: arrivalRate({
      exec: "traffic",
      ratePerS: RATE_PER_S,
      durationS: DURATION_S,
      startS: TRAFFIC_START_S,
      preAllocatedVUs: PREALLOCATED_VUS,
      maxVUs: MAX_VUS,
    }),
    // One VU takes the active region down at FAULT_AT_S and measures time to recover.
    outage: {
      executor: "shared-iterations",
      exec: "outage",
      vus: 1,
      iterations: 1,
      startTime: `${TRAFFIC_START_S + FAULT_AT_S}s`,
      maxDuration: `${Math.ceil(RECOVER_BOUND_MS / 1000) * 3 + 5}s`,
    },
  },
  thresholds: {
    // No idempotent request fails, failover or not (retried on the new active region).
    "http_req_failed{idempotent:yes}": ["rate==0"],
    // Before the fault: the steady-state service level (client and active region in Virginia).
    "http_req_duration{phase:before}": ["p(95)<250"],
    // During the fault: the request that met the dead region waited for detection; bounded.
    "http_req_duration{phase:during}": [`p(99)<${RECOVER_BOUND_MS}`],
    // After it heals: served from the new active region (Ireland, one ocean away) until failback.
    "http_req_duration{phase:after}": ["p(95)<500"],
    // Non-idempotent writes may fail, but fast, with 503 + Retry-After.
    "http_req_duration{idempotent:no}": [`p(99)<${RECOVER_BOUND_MS}`],
    // From fault to the first write acknowledged by the new active region.
    time_to_recover_ms: [{ threshold: `max<${RECOVER_BOUND_MS}`, abortOnFail: false }],
    "checks{check:fault injected}": ["rate==1"],
  },
  // p(25) and p(75): the calibration's reads (loadtests/runner/calibrate-capacity.ts).
  summaryTrendStats: ["avg", "min", "p(25)", "med", "p(75)", "max", "p(95)", "p(99)"],
};

export function traffic(data: CalibrationData): void {
  knowItems(data.ids);
  const tags = { phase: phaseNow() };
  // Creates without an Idempotency-Key: these may fail fast (503), never hang.
  if (Math.random() < NON_IDEMPOTENT_SHARE) createItem(tags, false);
  else mixedRequest(WRITE_SHARE, tags);
}

/** before, during or after the fault, by the definition the simulator's side uses too. */
function phaseNow(): string {
  return loadPhaseAt((Date.now() - exec.scenario.startTime) / 1000, FAULT_AT_S, FAULT_FOR_S);
}

export function setup(): CalibrationData {
  return { ids: createSetupItems(SETUP_ITEMS) };
}

// The calibration scenarios' exec functions must be exports of the script itself.
export { calibrateIdle, calibrateSaturate, calibrateSpaced, calibrateWarmup };

export function outage(): void {
  const res = http.post(
    `${CONTROL_URL}/faults`,
    JSON.stringify({ kind: "region-down", region: ACTIVE_REGION, durationS: FAULT_FOR_S }),
    { headers: { "content-type": "application/json" }, tags: { control: "yes" } },
  );
  if (!check(res, { "fault injected": (r) => r.status === 201 })) return;
  const startMs = Date.now();
  while (Date.now() - startMs < RECOVER_BOUND_MS * 3) {
    const probe = http.post(`${BASE_URL}/items`, JSON.stringify({ data: { probe: true } }), {
      headers: { "content-type": "application/json", "idempotency-key": `recover-probe-${startMs}` },
      tags: { probe: "yes", idempotent: "yes", phase: "during" },
    });
    if ((probe.status === 201 || probe.status === 200) && probe.headers["X-Served-By"] === STANDBY_REGION) {
      timeToRecover.add(Date.now() - startMs);
      return;
    }
    sleep(0.02);
  }
  timeToRecover.add(Date.now() - startMs);
}

export function handleSummary(data: Parameters<typeof writeSummary>[1]) {
  return writeSummary("failover", data);
}
