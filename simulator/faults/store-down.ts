import { storeDownFault } from "../../core/faults/store-down.ts";
import { checkRegion, simFault } from "./registry.ts";

/**
 * A region's database is unreachable (its MemoryStore has `down = true`): the service answers
 * but /readyz says 503, writes fail with 503 store_unavailable, and replication into it fails.
 */
export const storeDown = simFault(storeDownFault, {
  check: (p, ctx) => checkRegion(p.region, ctx),
  effect: (p) => ({ type: "store", region: p.region }),
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} store down`,
});
