import { z } from "zod";
import { defineFault } from "./fault-definition.ts";

/** Replication between the regions is refused; clients and health checks are unaffected. */
export const replicationPausedFault = defineFault({
  kind: "replication-paused",
  summary: "replication between the regions stops (refused); everything else flows",
  params: {
    /** The sending region; by default both directions stop. */
    from: z.string().min(1).optional().describe("the sending region (default: both directions)"),
  },
  stacking: "a union: a direction is paused while any replication-paused covers it",
  cli: { verb: "pause-replication" },
});
