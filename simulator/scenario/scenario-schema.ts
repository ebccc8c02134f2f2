import { z } from "zod";
import { capacitySchema } from "../capacity/capacity-schema.ts";
import { dnsClientKindSchema } from "../dns/dns-client-mix.ts";
import { jitterSchema } from "../latency/jitter.ts";

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be lower-case letters, digits and dashes");
const location = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lower-case location id, e.g. virginia");

export const clientSchema = z
  .object({
    /** Defaults to the location. */
    name: id.optional(),
    location,
    /** Mean requests per second (open loop: arrivals do not wait for answers). */
    ratePerS: z.number().min(0).max(100_000),
    /** Share of requests that are writes (POST /items with an Idempotency-Key), 0..1. */
    writeShare: z.number().min(0).max(1).default(0.1),
    /** poisson: exponential gaps (independent users); uniform: evenly spaced. */
    arrival: z.enum(["poisson", "uniform"]).default("poisson"),
    /** The router these clients use (router mode); defaults to the edge in their location. */
    router: id.optional(),
    /** The client gives up connecting after this long (what a browser or SDK would). */
    connectTimeoutMs: z.number().int().min(10).max(120_000).default(3000),
    /** The client gives up waiting for an answer after this long. */
    timeoutMs: z.number().int().min(10).max(600_000).default(30_000),
    /**
     * Clients that retry a 5xx or a request that got no answer (an SDK's default retry policy):
     * up to `max` more attempts, the n-th after backoffMs x backoffMultiplier^(n-1). The user
     * sees one request (its latency from the first send); the servers see every attempt.
     * Absent: no retries.
     */
    retries: z
      .object({
        max: z.number().int().min(1).max(10),
        backoffMs: z.number().min(0).max(600_000).default(0),
        backoffMultiplier: z.number().min(1).max(10).default(1),
      })
      .strict()
      .optional(),
  })
  .strict();

export const routerSpecSchema = z
  .object({
    id,
    location,
    /** The AWS region it runs in; default: its location's in the latency table (a city has none). */
    awsRegion: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region id, e.g. us-east-1")
      .optional(),
  })
  .strict();

/** Route 53 failover (docs/route53-health-checks.md): 10 s or 30 s checks, threshold 1-10, healthy above 18% of checkers, 60 s TTL. */
export const dnsModelSchema = z
  .object({
    requestIntervalS: z.union([z.literal(10), z.literal(30)]).default(30),
    failureThreshold: z.number().int().min(1).max(10).default(3),
    ttlS: z.number().int().min(0).max(86_400).default(60),
    /**
     * Where Route 53's health checkers probe from: by default its eight health-checker regions
     * (Route 53 API reference, HealthCheckObservation.Region: us-east-1, us-west-1, us-west-2,
     * eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1).
     */
    checkers: z
      .array(location)
      .min(1)
      .default(["virginia", "california", "oregon", "ireland", "singapore", "sydney", "tokyo", "sao-paulo"]),
    /** A record is healthy while more than this share of checkers say so. */
    healthyCheckerShare: z.number().min(0).max(1).default(0.18),
    /** Independent client resolver caches per client group (each caches from its own last lookup). */
    cacheInstances: z.number().int().min(1).max(10_000).default(50),
    /** What the caches are (simulator/dns/dns-client-mix.ts); default: all honour the TTL. Shares are normalised. */
    clientMix: z.array(dnsClientKindSchema).min(1).optional(),
    /** A lookup that misses the cache delays its request by this long (a recursive resolver's round trips). */
    lookupMs: z.number().min(0).max(60_000).default(0),
    /** on-answer-change: automation promotes whichever region DNS answers (generous to DNS); none: nobody promotes. */
    promote: z.enum(["on-answer-change", "none"]).default("on-answer-change"),
    /** Time from the answer changing to the promotion (an alarm, a Lambda). */
    promoteDelayS: z.number().min(0).max(3600).default(0),
  })
  .strict();

export const reportOptionsSchema = z
  .object({
    /** Service counts as restored after the last failed request followed by this long without one. */
    restoredForS: z.number().gt(0).max(3600).default(5),
  })
  .strict();

export const expectSchema = z
  .object({
    failoversMin: z.number().int().min(0).optional(),
    failoversMax: z.number().int().min(0).optional(),
    lostWritesMin: z.number().int().min(0).optional(),
    lostWritesMax: z.number().int().min(0).optional(),
    falseFailoversMax: z.number().int().min(0).optional(),
    rtoSMax: z.number().min(0).optional(),
    successRateMin: z.number().min(0).max(1).optional(),
  })
  .strict();

export const sweepSchema = z
  .object({
    /** router.healthCheck.intervalMs values to try. */
    intervalMs: z.array(z.number().int().min(100).max(600_000)).min(1).max(20),
    /** router.healthCheck.fallCount values to try. */
    fallCount: z.array(z.number().int().min(1).max(100)).min(1).max(20),
    /** Probe timeout for each cell: a share of the interval (it must stay below it). */
    timeoutShare: z.number().gt(0).lt(1).default(0.5),
  })
  .strict();

/** The fields a scenario (and each comparison variant) may set. */
export const scenarioFields = {
  name: id,
  description: z.string().max(2000).default(""),
  /** development | staging | production, or a path to an environment JSON file. */
  environment: z.string().min(1).default("production"),
  durationS: z
    .number()
    .gt(0)
    .max(86_400 * 7),
  /** After durationS: faults are over, clients stop, replication catches up; then the checkers run. */
  settleS: z.number().min(0).max(3600).default(30),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  failoverBy: z.enum(["router", "dns"]).default("router"),
  topology: z.enum(["active-standby", "active-active"]).default("active-standby"),
  latency: z
    .object({
      /** inter-region, table11, or a path to a JSON/CSV table. */
      table: z.string().min(1).default("inter-region"),
      jitter: jitterSchema.default({ distribution: "lognormal", medianMs: 0.2, sigma: 1, capMs: 10_000 }),
    })
    .strict()
    .default({
      table: "inter-region",
      jitter: { distribution: "lognormal", medianMs: 0.2, sigma: 1, capMs: 10_000 },
    }),
  /**
   * Time a region spends per request besides the network: its database round trips, one for a
   * read, three for a write (control record, log head, commit), each a same-datacenter round
   * trip of 0.5 ms (Table 11, docs/latency-table-11.md).
   */
  serviceTimeMs: z
    .object({
      read: z.number().min(0).max(60_000).default(0.5),
      write: z.number().min(0).max(60_000).default(1.5),
    })
    .strict()
    .default({ read: 0.5, write: 1.5 }),
  /** Workers, queues and service times of regions and routers; absent: infinite capacity. */
  capacity: capacitySchema.optional(),
  /** Move a region to another location of the latency table, e.g. {prod-ie: sydney}. */
  regionLocations: z.record(z.string(), location).default({}),
  /** Partial override of the environment's replication settings (validated after merging). */
  replication: z.record(z.string(), z.unknown()).default({}),
  /**
   * Partial override of the environment's control plane (validated after merging), e.g. the
   * record in one region only: {replicas: [{awsRegion: us-east-1, location: virginia}]}. The
   * production survival rule is not applied, so a rehearsal can show what it guards against.
   */
  control: z.record(z.string(), z.unknown()).default({}),
  /** Partial override of the environment's router policy (validated after merging). */
  router: z.record(z.string(), z.unknown()).default({}),
  routers: z.array(routerSpecSchema).optional(),
  /**
   * Clock drift bound, parts per million: each router's and region's clock runs at its own rate
   * 1 + x/1e6, x drawn from the seed in [-clockDriftPpm, +clockDriftPpm]. 0: every clock exact.
   */
  clockDriftPpm: z.number().min(0).max(100_000).default(0),
  clients: z.array(clientSchema).min(1),
  dns: dnsModelSchema.default(() => dnsModelSchema.parse({})),
  /** Each checked against its kind's schema (simulator/faults/). */
  faults: z.array(z.looseObject({ kind: z.string() })).default([]),
  report: reportOptionsSchema.default({ restoredForS: 5 }),
  expect: expectSchema.default({}),
};

export const scenarioSchema = z
  .object({
    ...scenarioFields,
    /** A comparison: each variant overrides fields of this scenario; all run on one seed. */
    variants: z
      .array(z.looseObject({ label: z.string().min(1).max(60) }))
      .min(2)
      .max(12)
      .optional(),
    sweep: sweepSchema.optional(),
  })
  .strict();

export type ScenarioInput = z.infer<typeof scenarioSchema>;
export type ClientSpec = z.infer<typeof clientSchema>;
export type DnsModelSpec = z.infer<typeof dnsModelSchema>;
export type ExpectSpec = z.infer<typeof expectSchema>;
export type SweepSpec = z.infer<typeof sweepSchema>;
