import { regionDownFault } from "../../core/faults/region-down.ts";
import { checkRegion, endMs, regionEffect, simFault } from "./registry.ts";

/**
 * The region is gone: connections are refused (the caller sees TransportError "refused" one
 * round trip after sending), requests in progress there are reset, and it sends nothing
 * (its replication stops). Its data survives (a region outage, not a data loss).
 */
export const regionDown = simFault(regionDownFault, {
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [regionEffect(p.region, p.startS * 1000, endMs(p), "down")],
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} down`,
});
