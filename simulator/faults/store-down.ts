import { storeDownFault } from "../../core/faults/store-down.ts";
import { checkRegion, endMs, simFault } from "./registry.ts";

/**
 * A region's database is unreachable (its MemoryStore has `down = true`): the service answers
 * but /readyz says 503, writes fail with 503 store_unavailable, and replication into it fails.
 */
export const storeDown = simFault(storeDownFault, {
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [{ type: "store", region: p.region, fromMs: p.startS * 1000, toMs: endMs(p) }],
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} store down`,
});
