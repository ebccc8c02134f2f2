import type { EnvironmentConfig } from "../../../config/schema.ts";
import { ManualClock } from "../../../core/clock.ts";
import { MemoryControlStore } from "../../../core/control.ts";
import { seededRandom } from "../../../core/random.ts";
import { createRouter, type Router } from "../../../router/create-router.ts";
import type { Decision } from "../../../router/decision-log.ts";
import { FakeRegions } from "./fake-regions.ts";
import { routerEnvironment } from "./router-env.ts";

export interface Harness {
  clock: ManualClock;
  control: MemoryControlStore;
  regions: FakeRegions;
  router: Router;
  decisions(kind?: Decision["kind"]): Decision[];
  /** Sends a request through the router in process, from `client` (its peer address) if given. */
  request(path: string, init?: RequestInit, client?: string): Promise<Response>;
}

export interface HarnessOptions {
  config?: EnvironmentConfig;
  routerId?: string;
  clock?: ManualClock;
  control?: MemoryControlStore;
  regions?: FakeRegions;
  adminToken?: string;
}

/** A router on a ManualClock in front of two fake regions; the control record starts at epoch 1, prod-us. */
export function routerHarness(options: HarnessOptions = {}): Harness {
  const clock = options.clock ?? new ManualClock(0);
  const control =
    options.control ??
    new MemoryControlStore({ activeRegion: "prod-us", epoch: 1, updatedAtMs: 0, reason: "test setup" });
  const regions = options.regions ?? new FakeRegions(clock, control);
  const router = createRouter({
    config: options.config ?? routerEnvironment(),
    routerId: options.routerId ?? "edge-1",
    clock,
    transport: regions.transport,
    random: seededRandom(7),
    // A fixed probe grid from t=0: these tests assert exact decision times (probe phases are
    // tested in probe-phase.test.ts and over seeds in the simulator).
    probeRandom: null,
    control,
    adminToken: options.adminToken,
  });
  return {
    clock,
    control,
    regions,
    router,
    decisions: (kind) => router.status().decisions.filter((d) => kind === undefined || d.kind === kind),
    request: (path, init, client) =>
      Promise.resolve(
        router.app.request(`http://edge.test${path}`, init, client ? { clientAddress: client } : undefined),
      ),
  };
}

/** Lets a request's promise chain run without moving the clock. */
export async function settle(clock: ManualClock): Promise<void> {
  await clock.advance(0);
  await new Promise((resolve) => setImmediate(resolve));
  await clock.advance(0);
}
