import { defineFault, onRegion, regionCommand } from "./fault-definition.ts";

/** The region's store is unreachable: the service answers, /readyz says 503, writes fail. */
export const storeDownFault = defineFault({
  kind: "store-down",
  summary: "a region's store stops answering; the service stays up but cannot serve",
  params: onRegion,
  stacking: "counted: the store is down while at least one store-down covers its region",
  cli: regionCommand("store-down"),
});
