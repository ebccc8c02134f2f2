import { routerRestartFault } from "../../core/faults/router-restart.ts";
import { FaultError, liveFault } from "./live-fault.ts";

/**
 * The router restarts: its health state and counters are lost; the control record is not. The
 * live stack has one router, "router" (or "all").
 */
export const routerRestart = liveFault(routerRestartFault, async (stack, { router }) => {
  if (router !== "all" && router !== "router") {
    throw new FaultError(`no router "${router}" in the stack (have router, or all)`);
  }
  await stack.restartRouter();
  return async () => {};
});
