import { type EnvironmentConfig, environmentSchema } from "../../../config/schema.ts";
import { stallProofLease } from "../../support/loaded-machine.ts";

/**
 * A lease for tests over real sockets (loopback, no injected latency) that a renewing region
 * keeps through a loaded machine's stall (test/support/loaded-machine.ts). A promoted region
 * waits leaseMs + maxClockDriftMs before it takes writes.
 */
export const FAST_LEASE = stallProofLease(0);

/** How long a promoted region holds writes: the old active's lease must have run out (regions/service/lease.ts). */
export const LEASE_WAIT_MS = FAST_LEASE.leaseMs + FAST_LEASE.maxClockDriftMs;

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
