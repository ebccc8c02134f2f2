import { z } from "zod";
import { checkRegion, endMs, faultTimingSchema, regionEffect, registerFault } from "./registry.ts";

/**
 * The region is gone: connections are refused (the caller sees TransportError "refused" one
 * round trip after sending), requests in progress there are reset, and it sends nothing
 * (its replication stops). Its data survives (a region outage, not a data loss).
 */
const schema = z
  .object({ kind: z.literal("region-down"), region: z.string(), ...faultTimingSchema })
  .strict();

registerFault({
  kind: "region-down",
  summary: "a region refuses connections (refused after one round trip); its replication stops",
  schema,
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [regionEffect(p.region, p.startS * 1000, endMs(p), "down")],
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} down`,
});
