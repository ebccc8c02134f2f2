import { z } from "zod";

/**
 * How `failover deploy` runs the router in each region (issue 14 (docs/issues.md)): one AWS Lambda function per
 * region with a Function URL, and latency-based Route 53 records at `recordName` that send each
 * client to the nearest healthy router. Absent: deploy leaves routers alone.
 */
export const routerDeploySchema = z
  .object({
    /** The name clients use, e.g. "api.example.com": one latency record per router. Not dns.recordName. */
    recordName: z.string().min(1),
    /** Lambda memory, 128..10240 MB (Lambda's limits); CPU grows with it. */
    memoryMb: z.number().int().min(128).max(10_240).default(512),
    /** Lambda timeout, 1..900 s; covers a forward, its retry on the other region, and a cold start. */
    timeoutS: z.number().int().min(1).max(900).default(30),
    /**
     * SSM Parameter Store SecureString holding the admin token, in each router's AWS region.
     * The function gets only this name; the router reads the value at start (never in the plan).
     */
    adminTokenParameter: z
      .string()
      .regex(
        /^\/[A-Za-z0-9_.\-/]+$/,
        "must be an SSM parameter path, e.g. /failover/production/router-admin-token",
      )
      .optional(),
  })
  .strict();

export type RouterDeployConfig = z.infer<typeof routerDeploySchema>;
