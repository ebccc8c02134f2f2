import { Counter, Gauge, Registry } from "prom-client";

/** Per-service registry (not the global one), so several regions can live in one process. */
export interface RegionMetrics {
  registry: Registry;
  writes: Counter<"result">;
  lagEntries: Gauge;
  lagMs: Gauge;
  orphanedWrites: Gauge;
  replicationStalled: Gauge;
  replicationFailures: Counter<"reason">;
}

export function createRegionMetrics(regionName: string): RegionMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ region: regionName });
  return {
    registry,
    writes: new Counter({
      name: "failover_region_writes_total",
      help: "Writes by result: acknowledged, or unconfirmed (sync replication timed out).",
      labelNames: ["result"],
      registers: [registry],
    }),
    lagEntries: new Gauge({
      name: "failover_replication_lag_entries",
      help: "Log entries the standby has not confirmed (on the active region) or not received (on the standby).",
      registers: [registry],
    }),
    lagMs: new Gauge({
      name: "failover_replication_lag_ms",
      help: "Age of the oldest write the standby has not confirmed, in milliseconds.",
      registers: [registry],
    }),
    orphanedWrites: new Gauge({
      name: "failover_replication_orphaned_writes",
      help: "Writes accepted here as active that the next active never received (lost on rejoin).",
      registers: [registry],
    }),
    replicationStalled: new Gauge({
      name: "failover_replication_stalled",
      help: "1 while the standby is reachable but does not apply batches (replication stuck), else 0.",
      registers: [registry],
    }),
    replicationFailures: new Counter({
      name: "failover_replication_failures_total",
      help: "Failed shipments to the standby by reason: unreachable, fenced (epoch), stalled (not applied).",
      labelNames: ["reason"],
      registers: [registry],
    }),
  };
}
