import { brownoutFault } from "../../core/faults/brownout.ts";
import { checkRegion, liveFault } from "./live-fault.ts";

/** The region answers, slower and with some 503s; overlapping brownouts stack as in the simulator. */
export const brownout = liveFault(brownoutFault, async (stack, { region, errorRate, addedLatencyMs }) => {
  checkRegion(stack, region);
  return stack.gate(region).degrade({ errorRate, addedLatencyMs });
});
