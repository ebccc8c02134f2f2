import { z } from "zod";
import { defineRegionFault } from "./fault-definition.ts";

/**
 * The region answers, slower, and fails a share of requests (health checks too) with 503. Whether
 * that warrants a failover is the router policy's call (passive.errorRateThreshold).
 */
export const brownoutFault = defineRegionFault({
  kind: "brownout",
  summary: "a region answers a share of requests with 503 and adds latency to every answer",
  params: {
    /** Share of requests answered 503, 0..1. */
    errorRate: z.number().min(0).max(1).default(0.1).describe("share of requests answered 503"),
    /** Added to every answer's time in the region; a minute is past every timeout the router has. */
    addedLatencyMs: z.number().min(0).max(60_000).default(0).describe("added to every answer's time"),
  },
  stacking:
    "added latencies add; error rates combine as independent chances, 1 - (1 - a)(1 - b); down or hang beats brownout",
});
