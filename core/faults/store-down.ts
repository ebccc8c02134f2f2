import { defineRegionFault } from "./fault-definition.ts";

/** The region's store is unreachable: the service answers, /readyz says 503, writes fail. */
export const storeDownFault = defineRegionFault({
  kind: "store-down",
  summary: "a region's store stops answering; the service stays up but cannot serve",
  stacking: "counted: the store is down while at least one store-down covers its region",
});
