import { z } from "zod";
import { jitterSchema } from "../latency/jitter.ts";

/** One server's limits: requests served at once, and requests that may wait for a worker. */
const limitsSchema = z
  .object({
    /** Requests in service at once (workers, or cores x in-flight requests per core). */
    concurrency: z.number().int().min(1).max(100_000),
    /** Requests that may wait for a worker; one more is shed with 503 `overloaded`. */
    queueMax: z.number().int().min(0).max(1_000_000),
  })
  .strict();

/**
 * A capacity model (issue 15): each region (and, if given, each router) serves at most
 * `concurrency` requests at once, each holding a worker for a service time drawn from
 * `serviceTimeMs`; later ones queue (FIFO) up to `queueMax` and the rest are shed with a 503.
 * Everything that reaches a server counts: client requests, router retries, health probes,
 * replication batches, control reads. Absent: infinite capacity, as before.
 */
export const capacitySchema = z
  .object({
    /** Where the service time and limits come from (required: a number without a source is a guess). */
    source: z.string().min(10),
    /** CPU time per request at the server, on top of the database round trips (serviceTimeMs). */
    serviceTimeMs: jitterSchema,
    /** Every region's limits at full scale. */
    region: limitsSchema,
    /**
     * The standby (whichever region is not active at the start, per cell) runs at `share` of the
     * region's concurrency (at least 1) and scales to full `scaleUpS` after it is promoted, in
     * `steps` equal steps (AWS's warm standby: "scaled down", "scale up to production capacity"
     * after a failover). share 1: fully scaled (hot standby). Absent: fully scaled.
     */
    standby: z
      .object({
        share: z.number().gt(0).max(1),
        scaleUpS: z.number().min(0).max(86_400).default(300),
        steps: z.number().int().min(1).max(1000).default(1),
      })
      .strict()
      .optional(),
    /** Each router's limits; absent: routers have infinite capacity. */
    router: limitsSchema.extend({ serviceTimeMs: jitterSchema }).strict().optional(),
    /** What counts as degraded service in the report: below this success rate or above this p99. */
    slo: z
      .object({
        successRateMin: z.number().min(0).max(1).default(0.99),
        p99MsMax: z.number().positive().max(600_000).default(1000),
      })
      .strict()
      .default({ successRateMin: 0.99, p99MsMax: 1000 }),
  })
  .strict();

export type CapacitySpec = z.infer<typeof capacitySchema>;
