import type { Context } from "hono";
import type { RouterStatus } from "./router-status.ts";

/**
 * GET /healthz on the router itself (not forwarded): can this router serve a client now? 200
 * when at least one region it may forward to is not held unhealthy by its checks, else 503.
 * Route 53's health check on each deployed router probes it (deploy/README.md: the latency
 * records send each client to the nearest router that answers 200), so a router cut off from
 * both regions stops receiving clients while a router elsewhere still reaches one.
 */
export function healthzRoute(status: () => RouterStatus) {
  return function healthz(c: Context) {
    const s = status();
    const usable = s.regions.filter((r) => !r.unhealthy && !r.drained).map((r) => r.name);
    const ok = usable.length > 0;
    return c.json(
      { ok, router: s.routerId, activeRegion: s.activeRegion ?? null, usableRegions: usable },
      ok ? 200 : 503,
    );
  };
}
