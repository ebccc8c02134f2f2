import { defineRegionFault } from "./fault-definition.ts";

/** The region accepts connections and never answers: only the callers' timeouts end a request. */
export const regionHangFault = defineRegionFault({
  kind: "region-hang",
  verb: "hang",
  summary: "a region accepts connections and never answers; only the caller's timeouts end them",
  stacking: "hang beats brownout, down beats hang; the region hangs while any region-hang covers it",
});
