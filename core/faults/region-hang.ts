import { defineFault, onRegion, regionCommand } from "./fault-definition.ts";

/** The region accepts connections and never answers: only the callers' timeouts end a request. */
export const regionHangFault = defineFault({
  kind: "region-hang",
  summary: "a region accepts connections and never answers; only the caller's timeouts end them",
  params: onRegion,
  stacking: "hang beats brownout, down beats hang; the region hangs while any region-hang covers it",
  cli: regionCommand("hang"),
});
