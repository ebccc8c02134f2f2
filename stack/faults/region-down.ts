import { regionDownFault } from "../../core/faults/region-down.ts";
import { checkRegion, holdRegionDown, liveFault } from "./live-fault.ts";

/** The region is gone: its port refuses connections and it stops replicating. */
export const regionDown = liveFault(regionDownFault, async (stack, { region }) => {
  checkRegion(stack, region);
  return holdRegionDown(stack, region);
});
