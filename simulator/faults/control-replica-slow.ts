import { controlReplicaSlowFault } from "../../core/faults/control-replica-slow.ts";
import { type FaultPlanContext, simFault } from "./registry.ts";

/**
 * A control replica answers late (core/faults/control-replica-slow.ts): every call it answers, and
 * every quorum round trip it takes part in, takes `addedLatencyMs` longer
 * (simulator/system/control-replicas.ts), so a majority formed without it stays fast and one that
 * needs it is slow. It never warrants a failover: the service regions are healthy.
 */
function memberName(m: { awsRegion: string; witness: boolean }): string {
  return `${m.witness ? "witness" : "control"}-${m.awsRegion}`;
}

function check(
  p: { replica?: string | undefined; awsRegion?: string | undefined },
  ctx: FaultPlanContext,
): { field: string; reason: string }[] {
  const members = ctx.domains.controlReplicas;
  if (p.replica !== undefined && !members.some((m) => memberName(m) === p.replica)) {
    const names = members.map(memberName).join(", ");
    return [{ field: "replica", reason: `"${p.replica}" is not a control replica (have ${names})` }];
  }
  if (p.awsRegion !== undefined && !members.some((m) => m.awsRegion === p.awsRegion)) {
    const where = [...new Set(members.map((m) => m.awsRegion))].join(", ");
    return [
      { field: "awsRegion", reason: `no control replica runs in "${p.awsRegion}" (they run in ${where})` },
    ];
  }
  return [];
}

export const controlReplicaSlow = simFault(controlReplicaSlowFault, {
  check,
  effect: (p) => ({
    type: "control-slow",
    replica: p.replica,
    awsRegion: p.awsRegion,
    addedLatencyMs: p.addedLatencyMs,
  }),
  warrantsFailoverFrom: () => [],
  describe: (p) => `${p.replica ?? `control replicas in ${p.awsRegion}`} slow +${p.addedLatencyMs} ms`,
  domain: (p) => (p.replica !== undefined ? p.replica : `control replicas in ${p.awsRegion}`),
});
