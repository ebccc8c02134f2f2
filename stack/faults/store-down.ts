import { storeDownFault } from "../../core/faults/store-down.ts";
import { checkRegion, holdStoreDown, liveFault } from "./live-fault.ts";

/** The region's store stops answering: /readyz fails, reads and writes get 503 (memory store only). */
export const storeDown = liveFault(storeDownFault, async (stack, { region }) => {
  checkRegion(stack, region);
  return holdStoreDown(stack, region);
});
