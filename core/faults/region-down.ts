import { defineRegionFault } from "./fault-definition.ts";

/** The region's process is gone: connections are refused, it sends nothing; its data survives. */
export const regionDownFault = defineRegionFault({
  kind: "region-down",
  verb: "down",
  summary: "a region refuses connections (its process is gone); its replication stops",
  stacking: "down beats hang beats brownout; the region is down while any region-down covers it",
});
