import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The router's Prometheus metrics, in its own registry so several routers in one process (tests,
 * the simulator) do not collide. The request counter is on the hot path, and prom-client hashes
 * and validates the labels on every `inc` (a cached child too: it is `inc` bound to its labels),
 * so requests are counted in a plain map and handed to the counter when it is scraped.
 */
interface RequestCount {
  region: string;
  status: string;
  code: number;
  count: number;
}

export class RouterMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<"region" | "status">;
  /** Requests per "region status" key, since the router started. */
  private readonly requestCounts = new Map<string, RequestCount>();
  private lastCounted: RequestCount | undefined;
  readonly health: Gauge<"region">;
  readonly active: Gauge<"region">;
  readonly failovers: Counter<"from" | "to" | "cause">;
  readonly timeToDetect: Histogram<"region">;
  readonly timeToPromote: Histogram<"cause">;
  readonly retries: Counter<"reason" | "outcome">;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.requests = new Counter({
      name: "failover_router_requests_total",
      help: "Requests answered, by the region that served them (none: answered by the router) and status.",
      labelNames: ["region", "status"],
      registers,
      collect: () => {
        this.requests.reset();
        for (const { region, status, count } of this.requestCounts.values())
          this.requests.inc({ region, status }, count);
      },
    });
    this.health = new Gauge({
      name: "failover_router_region_healthy",
      help: "1 while active health checks consider the region up, 0 when down.",
      labelNames: ["region"],
      registers,
    });
    this.active = new Gauge({
      name: "failover_router_region_active",
      help: "1 for the region this router sends traffic to, 0 for the standby.",
      labelNames: ["region"],
      registers,
    });
    this.failovers = new Counter({
      name: "failover_router_promotions_total",
      help: "Promotions this router made by compare-and-set, by cause (failover, failback, drain, admin).",
      labelNames: ["from", "to", "cause"],
      registers,
    });
    // Buckets span a refused region confirmed in ~0.2 s to Route 53's default 90 s (docs/route53-health-checks.md).
    const detectBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 90];
    this.timeToDetect = new Histogram({
      name: "failover_router_time_to_detect_seconds",
      help: "From the first failure signal of a streak to the region being marked down.",
      labelNames: ["region"],
      buckets: detectBuckets,
      registers,
    });
    this.timeToPromote = new Histogram({
      name: "failover_router_time_to_promote_seconds",
      help: "From the policy deciding to promote to the control record naming the new active region.",
      labelNames: ["cause"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.retries = new Counter({
      name: "failover_router_retries_total",
      help: "Upstream retries by reason (refused, reset, timeout, not_active, stale_epoch) and outcome.",
      labelNames: ["reason", "outcome"],
      registers,
    });
  }

  countRequest(region: string, status: number): void {
    // Most requests count where the one before did: skip building the key for them (issue 18).
    const last = this.lastCounted;
    if (last !== undefined && last.region === region && last.code === status) {
      last.count++;
      return;
    }
    const key = `${region} ${status}`;
    let counted = this.requestCounts.get(key);
    if (counted) counted.count++;
    else {
      counted = { region, status: String(status), code: status, count: 1 };
      this.requestCounts.set(key, counted);
    }
    this.lastCounted = counted;
  }
}
