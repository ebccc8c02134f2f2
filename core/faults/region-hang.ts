import { z } from "zod";
import { defineFault } from "./fault-definition.ts";

/** The region accepts connections and never answers: only the callers' timeouts end a request. */
export const regionHangFault = defineFault({
  kind: "region-hang",
  summary: "a region accepts connections and never answers; only the caller's timeouts end them",
  params: { region: z.string().min(1) },
  stacking: "hang beats brownout, down beats hang; the region hangs while any region-hang covers it",
  cli: { verb: "hang", argument: "region", fromArgument: (region) => ({ region }) },
});
