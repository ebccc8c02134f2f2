import { z } from "zod";
import { checkRegion, type LiveFaultKind } from "./live-fault.ts";

/** The region is gone: its port refuses connections and it stops replicating. */
export const regionDown: LiveFaultKind = {
  kind: "region-down",
  summary: "the region refuses connections (its process is gone)",
  params: z.object({ target: z.string() }).strict(),
  async apply(stack, { target }) {
    checkRegion(stack, target);
    await stack.takeDown(target);
    return () => stack.bringUp(target);
  },
};
