import type { Random } from "../../core/random.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import { makeJitter } from "../latency/jitter.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import { CapacityPool, type PoolStats } from "./capacity-pool.ts";
import type { CapacitySpec } from "./capacity-schema.ts";

export interface CapacityReport {
  source: string;
  pools: (PoolStats & { kind: "region" | "router"; fullConcurrency: number })[];
}

/**
 * The run's capacity pools: one per region (shared by its endpoints in every cell: one fleet) and
 * one per router when routers have limits. The standby starts at its share and scales up after
 * its promotion (capacity-schema.ts). Each pool draws service times from its own seeded stream.
 */
export class CapacityModel {
  private readonly pools = new Map<string, { pool: CapacityPool; kind: "region" | "router"; full: number }>();
  private readonly scaled = new Set<string>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly spec: CapacitySpec,
    regions: readonly string[],
    standbys: ReadonlySet<string>,
    routers: readonly string[],
    randomFor: (name: string) => Random,
  ) {
    for (const name of regions) {
      const full = spec.region.concurrency;
      const start =
        standbys.has(name) && spec.standby ? Math.max(1, Math.round(full * spec.standby.share)) : full;
      const draw = makeJitter(spec.serviceTimeMs, randomFor(`capacity:region:${name}`));
      this.pools.set(`region|${name}`, {
        pool: new CapacityPool(clock, name, start, spec.region.queueMax, draw),
        kind: "region",
        full,
      });
    }
    const router = spec.router;
    if (router) {
      for (const id of routers) {
        const draw = makeJitter(router.serviceTimeMs, randomFor(`capacity:router:${id}`));
        this.pools.set(`router|${id}`, {
          pool: new CapacityPool(clock, id, router.concurrency, router.queueMax, draw),
          kind: "router",
          full: router.concurrency,
        });
      }
    }
  }

  /** The pool a request to this endpoint waits in; undefined: infinite capacity. */
  poolFor(endpoint: Endpoint): CapacityPool | undefined {
    if (endpoint.kind !== "region" && endpoint.kind !== "router") return undefined;
    return this.pools.get(`${endpoint.kind}|${endpoint.name}`)?.pool;
  }

  /** A region was promoted: a scaled-down standby scales to full over the configured delay. */
  onPromoted(region: string): void {
    const standby = this.spec.standby;
    const entry = this.pools.get(`region|${region}`);
    if (!standby || !entry || this.scaled.has(region)) return;
    this.scaled.add(region);
    const { pool, full } = entry;
    const startMs = this.clock.exactMs;
    const from = Math.max(1, Math.round(full * standby.share));
    for (let i = 1; i <= standby.steps; i++) {
      const concurrency = from + Math.round(((full - from) * i) / standby.steps);
      this.clock.at(startMs + (standby.scaleUpS * 1000 * i) / standby.steps, () => pool.resize(concurrency));
    }
  }

  report(): CapacityReport {
    return {
      source: this.spec.source,
      pools: [...this.pools.values()].map(({ pool, kind, full }) => ({
        kind,
        fullConcurrency: full,
        ...pool.stats,
      })),
    };
  }
}
