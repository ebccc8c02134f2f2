/**
 * The faults the live stack's correctness checks run across, each once: fencing and RPO 0
 * (test/stack/fencing-live.test.ts) take every one, the linearizability runs
 * (test/lincheck/fault-table.ts) the ones they name. `fault` is the body POSTed to the control
 * API's /faults (stack/faults/kinds.ts has the kinds).
 */
export interface LiveFaultCase {
  /** Short name for test titles, reports, file names and `npm run lincheck -- --faults`. */
  label: string;
  fault: Record<string, unknown>;
  /** Whether the router is expected to promote prod-ie (a run waits for it before going on). */
  failsOver: boolean;
  /** Where the stack's router runs (default: with prod-us); outside a region the fault takes down. */
  routerLocation?: string;
}

export const LIVE_FAULT_CASES: readonly LiveFaultCase[] = [
  { label: "down", fault: { kind: "region-down", region: "prod-us" }, failsOver: true },
  { label: "hang", fault: { kind: "region-hang", region: "prod-us" }, failsOver: true },
  {
    label: "partition-router-us",
    fault: { kind: "partition", between: ["router", "prod-us"], oneWay: true },
    failsOver: true,
  },
  // The regions cannot replicate: prod-us records that it has no synchronous standby and goes on alone.
  {
    label: "partition-us-ie",
    fault: { kind: "partition", between: ["prod-us", "prod-ie"] },
    failsOver: false,
  },
  { label: "store-down", fault: { kind: "store-down", region: "prod-us" }, failsOver: true },
  { label: "brownout-90", fault: { kind: "brownout", region: "prod-us", errorRate: 0.9 }, failsOver: true },
  // The router's and prod-us's nearest control replica answers 1.5 s late (renewals every 300 ms):
  // leases may lapse and writes wait or are refused, none is lost or acknowledged out of epoch.
  {
    label: "control-us-east-1-slow",
    fault: { kind: "control-replica-slow", replica: "control-us-east-1", addedLatencyMs: 1500 },
    failsOver: false,
  },
  // Every store call of prod-us 150-250 ms late: commits land late and their answers later still.
  {
    label: "store-latency-spike",
    fault: { kind: "store-latency-spike", region: "prod-us", addedLatencyMs: 150, jitterMs: 100 },
    failsOver: false,
  },
  // The whole of us-east-1: prod-us, its store and the control replica there; the router runs in
  // Ohio (us-east-2), as a router inside the region would go down with it.
  {
    label: "aws-region-outage-us-east-1",
    fault: { kind: "aws-region-outage", awsRegion: "us-east-1" },
    failsOver: true,
    routerLocation: "ohio",
  },
];
