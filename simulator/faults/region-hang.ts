import { z } from "zod";
import { checkRegion, endMs, faultTimingSchema, regionEffect, registerFault } from "./registry.ts";

/**
 * The region accepts connections and never answers (a stuck process, a black-holed load
 * balancer): only the caller's own timeouts end a request. It sends nothing either.
 */
const schema = z
  .object({ kind: z.literal("region-hang"), region: z.string(), ...faultTimingSchema })
  .strict();

registerFault({
  kind: "region-hang",
  summary: "a region accepts requests and never answers; only the caller's timeouts end them",
  schema,
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [regionEffect(p.region, p.startS * 1000, endMs(p), "hang")],
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} hangs`,
});
