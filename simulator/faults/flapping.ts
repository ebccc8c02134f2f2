import { flappingFault } from "../../core/faults/flapping.ts";
import type { RegionEffect } from "./effects.ts";
import { checkRegion, endMs, regionEffect, simFault } from "./registry.ts";

/**
 * A region that goes down and comes back on a period (a crash loop, a flaky link): down for
 * `downS` at the start of every `periodS`, for the fault's whole duration. This is what rise/fall
 * thresholds, minimum promotion intervals and manual failback exist for.
 */
export const flapping = simFault(flappingFault, {
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => {
    const effects: RegionEffect[] = [];
    const stopMs = endMs(p);
    for (let fromMs = p.startS * 1000; fromMs < stopMs; fromMs += p.periodS * 1000) {
      const toMs = Math.min(stopMs, fromMs + p.downS * 1000);
      effects.push(regionEffect(p.region, fromMs, toMs, p.mode));
    }
    return effects;
  },
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} flapping ${p.downS}s ${p.mode} every ${p.periodS}s`,
});
