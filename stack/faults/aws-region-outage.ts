import { z } from "zod";
import { FaultError, type LiveFaultKind, type StackHandles } from "./live-fault.ts";

/**
 * A whole AWS region fails at once, as in the simulator (simulator/faults/aws-region-outage.ts,
 * same name and parameter): the service region there (its port closes), its store (memory
 * store), the control replicas there (their ports close), and the router if it runs there. The
 * live stack has no DNS health checkers. Healing brings everything back, the router rebuilt.
 */
export const awsRegionOutage: LiveFaultKind = {
  kind: "aws-region-outage",
  summary: "everything in one AWS region fails at once: service region, store, control replicas, router",
  params: z.object({ awsRegion: z.string().min(1) }).strict(),
  async apply(stack, { awsRegion }) {
    const where = stack.awsRegions();
    const regions = where.regions.filter((r) => r.awsRegion === awsRegion).map((r) => r.name);
    const replicas = where.controlReplicas.filter((r) => r.awsRegion === awsRegion);
    const router = where.router === awsRegion;
    if (regions.length === 0 && replicas.length === 0 && !router) {
      const known = [
        ...new Set(
          [...where.regions, ...where.controlReplicas].map((r) => r.awsRegion).concat(where.router ?? []),
        ),
      ].sort();
      throw new FaultError(`no part of the stack runs in "${awsRegion}" (parts run in ${known.join(", ")})`);
    }
    for (const region of regions) await stack.takeDown(region);
    const storesDown = regions.filter((region) => storeDown(stack, region, true));
    await stack.setControlDown(awsRegion, true);
    if (router) await stack.setRouterDown(true);
    return async () => {
      if (router) await stack.setRouterDown(false);
      await stack.setControlDown(awsRegion, false);
      for (const region of storesDown) storeDown(stack, region, false);
      for (const region of regions) await stack.bringUp(region);
    };
  },
};

/** Only a memory store can be taken down; a DynamoDB Local one stays up (the region is down anyway). */
function storeDown(stack: StackHandles, region: string, down: boolean): boolean {
  try {
    stack.setStoreDown(region, down);
    return true;
  } catch (error) {
    if (error instanceof FaultError) return false;
    throw error;
  }
}
