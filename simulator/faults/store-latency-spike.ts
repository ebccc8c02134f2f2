import { storeLatencySpikeFault } from "../../core/faults/store-latency-spike.ts";
import { checkRegion, simFault } from "./registry.ts";

/**
 * A region's store answers late (core/faults/store-latency-spike.ts): every store call takes
 * `addedLatencyMs` longer, plus a uniform draw in [0, jitterMs) per call from the run's seed, half
 * on the way there and half on the way back (regions/store/delayed-store.ts). The readiness probe
 * reads the store too, so a spike at or above the probe timeout warrants a failover by the policy.
 */
export const storeLatencySpike = simFault(storeLatencySpikeFault, {
  check: (p, ctx) => checkRegion(p.region, ctx),
  effect: (p) => ({
    type: "store-latency",
    region: p.region,
    addedLatencyMs: p.addedLatencyMs,
    jitterMs: p.jitterMs,
  }),
  warrantsFailoverFrom: (p, ctx) => (p.addedLatencyMs >= ctx.policy.healthCheck.timeoutMs ? [p.region] : []),
  describe: (p) =>
    `${p.region} store +${p.addedLatencyMs} ms${p.jitterMs > 0 ? ` (jitter ${p.jitterMs} ms)` : ""}`,
});
