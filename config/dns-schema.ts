import { z } from "zod";

/** DNS failover in front of the routers (Route 53). Figures from docs/route53-health-checks.md. */
export const dnsSchema = z
  .object({
    /** The hosted zone, e.g. "example.com." */
    hostedZoneName: z.string().min(1),
    /** The service's name, answered by the failover record pair. */
    recordName: z.string().min(1),
    /** AWS recommends 60 s on health-checked records. */
    ttlS: z.number().int().min(0).max(172_800).default(60),
    healthCheck: z
      .object({
        path: z.string().startsWith("/").default("/readyz"),
        /** Route 53 accepts only 10 or 30 (default 30). */
        requestIntervalS: z.union([z.literal(10), z.literal(30)]).default(30),
        /** Route 53 accepts 1..10 (default 3). */
        failureThreshold: z.number().int().min(1).max(10).default(3),
      })
      .strict()
      .default({ path: "/readyz", requestIntervalS: 30, failureThreshold: 3 }),
  })
  .strict();

export const awsSchema = z
  .object({
    /** A named profile from ~/.aws/config for this environment; AWS_PROFILE overrides it. */
    profile: z.string().min(1).optional(),
    /** A role to assume in the environment's own account (one deployment account, one per environment). */
    assumeRoleArn: z
      .string()
      .regex(/^arn:aws:iam::\d{12}:role\/.+$/, "must be an IAM role ARN")
      .optional(),
    accountId: z
      .string()
      .regex(/^\d{12}$/, "must be a 12-digit AWS account id")
      .optional(),
  })
  .strict();
