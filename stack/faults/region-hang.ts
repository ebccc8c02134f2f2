import { z } from "zod";
import { checkRegion, type LiveFaultKind } from "./live-fault.ts";

/** The region accepts connections and never answers: only the callers' timeouts end a request. */
export const regionHang: LiveFaultKind = {
  kind: "region-hang",
  summary: "the region accepts connections and never answers",
  params: z.object({ target: z.string() }).strict(),
  async apply(stack, { target }) {
    checkRegion(stack, target);
    const gate = stack.gate(target);
    gate.hanging = true;
    return async () => {
      gate.hanging = false;
      gate.releaseHung();
    };
  },
};
