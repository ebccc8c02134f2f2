import { routerRestartFault } from "../../core/faults/router-restart.ts";
import { endMs, simFault } from "./registry.ts";

/**
 * A router process restarts: at startS it stops and loses every bit of state (health, counters,
 * cached control record); for durationS its clients' connections are refused; then a new router
 * is created from the same config and started. The control record survives (it is shared).
 */
export const routerRestart = simFault(routerRestartFault, {
  check: (p, ctx) =>
    p.router === "all" || ctx.routerIds.includes(p.router)
      ? []
      : [{ field: "router", reason: `"${p.router}" is not a router (${ctx.routerIds.join(", ")}, or all)` }],
  plan: (p, ctx) =>
    (p.router === "all" ? ctx.routerIds : [p.router]).map((routerId) => ({
      type: "router" as const,
      routerId,
      fromMs: p.startS * 1000,
      toMs: endMs(p),
    })),
  warrantsFailoverFrom: () => [],
  describe: (p) => `router ${p.router} restart`,
});
