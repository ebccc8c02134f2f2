import { Hono } from "hono";
import { jsonError } from "../../core/http-errors.ts";
import { orphanView } from "../replication/orphaned-writes.ts";
import { describeZodError, listQuery } from "./item-bodies.ts";
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
  // The writes this region accepted as active that the next active never received (lost), kept
  // whole in the store; paged by id (`after`, `limit`), as /items is.
  app.get("/region/orphaned", async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) return jsonError(c, 400, "invalid_query", describeZodError(query.error));
    const { after, limit } = query.data;
    const page = await deps.orphans.list(after, limit);
    const last = page[page.length - 1];
    return c.json({
      count: deps.orphans.count,
      orphaned: page.map(orphanView),
      next: page.length === limit && last ? last.id : null,
    });
  });
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
