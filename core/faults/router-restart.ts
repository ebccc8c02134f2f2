import { z } from "zod";
import { defineFault } from "./fault-definition.ts";

/** A router stops and loses its state (health, counters, cached control record); the control record survives. */
export const routerRestartFault = defineFault({
  kind: "router-restart",
  summary: "a router stops, loses its state, and starts again",
  params: {
    /** A router id, or "all". */
    router: z.string().min(1).default("all").describe("a router id, or all"),
  },
  stacking: "counted: a router restarted by two overlapping faults is down until the later one ends",
  cli: { verb: "restart-router" },
});
