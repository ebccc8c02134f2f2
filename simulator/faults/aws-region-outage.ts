import { awsRegionOutageFault } from "../../core/faults/aws-region-outage.ts";
import type { FaultEffect } from "./effects.ts";
import {
  endMs,
  type FailureDomains,
  type FaultPlanContext,
  type FaultTiming,
  regionEffect,
  simFault,
} from "./registry.ts";

/**
 * A whole AWS region fails at once (issue 12 (docs/issues.md)): every part placed there goes with it, the service
 * region (refused, as region-down), its store, the routers running there (as router-restart:
 * they lose their state and start afresh when the region returns), the control record's
 * replicas there, and Route 53's health checkers there. region-down stays the service-only fault.
 */
type Params = { awsRegion: string } & FaultTiming;

/** Every AWS region some part of the system runs in. */
function knownAwsRegions(domains: FailureDomains): string[] {
  const all = [
    ...domains.regions.map((r) => r.awsRegion),
    ...domains.routers.map((r) => r.awsRegion),
    ...domains.controlReplicas.map((r) => r.awsRegion),
    ...domains.checkers.map((c) => c.awsRegion),
  ];
  return [...new Set(all.filter((r): r is string => r !== undefined))].sort();
}

/** What the outage takes down, by kind of part (also the report's "failure domain"). */
export function partsIn(awsRegion: string, domains: FailureDomains) {
  return {
    regions: domains.regions.filter((r) => r.awsRegion === awsRegion).map((r) => r.name),
    routers: domains.routers.filter((r) => r.awsRegion === awsRegion).map((r) => r.id),
    controlReplicas: domains.controlReplicas
      .filter((r) => r.awsRegion === awsRegion)
      .map((r) => (r.witness ? `witness ${r.awsRegion}` : `control ${r.awsRegion}`)),
    checkers: [
      ...new Set(domains.checkers.filter((c) => c.awsRegion === awsRegion).map((c) => `dns ${c.location}`)),
    ],
  };
}

function plan(p: Params, ctx: FaultPlanContext): FaultEffect[] {
  const fromMs = p.startS * 1000;
  const toMs = endMs(p);
  const parts = partsIn(p.awsRegion, ctx.domains);
  return [
    { type: "aws-region", awsRegion: p.awsRegion, fromMs, toMs },
    ...parts.regions.map((region) => regionEffect(region, fromMs, toMs, "down")),
    ...parts.regions.map((region) => ({ type: "store" as const, region, fromMs, toMs })),
    ...parts.routers.map((routerId) => ({ type: "router" as const, routerId, fromMs, toMs })),
  ];
}

/** "AWS us-east-1: prod-us and its store, edge-virginia, control us-east-1, dns virginia". */
export function describeDomain(awsRegion: string, domains: FailureDomains): string {
  const parts = partsIn(awsRegion, domains);
  const named = [
    ...parts.regions.map((r) => `${r} and its store`),
    ...parts.routers,
    ...parts.controlReplicas,
    ...parts.checkers,
  ];
  return `AWS ${awsRegion}: ${named.length > 0 ? named.join(", ") : "nothing of this system"}`;
}

export const awsRegionOutage = simFault(awsRegionOutageFault, {
  check: (p, ctx) => {
    const known = knownAwsRegions(ctx.domains);
    if (known.includes(p.awsRegion)) return [];
    return [
      {
        field: "awsRegion",
        reason: `no part of the system runs in "${p.awsRegion}" (parts run in ${known.join(", ")})`,
      },
    ];
  },
  plan,
  warrantsFailoverFrom: (p, ctx) => partsIn(p.awsRegion, ctx.domains).regions,
  describe: (p) => `AWS ${p.awsRegion} outage`,
  domain: (p, ctx) => describeDomain(p.awsRegion, ctx.domains),
});
