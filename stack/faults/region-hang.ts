import { regionHangFault } from "../../core/faults/region-hang.ts";
import { checkRegion, liveFault } from "./live-fault.ts";

/** The region accepts connections and never answers: only the callers' timeouts end a request. */
export const regionHang = liveFault(regionHangFault, async (stack, { region }) => {
  checkRegion(stack, region);
  return stack.gate(region).hang();
});
