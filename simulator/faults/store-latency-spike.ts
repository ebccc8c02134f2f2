import { z } from "zod";
import { checkRegion, endMs, faultTimingSchema, registerFault } from "./registry.ts";

/**
 * A region's store answers late (issue 12: "store latency spikes"), e.g. DynamoDB throttling or
 * a slow partition: every store call takes `addedLatencyMs` longer, plus a uniform draw in
 * [0, jitterMs) per call from the run's seed, half on the way there and half on the way back
 * (regions/store/delayed-store.ts). The service stays up; its readiness probe reads the store
 * too, so a spike above the probe timeout shows as probes timing out: that warrants a failover
 * by the policy, a smaller one does not.
 */
const schema = z
  .object({
    kind: z.literal("store-latency-spike"),
    region: z.string(),
    /** Added to every store call, in ms. */
    addedLatencyMs: z.number().min(0).max(600_000),
    /** Up to this much more per call, drawn uniformly, in ms (0: no jitter). */
    jitterMs: z.number().min(0).max(600_000).default(0),
    ...faultTimingSchema,
  })
  .strict();

registerFault({
  kind: "store-latency-spike",
  summary: "a region's store calls take an added delay in ms, optionally with jitter",
  schema,
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [
    {
      type: "store-latency",
      region: p.region,
      addedLatencyMs: p.addedLatencyMs,
      jitterMs: p.jitterMs,
      fromMs: p.startS * 1000,
      toMs: endMs(p),
    },
  ],
  warrantsFailoverFrom: (p, ctx) => (p.addedLatencyMs >= ctx.policy.healthCheck.timeoutMs ? [p.region] : []),
  describe: (p) =>
    `${p.region} store +${p.addedLatencyMs} ms${p.jitterMs > 0 ? ` (jitter ${p.jitterMs} ms)` : ""}`,
});
