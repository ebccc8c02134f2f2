import { z } from "zod";
import { defineRegionFault } from "./fault-definition.ts";

/**
 * A region that goes down and comes back on a period (a crash loop): down (or hung) for `downS`
 * at the start of every `periodS`, for the fault's whole duration. What rise/fall thresholds and
 * minimum promotion intervals exist for.
 */
export const flappingFault = defineRegionFault({
  kind: "flapping",
  verb: "flap",
  summary: "a region goes down for downS at the start of every periodS",
  params: {
    /** One down+up cycle. */
    periodS: z.number().min(0.2).max(86_400).default(10).describe("one down+up cycle"),
    /** How long it is down in each cycle; shorter than periodS. */
    downS: z
      .number()
      .min(0.1)
      .max(86_400)
      .default(5)
      .describe("down part of each cycle, shorter than the period"),
    /** What the region does while "down": refuse connections, or hang. */
    mode: z.enum(["down", "hang"]).default("down").describe("refuse connections, or hang, while down"),
  },
  refine: (p) =>
    p.downS < p.periodS ? undefined : { field: "downS", reason: "downS must be shorter than periodS" },
  stacking: "each phase stacks as the region-down or region-hang it is",
});
