import { replicationPausedFault } from "../../core/faults/replication-paused.ts";
import { checkRegion, holdLinks, liveFault } from "./live-fault.ts";

/** Replication between the regions stops (both ways, or from one sender); clients still reach both. */
export const replicationPaused = liveFault(replicationPausedFault, async (stack, { from }) => {
  if (from !== undefined) checkRegion(stack, from);
  const senders = from === undefined ? stack.regionNames : [from];
  const links = senders.flatMap((sender) =>
    stack.regionNames.filter((receiver) => receiver !== sender).map((receiver) => `${sender}->${receiver}`),
  );
  return holdLinks(stack, links, "refusing");
});
