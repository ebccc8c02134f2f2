import { awsRegionOutageFault } from "../../core/faults/aws-region-outage.ts";
import { FaultError, holdRegionDown, holdStoreDown, liveFault, type StackHandles } from "./live-fault.ts";

/**
 * A whole AWS region fails at once, as in the simulator (simulator/faults/aws-region-outage.ts,
 * same name and parameter): the service region there (its port closes), its store (memory
 * store), the control replicas there (their ports close), and the router if it runs there. The
 * live stack has no DNS health checkers. Healing brings everything back, the router rebuilt.
 */
export const awsRegionOutage = liveFault(awsRegionOutageFault, async (stack, { awsRegion }) => {
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
  const releases: (() => Promise<void>)[] = [];
  for (const region of regions) releases.push(await holdRegionDown(stack, region));
  for (const region of regions) {
    const release = await storeDown(stack, region);
    if (release) releases.push(release);
  }
  await stack.setControlDown(awsRegion, true);
  if (router) await stack.setRouterDown(true);
  return async () => {
    if (router) await stack.setRouterDown(false);
    await stack.setControlDown(awsRegion, false);
    for (const release of releases.reverse()) await release();
  };
});

/** Only a memory store can be taken down; a DynamoDB Local one stays up (the region is down anyway). */
async function storeDown(stack: StackHandles, region: string): Promise<(() => Promise<void>) | undefined> {
  try {
    return await holdStoreDown(stack, region);
  } catch (error) {
    if (error instanceof FaultError) return undefined;
    throw error;
  }
}
