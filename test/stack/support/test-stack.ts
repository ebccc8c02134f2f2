import { afterEach } from "vitest";
import { loadEnvironment } from "../../../config/load-config.ts";
import { controlReplicas, type EnvironmentConfig, environmentSchema } from "../../../config/schema.ts";
import { freePort } from "../../../core/free-port.ts";
import { PortInUseError } from "../../../core/serve-app.ts";
import { loadLatencyTable } from "../../../simulator/latency/load-latency-table.ts";
import { type RunningStack, type StackOptions, startStack } from "../../../stack/start-stack.ts";
import { probeTimings, STALL_MS, stallProofLease, syncTimeoutFor } from "../../support/loaded-machine.ts";

const PRODUCTION = loadEnvironment("production");
const LATENCY = loadLatencyTable("inter-region");

/**
 * The longest round trip the live stack injects between any two of production's locations (the
 * regions and the control replicas): what a probe, a lease renewal or a sync shipment must
 * cross before a machine's stalls come on top (test/support/loaded-machine.ts).
 */
export const WORST_RTT_MS = Math.max(
  ...pairsOf([
    ...PRODUCTION.regions.map((r) => r.location),
    ...controlReplicas(PRODUCTION).map((r) => r.location),
  ]).map(([a, b]) => LATENCY.roundTrip(a, b).rttMs),
);

/**
 * Lease for live-stack tests, one that a renewing region keeps through a stall
 * (stallProofLease); a promoted region waits leaseMs + maxClockDriftMs before it takes writes.
 */
export const FAST_STACK_LEASE = stallProofLease(WORST_RTT_MS);

/** How long a promoted region holds writes: the old active's lease must have run out (regions/service/lease.ts). */
export const LEASE_WAIT_MS = FAST_STACK_LEASE.leaseMs + FAST_STACK_LEASE.maxClockDriftMs;

const PROBES = { ...probeTimings(WORST_RTT_MS), riseCount: 2, fallCount: 2 } as const;

/**
 * The longest a hung region takes to be found down: fallCount probes, the last one timing out,
 * the first up to one interval after the hang began (router/health/active-checker.ts).
 */
const HANG_DETECTION_MS = PROBES.intervalMs * PROBES.fallCount + PROBES.timeoutMs;

/**
 * Router timings short enough for a test to watch a whole failover in a few seconds, on the
 * same rules as production (HAProxy-style fall/rise, probe timeout below the interval). The
 * probe timeout is the worst round trip plus a stall (probeTimings): tighter, and on a loaded
 * machine the router fails over on its own before the fault, or finds the standby down and
 * cannot. The response timeout outlasts, by a stall, both the detection of a hung region (so a
 * request caught by the hang times out after the promotion and is retried on the new active
 * region, as production's 10 s does against its 7 s) and a promoted region's lease wait across
 * the worst link (so the retry is answered). The connect timeout (loopback) allows a stall.
 */
export const FAST_ROUTER = {
  healthCheck: { path: "/readyz", ...PROBES, fastIntervalMs: 50 },
  passive: {
    consecutiveFailures: 5,
    errorRateWindowMs: 10_000,
    errorRateThreshold: 0.5,
    errorRateMinRequests: 20,
  },
  connectTimeoutMs: STALL_MS,
  responseTimeoutMs: Math.max(HANG_DETECTION_MS, LEASE_WAIT_MS + Math.ceil(WORST_RTT_MS)) + STALL_MS,
  failback: { mode: "manual", holdDownMs: 300_000 },
  minPromotionIntervalMs: 0,
  retry: { budgetRatio: 0.2, minRetriesPerS: 10 },
  standbyReads: false,
  retryAfterS: 1,
} as const;

/**
 * A bound for waits that a failover ends (waitForActive and the like), not a measured time:
 * the slowest detection (a hang: fallCount probes, the last one timing out, up to one interval
 * after the fault), the lease a promoted region waits out, and a stall for each of the steps.
 */
export const FAILOVER_WAIT_MS =
  FAST_ROUTER.healthCheck.intervalMs * (FAST_ROUTER.healthCheck.fallCount + 1) +
  FAST_ROUTER.healthCheck.timeoutMs +
  LEASE_WAIT_MS +
  4 * STALL_MS;

/**
 * The longest a client of the router may wait for one request: an attempt on a failing region
 * runs into the connect and response timeouts, its retry on the promoted region waits out the
 * lease (responseTimeoutMs covers that), and a stall comes on top.
 */
export const CLIENT_TIMEOUT_MS =
  2 * (FAST_ROUTER.connectTimeoutMs + FAST_ROUTER.responseTimeoutMs) + STALL_MS;

/** A sync-replication timeout that a stall does not turn into a refusal or a degraded write. */
export const STACK_SYNC_TIMEOUT_MS = syncTimeoutFor(WORST_RTT_MS);

function pairsOf(locations: string[]): [string, string][] {
  return locations.flatMap((a, i) => locations.slice(i + 1).map((b): [string, string] => [a, b]));
}

export interface TestStackOptions {
  replication?: Partial<EnvironmentConfig["replication"]>;
  /** Merged over FAST_ROUTER, one level deep (healthCheck, passive, failback, retry). */
  router?: Record<string, unknown>;
  clientLocation?: string;
  /** Where the router runs (default: virginia, the active region's location, AWS us-east-1). */
  routerLocation?: string;
  store?: EnvironmentConfig["store"];
  /** Replaces production's control plane (its replicas, witness, lease). */
  control?: Record<string, unknown>;
  onWriteAcknowledged?: StackOptions["onWriteAcknowledged"];
}

export const ADMIN_TOKEN = "test-admin-token";

/** production's topology (prod-us in virginia active, prod-ie in ireland) on free loopback ports. */
export function testConfig(options: TestStackOptions = {}): EnvironmentConfig {
  const base = PRODUCTION;
  const router: Record<string, unknown> = { ...FAST_ROUTER };
  for (const [key, value] of Object.entries(options.router ?? {})) {
    const current = router[key];
    router[key] =
      value && typeof value === "object" && current && typeof current === "object"
        ? { ...current, ...value }
        : value;
  }
  return environmentSchema.parse({
    ...base,
    // FAST_ROUTER's response timeout covers this lease's wait in a promoted region.
    control: { ...base.control, lease: FAST_STACK_LEASE },
    store: options.store ?? { kind: "memory", tablePrefix: "failover-test" },
    replication: { ...base.replication, ...options.replication },
    router,
    // Production refuses a control record that one region's loss would take (config validate);
    // a rehearsal of exactly that runs the same topology under another environment name.
    ...(options.control
      ? { control: { ...base.control, lease: FAST_STACK_LEASE, ...options.control }, name: "staging" }
      : {}),
  });
}

/** Starts the live stack (router, prod-us, prod-ie, control API) on 127.0.0.1 on free ports. */
export async function startTestStack(options: TestStackOptions = {}): Promise<RunningStack> {
  const host = "127.0.0.1";
  // A port found free can be taken by another process before the stack binds it (the machine
  // is shared); startStack then closes what it opened, and a fresh set of ports is tried.
  for (let attempt = 1; ; attempt++) {
    const ports = await distinctFreePorts(host, 4);
    try {
      return await startStack({
        config: testConfig(options),
        host,
        routerPort: ports[0]!,
        controlPort: ports[1]!,
        regionPorts: [ports[2]!, ports[3]!],
        latency: loadLatencyTable("inter-region"),
        clientLocation: options.clientLocation ?? "virginia",
        ...(options.routerLocation ? { routerLocation: options.routerLocation } : {}),
        adminToken: ADMIN_TOKEN,
        ...(options.onWriteAcknowledged ? { onWriteAcknowledged: options.onWriteAcknowledged } : {}),
      });
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt === 3) throw error;
    }
  }
}

/**
 * One live stack per test: `start` brings it up, and it is closed after the test whatever
 * happened (a failed assertion must not leave its servers and timers running into the next).
 */
export function stackPerTest(): { start(options?: TestStackOptions): Promise<RunningStack> } {
  let running: RunningStack | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    async start(options) {
      running = await startTestStack(options);
      return running;
    },
  };
}

export async function distinctFreePorts(host: string, count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}
