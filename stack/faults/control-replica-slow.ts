import { controlReplicaSlowFault } from "../../core/faults/control-replica-slow.ts";
import { liveFault } from "./live-fault.ts";

/**
 * A control replica answers late, as in the simulator (core/faults/control-replica-slow.ts): one
 * replica by name (`control-us-east-2`) or every one in an AWS region (`us-east-2`) answers
 * `addedLatencyMs` later, and counts that much farther away in the other replicas' quorum round
 * trips (stack/live-control-plane.ts).
 */
export const controlReplicaSlow = liveFault(controlReplicaSlowFault, async (stack, p) => {
  const selector = p.replica !== undefined ? { replica: p.replica } : { awsRegion: p.awsRegion! };
  stack.setControlSlow(selector, p.addedLatencyMs);
  return async () => {
    stack.setControlSlow(selector, 0);
  };
});
