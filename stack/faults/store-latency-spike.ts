import { storeLatencySpikeFault } from "../../core/faults/store-latency-spike.ts";
import { checkRegion, FaultError, liveFault } from "./live-fault.ts";

/**
 * A region's store answers late, as in the simulator (core/faults/store-latency-spike.ts): every
 * store call takes `addedLatencyMs` longer plus a uniform draw in [0, jitterMs), half before the
 * call and half after (regions/store/delayed-store.ts). Works with either store (memory or
 * DynamoDB Local). A second spike on one region is refused until the first heals.
 */
export const storeLatencySpike = liveFault(storeLatencySpikeFault, async (stack, p) => {
  checkRegion(stack, p.region);
  const knob = stack.storeLatency(p.region);
  if (knob.addedLatencyMs > 0 || knob.jitterMs > 0) {
    throw new FaultError(`${p.region}'s store already has a latency spike; heal it first`, 409);
  }
  knob.addedLatencyMs = p.addedLatencyMs;
  knob.jitterMs = p.jitterMs;
  return async () => {
    knob.addedLatencyMs = 0;
    knob.jitterMs = 0;
  };
});
