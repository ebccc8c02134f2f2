import { z } from "zod";
import { checkRegion, endMs, faultTimingSchema, regionEffect, registerFault } from "./registry.ts";

/**
 * The region is degraded: a share of requests (health checks included) get a 503 and every
 * response takes longer. Whether that warrants a failover is the policy's call: it does when
 * the error rate reaches the passive error-rate threshold (router.passive.errorRateThreshold).
 */
const schema = z
  .object({
    kind: z.literal("brownout"),
    region: z.string(),
    /** Share of requests answered 503, 0..1. */
    errorRate: z.number().min(0).max(1),
    /** Added to every response's time in the region. */
    addedLatencyMs: z.number().min(0).max(600_000).default(0),
    ...faultTimingSchema,
  })
  .strict();

registerFault({
  kind: "brownout",
  summary: "a region answers a share of requests with 503 and adds latency to the rest",
  schema,
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [
    regionEffect(p.region, p.startS * 1000, endMs(p), "degraded", {
      errorRate: p.errorRate,
      addedLatencyMs: p.addedLatencyMs,
    }),
  ],
  warrantsFailoverFrom: (p, ctx) => (p.errorRate >= ctx.policy.passive.errorRateThreshold ? [p.region] : []),
  describe: (p) => `${p.region} brownout ${Math.round(p.errorRate * 100)}% errors +${p.addedLatencyMs} ms`,
});
