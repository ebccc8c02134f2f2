import type { EnvironmentConfig } from "../../config/schema.ts";
import { createFetchTransport } from "./fetch-transport.ts";
import { createHttpTransport, type HttpTransport, type HttpTransportOptions } from "./http-transport.ts";

/** True when this process runs on Bun rather than Node. */
export const onBun = typeof (process.versions as { bun?: string }).bun === "string";

/**
 * The transport to the regions for the runtime this process runs on: on Node the pooled undici
 * transport (http-transport.ts); on Bun the fetch transport, because Bun's `undici` module has
 * no dispatcher API (no `Pool.dispatch`) and its own fetch pools keep-alive connections. Both
 * keep one contract (test/core/transport-contract.test.ts), so the router behaves the same on
 * either; the router's socket tests run against whichever this picks (`bun --bun vitest run
 * test/router`, README "The router on Bun").
 */
export function createRuntimeTransport(
  config: EnvironmentConfig,
  options: HttpTransportOptions = {},
): HttpTransport {
  if (!onBun) return createHttpTransport(config, options);
  return { transport: createFetchTransport(config), close: async () => {} };
}
