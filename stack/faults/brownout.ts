import { z } from "zod";
import { checkRegion, type LiveFaultKind } from "./live-fault.ts";

/** The region answers, slower and with some 503s. */
export const brownout: LiveFaultKind = {
  kind: "brownout",
  summary: "the region answers slower (addedLatencyMs) and fails a share of requests (errorRate)",
  params: z
    .object({
      target: z.string(),
      errorRate: z.number().min(0).max(1).default(0.1),
      addedLatencyMs: z.number().min(0).max(60_000).default(0),
    })
    .strict(),
  async apply(stack, { target, errorRate, addedLatencyMs }) {
    checkRegion(stack, target);
    const gate = stack.gate(target);
    gate.errorRate = errorRate;
    gate.addedLatencyMs = addedLatencyMs;
    return async () => {
      gate.errorRate = 0;
      gate.addedLatencyMs = 0;
    };
  },
};
