import { z } from "zod";

/**
 * The router's failover policy. Defaults follow the systems operators already know
 * (docs/envoy-outlier-detection.md, docs/route53-health-checks.md): HAProxy `inter 2s fall 3 rise 2`, Envoy's 20% retry budget, Route 53's
 * failure threshold of 3. Every field carries its unit in its name.
 */
export const healthCheckSchema = z
  .object({
    path: z.string().startsWith("/").default("/readyz"),
    /** Time between probes of each region. HAProxy `inter 2s`. Range 100 ms .. 10 min. */
    intervalMs: z.number().int().min(100).max(600_000).default(2000),
    /** A probe slower than this counts as failed. Must be below intervalMs. */
    timeoutMs: z.number().int().min(10).max(60_000).default(1000),
    /** Consecutive good probes before a down region counts as up again. HAProxy `rise 2`. */
    riseCount: z.number().int().min(1).max(100).default(2),
    /** Consecutive failed probes before an up region counts as down. HAProxy `fall 3`. */
    fallCount: z.number().int().min(1).max(100).default(3),
    /**
     * Gap between confirmation probes once a region refuses or resets a connection (from a probe
     * or from real traffic), HAProxy's `fastinter`. A refused connection is an unambiguous signal,
     * so the router confirms it with fallCount quick probes instead of waiting fallCount intervals;
     * the router caps the gap at intervalMs / fallCount so confirmation ends within one interval.
     * Optional (added by the router, issue 3 (docs/issues.md)); default 100 ms. Range 0 .. 60 s.
     */
    fastIntervalMs: z.number().int().min(0).max(60_000).default(100),
    /**
     * A region that answers its probes with an error (rather than not at all) may be failing a
     * share of all requests (a brownout). When fallCount probes in a row fail and any of them got
     * an answer, the router takes a sample of sampleProbes probes, sampleIntervalMs apart, and
     * marks the region down only if at least sampleFailureShare of them fail. Three failures in a
     * row are common in a 30% brownout (0.3^3 = 2.7% of probe positions, several times in five
     * minutes); 40 of 80 are not (binomial tail 1.4e-4), while a 60% brownout fails such a
     * sample 97% of the time (issue 13 (docs/issues.md)). Optional; default 80. Range 1 .. 1000.
     */
    sampleProbes: z.number().int().min(1).max(1000).default(80),
    /** Gap between sample probes. Optional; default 50 ms (80 probes in 4 s). Range 1 ms .. 60 s. */
    sampleIntervalMs: z.number().int().min(1).max(60_000).default(50),
    /** Share of the sample (0..1) that must fail to mark the region down. Optional; default 0.5. */
    sampleFailureShare: z.number().gt(0).max(1).default(0.5),
    /**
     * Randomness in each gap between probes, as a share of intervalMs: each gap is drawn uniformly
     * from intervalMs x (1 +/- jitterShare). HAProxy's `spread-checks` (0..50%, default 0, "2 to 5
     * seems to show good results") and Envoy's `interval_jitter_percent` (docs/probe-timing-sources.md).
     * The start of the grid is always random (a phase uniform in one interval, drawn per region
     * probed), so routers started together do not probe in step. Optional; default 0. Range 0 .. 0.5.
     */
    jitterShare: z.number().min(0).max(0.5).default(0),
  })
  .strict()
  .refine((h) => h.timeoutMs < h.intervalMs, {
    message: "timeoutMs must be less than intervalMs",
    path: ["timeoutMs"],
  });

export const passiveSchema = z
  .object({
    /**
     * Requests in a row that got no answer (refused, reset, timed out) that mark a region down.
     * Answers never count here, 5xx included: one client's bad requests must not flip a region
     * (issue 13 (docs/issues.md)). Envoy's consecutive_5xx default is 5.
     */
    consecutiveFailures: z.number().int().min(1).max(1000).default(5),
    /** Sliding window for the error rate. Envoy evaluates every 10 s. Range 1 s .. 10 min. */
    errorRateWindowMs: z.number().int().min(1000).max(600_000).default(10_000),
    /** Share of failed requests (no answer or 5xx) in the window, 0..1, that marks a region down. */
    errorRateThreshold: z.number().gt(0).max(1).default(0.5),
    /** Requests the window must hold before the error rate counts. Envoy's minimum request volume: 50. */
    errorRateMinRequests: z.number().int().min(1).max(100_000).default(50),
    /**
     * Distinct clients (by peer address) with a failure in the window before the error rate
     * counts, so one client alone never moves traffic (issue 13 (docs/issues.md); Route 53 likewise needs a
     * quorum of independent checkers). Optional; default 3. Range 1 .. 1000.
     */
    errorRateMinClients: z.number().int().min(1).max(1000).default(3),
  })
  .strict();

export const routerPolicySchema = z
  .object({
    healthCheck: healthCheckSchema.default(() => healthCheckSchema.parse({})),
    passive: passiveSchema.default(() => passiveSchema.parse({})),
    /** Upstream connect timeout. */
    connectTimeoutMs: z.number().int().min(10).max(60_000).default(1000),
    /** Time allowed for response headers after the request is sent. */
    responseTimeoutMs: z.number().int().min(10).max(600_000).default(10_000),
    failback: z
      .object({
        /** manual (the default: an operator fails back) or automatic after holdDownMs of health. */
        mode: z.enum(["manual", "automatic"]).default("manual"),
        /** How long the old primary must stay healthy before automatic failback. */
        holdDownMs: z.number().int().min(0).max(86_400_000).default(300_000),
      })
      .strict()
      .default({ mode: "manual", holdDownMs: 300_000 }),
    /** Flap damping: no automatic promotion sooner than this after the previous one. */
    minPromotionIntervalMs: z.number().int().min(0).max(86_400_000).default(60_000),
    retry: z
      .object({
        /** Retries allowed as a share of requests (Envoy's retry budget: 20%). */
        budgetRatio: z.number().min(0).max(1).default(0.2),
        /** Retries always allowed per second, so a quiet router can still retry. */
        minRetriesPerS: z.number().int().min(0).max(100_000).default(10),
      })
      .strict()
      .default({ budgetRatio: 0.2, minRetriesPerS: 10 }),
    /** Serve reads from the standby while the active region is down and not yet replaced (stale). */
    standbyReads: z.boolean().default(false),
    /** Seconds a client is told to wait (Retry-After) when a request cannot be served. */
    retryAfterS: z.number().int().min(0).max(3600).default(1),
  })
  .strict();

export type RouterPolicy = z.infer<typeof routerPolicySchema>;
