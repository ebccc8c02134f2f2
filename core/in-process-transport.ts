import type { Transport } from "./transport.ts";
import { TransportError } from "./transport.ts";

export interface FetchTarget {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * Delivers requests straight to in-process apps by region name (tests; one-process stacks).
 * A region missing from the map, or marked down, refuses the connection like a closed port.
 */
export function inProcessTransport(
  targets: Map<string, FetchTarget>,
  down: Set<string> = new Set(),
): Transport {
  return async (region, request) => {
    const target = targets.get(region);
    if (!target || down.has(region)) throw new TransportError("refused", region, "connection refused");
    return target.fetch(request);
  };
}
