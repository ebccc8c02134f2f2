import { z } from "zod";
import { defineFault } from "./fault-definition.ts";

/**
 * A whole AWS region fails at once: the service regions there (as region-down), their stores (as
 * store-down), routers there (as router-restart), control replicas there, and Route 53's checkers
 * there. region-down stays the service-only fault.
 */
export const awsRegionOutageFault = defineFault({
  kind: "aws-region-outage",
  summary:
    "everything in one AWS region fails at once: service region, store, routers, control replicas, DNS checkers",
  params: {
    /** An AWS region id, e.g. us-east-1. */
    awsRegion: z.string().min(1),
  },
  stacking: "each part stacks as its own fault (region-down, store-down, router-restart) would",
  cli: { verb: "aws-region-outage", argument: "awsRegion", fromArgument: (awsRegion) => ({ awsRegion }) },
});
