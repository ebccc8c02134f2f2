import { Hono } from "hono";
import type { RegionMetrics } from "./region-metrics.ts";
import { type RegionStatus, readRegionStatus, type StatusDeps } from "./region-status.ts";

/**
 * /healthz: the process answers (liveness). /readyz: the store answers and the role is known,
 * 503 otherwise; routers and DNS health checks probe this one. /region: name, role, epoch, lag.
 */
export function healthRoutes(deps: StatusDeps & { metrics: RegionMetrics }): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true, region: deps.regionName }));
  app.get("/readyz", async (c) => {
    const status = await readRegionStatus(deps);
    // An active region whose lease ran out cannot acknowledge writes: not ready, so routers move.
    const ready = status.storeReachable && status.role !== "unknown" && status.lease.state !== "expired";
    return c.json({ ready, ...summary(status) }, ready ? 200 : 503);
  });
  app.get("/region", async (c) => c.json(await readRegionStatus(deps)));
  // The writes this region accepted as active that the next active never received (lost).
  app.get("/region/orphaned", (c) => c.json({ count: deps.orphans.count, orphaned: deps.orphans.list() }));
  app.get("/metrics", async (c) => {
    await readRegionStatus(deps);
    c.header("content-type", deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
  return app;
}

function summary(status: RegionStatus) {
  const out: Record<string, unknown> = {
    region: status.name,
    role: status.role,
    epoch: status.epoch,
    storeReachable: status.storeReachable,
    lease: status.lease.state,
    // Active: entries the standby has not confirmed. Routers wait for 0 before failing back.
    replicationLagEntries: status.replication.lagEntries,
  };
  if (status.controlError) out.controlError = status.controlError;
  return out;
}
