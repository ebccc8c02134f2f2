import { type EnvironmentConfig, environmentSchema } from "../../../config/schema.ts";

/**
 * A lease for tests over real sockets with sub-second timeouts: a promoted region waits
 * leaseMs + maxClockDriftMs = 270 ms, under FAST_POLICY's 400 ms response timeout, and a holder
 * renews every 50 ms against a 230 ms validity, which survives a busy machine's pauses.
 */
export const FAST_LEASE = { leaseMs: 250, renewIntervalMs: 50, maxClockDriftMs: 20 };

/** Production-shaped regions with a router policy for tests; `router` overrides merge into the defaults below. */
export function routerEnvironment(
  router: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  endpoints: [string, string] = ["http://127.0.0.1:1", "http://127.0.0.1:2"],
): EnvironmentConfig {
  const healthCheck = {
    path: "/readyz",
    intervalMs: 2000,
    timeoutMs: 1000,
    riseCount: 2,
    fallCount: 3,
    fastIntervalMs: 100,
    ...((router.healthCheck as object | undefined) ?? {}),
  };
  return environmentSchema.parse({
    name: "development",
    initialActive: "prod-us",
    regions: [
      { name: "prod-us", location: "virginia", awsRegion: "us-east-1", endpoint: endpoints[0] },
      { name: "prod-ie", location: "ireland", awsRegion: "eu-west-1", endpoint: endpoints[1] },
    ],
    maxBodyBytes: 2048,
    ...extra,
    router: {
      connectTimeoutMs: 1000,
      responseTimeoutMs: 3000,
      minPromotionIntervalMs: 60_000,
      ...router,
      healthCheck,
    },
  });
}
