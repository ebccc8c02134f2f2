import { z } from "zod";
import type { LiveFaultKind } from "./live-fault.ts";

/** The router restarts: its health state and counters are lost; the control record is not. */
export const routerRestart: LiveFaultKind = {
  kind: "router-restart",
  summary: "the router restarts, losing its in-memory health state",
  params: z.object({}).strict(),
  async apply(stack) {
    await stack.restartRouter();
    return async () => {};
  },
};
