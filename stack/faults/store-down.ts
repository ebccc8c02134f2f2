import { z } from "zod";
import { checkRegion, type LiveFaultKind } from "./live-fault.ts";

/** The region's store stops answering: /readyz fails, reads and writes get 503. */
export const storeDown: LiveFaultKind = {
  kind: "store-down",
  summary: "the region's store stops answering (memory store only)",
  params: z.object({ target: z.string() }).strict(),
  async apply(stack, { target }) {
    checkRegion(stack, target);
    stack.setStoreDown(target, true);
    return async () => stack.setStoreDown(target, false);
  },
};
