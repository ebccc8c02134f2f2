import { z } from "zod";
import type { RegionEffect } from "./effects.ts";
import { checkRegion, endMs, faultTimingSchema, regionEffect, registerFault } from "./registry.ts";

/**
 * A region that goes down and comes back on a period (a crash loop, a flaky link): down for
 * `downS` at the start of every `periodS`, for the fault's whole duration. This is what rise/fall
 * thresholds, minimum promotion intervals and manual failback exist for.
 */
const schema = z
  .object({
    kind: z.literal("flapping"),
    region: z.string(),
    periodS: z.number().gt(0).max(86_400),
    downS: z.number().gt(0).max(86_400),
    /** What the region does while "down": refuse connections, or hang. */
    mode: z.enum(["down", "hang"]).default("down"),
    ...faultTimingSchema,
  })
  .strict()
  .refine((p) => p.downS < p.periodS, { message: "downS must be shorter than periodS", path: ["downS"] });

registerFault({
  kind: "flapping",
  summary: "a region goes down for downS at the start of every periodS",
  schema,
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
