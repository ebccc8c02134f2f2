import { z } from "zod";
import { checkRegion, FaultError, type LiveFaultKind } from "./live-fault.ts";

/**
 * A region's store answers late, as in the simulator (simulator/faults/store-latency-spike.ts,
 * same name and parameters): every store call takes `addedLatencyMs` longer plus a uniform draw
 * in [0, jitterMs), half before the call and half after (regions/store/delayed-store.ts). Works
 * with either store (memory or DynamoDB Local). Two spikes on one region do not stack here.
 */
export const storeLatencySpike: LiveFaultKind = {
  kind: "store-latency-spike",
  summary: "a region's store calls take an added delay in ms, optionally with jitter",
  params: z
    .object({
      region: z.string(),
      addedLatencyMs: z.number().min(0).max(60_000),
      jitterMs: z.number().min(0).max(60_000).default(0),
    })
    .strict(),
  async apply(stack, { region, addedLatencyMs, jitterMs }) {
    checkRegion(stack, region);
    const knob = stack.storeLatency(region);
    if (knob.addedLatencyMs > 0 || knob.jitterMs > 0) {
      throw new FaultError(`${region}'s store already has a latency spike; heal it first`, 409);
    }
    knob.addedLatencyMs = addedLatencyMs;
    knob.jitterMs = jitterMs;
    return async () => {
      knob.addedLatencyMs = 0;
      knob.jitterMs = 0;
    };
  },
};
