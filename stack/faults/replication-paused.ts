import { replicationPausedFault } from "../../core/faults/replication-paused.ts";
import { checkRegion, hold, liveFault } from "./live-fault.ts";

/** Replication between the regions stops (both ways, or from one sender); clients still reach both. */
export const replicationPaused = liveFault(replicationPausedFault, async (stack, { from }) => {
  if (from !== undefined) checkRegion(stack, from);
  const senders = from === undefined ? stack.regionNames : [from];
  const releases: (() => Promise<void>)[] = [];
  for (const sender of senders) {
    for (const receiver of stack.regionNames.filter((r) => r !== sender)) {
      const link = stack.link(`${sender}->${receiver}`);
      releases.push(
        await hold(
          stack,
          `replication:${link.name}`,
          () => {
            link.refusing = true;
          },
          () => {
            link.refusing = false;
          },
        ),
      );
    }
  }
  return async () => {
    for (const release of releases) await release();
  };
});
