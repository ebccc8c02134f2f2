import { describeJitter } from "../latency/jitter.ts";
import type { ResolvedScenario } from "../scenario/resolved-scenario.ts";

/** Every parameter that shapes a run, as printed at its start and stored in its result. */
export function describeParameters(s: ResolvedScenario): Record<string, unknown> {
  const hc = s.config.router.healthCheck;
  return {
    regions: s.config.regions.map((r) => `${r.name}@${r.location}`),
    initialActive: s.config.initialActive,
    latencyTable: s.latencyTableName,
    jitter: describeJitter(s.jitter),
    serviceTimeMs: { read: s.serviceTime.readMs, write: s.serviceTime.writeMs },
    replication: s.config.replication,
    routerPolicy: s.failoverBy === "router" ? s.config.router : undefined,
    healthCheck:
      s.failoverBy === "router"
        ? `every ${hc.intervalMs} ms, timeout ${hc.timeoutMs} ms, fall ${hc.fallCount}, rise ${hc.riseCount}`
        : undefined,
    dns: s.failoverBy === "dns" ? s.dns : undefined,
    routers: s.routers.map((r) => `${r.id}@${r.location}`),
    clients: s.clients.map(
      (c) =>
        `${c.name}@${c.location}: ${c.ratePerS}/s, ${Math.round(c.writeShare * 100)}% writes, ${c.arrival}` +
        (c.routerId ? ` via ${c.routerId}` : ""),
    ),
    faults: s.faults.map((f) => `${f.startMs / 1000}s-${f.endMs / 1000}s ${f.label}`),
  };
}
