import { z } from "zod";
import { defineRegionFault } from "./fault-definition.ts";

/**
 * A region's store answers late (issue 12, docs/issues.md: "store latency spikes"), e.g. DynamoDB
 * throttling or a slow partition: every store call takes `addedLatencyMs` longer, plus a uniform
 * draw in [0, jitterMs) per call, half on the way there and half on the way back
 * (regions/store/delayed-store.ts). The service stays up; its readiness probe reads the store too,
 * so a spike above the probe timeout shows as probes timing out: that warrants a failover by the
 * policy, a smaller one does not.
 */
export const storeLatencySpikeFault = defineRegionFault({
  kind: "store-latency-spike",
  summary: "a region's store calls take an added delay in ms, optionally with jitter",
  params: {
    /** Added to every store call; a minute is past every timeout the router has. */
    addedLatencyMs: z.number().min(0).max(60_000).describe("added to every store call"),
    /** Up to this much more per call, drawn uniformly (0: no jitter). */
    jitterMs: z.number().min(0).max(60_000).default(0).describe("up to this much more per call, uniform"),
  },
  stacking:
    "in the simulator overlapping spikes on one region add; the live stack refuses a second spike on a region until the first heals",
});
