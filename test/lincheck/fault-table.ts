/**
 * The faults every sync-mode history is recorded across (issue 19's (docs/issues.md) done-when), by the names the
 * live stack's fault API takes (stack/faults/index.ts). Adding one is one line here, e.g.
 * `{ label: "aws-region-outage us-east-1", fault: { kind: "aws-region-outage", ... }, failsOver: true }`.
 */
export interface LincheckFault {
  /** Short name for reports and file names. */
  label: string;
  /** The body POSTed to the control API's /faults. */
  fault: Record<string, unknown>;
  /** Whether the router is expected to promote prod-ie (the run waits for it before going on). */
  failsOver: boolean;
  /** Where the stack's router runs (default: with prod-us); outside a region the fault takes down. */
  routerLocation?: string;
}

export const LINCHECK_FAULTS: readonly LincheckFault[] = [
  { label: "down", fault: { kind: "region-down", region: "prod-us" }, failsOver: true },
  { label: "hang", fault: { kind: "region-hang", region: "prod-us" }, failsOver: true },
  {
    label: "partition-router-us",
    fault: { kind: "partition", between: ["router", "prod-us"], oneWay: true },
    failsOver: true,
  },
  {
    label: "partition-us-ie",
    fault: { kind: "partition", between: ["prod-us", "prod-ie"] },
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
