import { z } from "zod";
import type { LiveFaultKind } from "./live-fault.ts";

/** Replication between the regions stops; clients still reach both. The backlog grows. */
export const replicationPaused: LiveFaultKind = {
  kind: "replication-paused",
  summary: "replication between the regions stops (client traffic is unaffected)",
  params: z.object({}).strict(),
  async apply(stack) {
    const [a, b] = stack.regionNames as [string, string];
    const links = [stack.link(`${a}->${b}`), stack.link(`${b}->${a}`)];
    for (const link of links) link.refusing = true;
    return async () => {
      for (const link of links) link.refusing = false;
    };
  },
};
