import { replicationPausedFault } from "../../core/faults/replication-paused.ts";
import { checkRegion, endMs, simFault } from "./registry.ts";

/**
 * Replication from one region to the other stops (its requests are refused at once); client
 * traffic and health checks are unaffected. The standby falls behind: the window in which an
 * acknowledged write exists in one region only grows (the RPO a region loss would cost).
 */
export const replicationPaused = simFault(replicationPausedFault, {
  check: (p, ctx) => (p.from === undefined ? [] : checkRegion(p.from, ctx, "from")),
  plan: (p, ctx) => {
    const senders = p.from === undefined ? ctx.regionNames : [p.from];
    return senders.flatMap((from) =>
      ctx.regionNames
        .filter((to) => to !== from)
        .map((to) => ({ type: "replication" as const, from, to, fromMs: p.startS * 1000, toMs: endMs(p) })),
    );
  },
  warrantsFailoverFrom: () => [],
  describe: (p) => `replication paused${p.from ? ` from ${p.from}` : ""}`,
});
