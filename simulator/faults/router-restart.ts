import { z } from "zod";
import { endMs, faultTimingSchema, registerFault } from "./registry.ts";

/**
 * A router process restarts: at startS it stops and loses every bit of state (health, counters,
 * cached control record); for durationS its clients' connections are refused; then a new router
 * is created from the same config and started. The control record survives (it is shared).
 */
const schema = z
  .object({
    kind: z.literal("router-restart"),
    /** A router id, or "all". */
    router: z.string().default("all"),
    ...faultTimingSchema,
  })
  .strict();

registerFault({
  kind: "router-restart",
  summary: "a router stops, loses its state, and starts again durationS later",
  schema,
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
