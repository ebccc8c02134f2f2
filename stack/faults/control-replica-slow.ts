import { z } from "zod";
import type { LiveFaultKind } from "./live-fault.ts";

/**
 * A control replica answers late, as in the simulator (simulator/faults/control-replica-slow.ts,
 * same name and parameters): one replica by name (`control-us-east-2`) or every one in an AWS
 * region (`us-east-2`) answers `addedLatencyMs` later, and counts that much farther away in the
 * other replicas' quorum round trips (stack/live-control-plane.ts).
 */
export const controlReplicaSlow: LiveFaultKind = {
  kind: "control-replica-slow",
  summary: "a control replica (or every one in an AWS region) answers after an added delay",
  params: z
    .object({
      replica: z.string().min(1).optional(),
      awsRegion: z.string().min(1).optional(),
      addedLatencyMs: z.number().min(0).max(60_000),
    })
    .strict()
    .refine((p) => (p.replica === undefined) !== (p.awsRegion === undefined), {
      message: "name exactly one of replica (e.g. control-us-east-2) or awsRegion (e.g. us-east-2)",
    }),
  async apply(stack, { replica, awsRegion, addedLatencyMs }) {
    const selector = replica !== undefined ? { replica } : { awsRegion };
    stack.setControlSlow(selector, addedLatencyMs);
    return async () => {
      stack.setControlSlow(selector, 0);
    };
  },
};
