import { brownoutFault } from "../../core/faults/brownout.ts";
import { checkRegion, endMs, regionEffect, simFault } from "./registry.ts";

/**
 * The region is degraded: a share of requests (health checks included) get a 503 and every
 * response takes longer. Whether that warrants a failover is the policy's call: it does when
 * the error rate reaches the passive error-rate threshold (router.passive.errorRateThreshold).
 */
export const brownout = simFault(brownoutFault, {
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
