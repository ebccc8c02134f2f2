import { afterEach } from "vitest";
import { loadEnvironment } from "../../../config/load-config.ts";
import { type EnvironmentConfig, environmentSchema } from "../../../config/schema.ts";
import { freePort } from "../../../core/free-port.ts";
import { PortInUseError } from "../../../core/serve-app.ts";
import { loadLatencyTable } from "../../../simulator/latency/load-latency-table.ts";
import { type RunningStack, type StackOptions, startStack } from "../../../stack/start-stack.ts";

/**
 * Router timings short enough for a test to watch a whole failover in a second or two, on the
 * same rules as production (HAProxy-style fall/rise, probe timeout below the interval). The
 * probe timeout stays well above the 80.5 ms round trip to prod-ie (the router sits in
 * virginia) and above the event-loop stalls of a busy shared 2-core machine: tighter, and
 * the router fails over on its own before the fault, or finds the standby down and cannot.
 */
export const FAST_ROUTER = {
  healthCheck: {
    path: "/readyz",
    intervalMs: 400,
    timeoutMs: 300,
    riseCount: 2,
    fallCount: 2,
    fastIntervalMs: 50,
  },
  passive: {
    consecutiveFailures: 5,
    errorRateWindowMs: 10_000,
    errorRateThreshold: 0.5,
    errorRateMinRequests: 20,
  },
  connectTimeoutMs: 300,
  responseTimeoutMs: 1500,
  failback: { mode: "manual", holdDownMs: 300_000 },
  minPromotionIntervalMs: 0,
  retry: { budgetRatio: 0.2, minRetriesPerS: 10 },
  standbyReads: false,
  retryAfterS: 1,
} as const;

/**
 * Lease for live-stack tests: renewed every 300 ms (so a control-plane call may take 600 ms before
 * the next replica is tried, core/remote-control-store.ts), valid 1,000 ms less a 50 ms drift bound.
 */
export const FAST_STACK_LEASE = { leaseMs: 1000, renewIntervalMs: 300, maxClockDriftMs: 50 };

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
  const base = loadEnvironment("production");
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
    // A lease that fits FAST_ROUTER's 1.5 s response timeout: a promoted region waits 1,050 ms.
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
