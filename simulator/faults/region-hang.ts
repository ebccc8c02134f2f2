import { regionHangFault } from "../../core/faults/region-hang.ts";
import { checkRegion, endMs, regionEffect, simFault } from "./registry.ts";

/**
 * The region accepts connections and never answers (a stuck process, a black-holed load
 * balancer): only the caller's own timeouts end a request. It sends nothing either.
 */
export const regionHang = simFault(regionHangFault, {
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [regionEffect(p.region, p.startS * 1000, endMs(p), "hang")],
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} hangs`,
});
