import { randomInt } from "node:crypto";
import { hostname } from "node:os";
import { pino } from "pino";
import { resolveEnvName } from "../config/env-name.ts";
import { loadEnvironment } from "../config/load-config.ts";
import type { EnvironmentConfig, EnvName } from "../config/schema.ts";
import { systemClock } from "../core/clock.ts";
import type { ControlStore } from "../core/control.ts";
import { seededRandom } from "../core/random.ts";
import { createControlStore } from "../regions/store/create-store.ts";
import { resolveAdminToken } from "./admin/admin-token.ts";
import { createRouter, type Router, requireAdminToken } from "./create-router.ts";
import { createRuntimeTransport } from "./transport/runtime-transport.ts";

export interface ProductionRouter {
  router: Router;
  config: EnvironmentConfig;
  control: ControlStore;
  close(): Promise<void>;
}

export interface BuildOptions {
  envName?: EnvName;
  routerId?: string;
  env?: Record<string, string | undefined>;
}

/**
 * The production composition root (CLI and Lambda): the environment's config, its control store,
 * the pooled HTTP transport (the fetch transport on Bun), the system clock, and randomness seeded from the OS. Nothing here
 * is used by the simulator, which composes the same router with virtual parts.
 */
export async function buildRouterFromEnv(options: BuildOptions = {}): Promise<ProductionRouter> {
  const env = options.env ?? process.env;
  const config = loadEnvironment(options.envName ?? resolveEnvName(env));
  const routerId =
    options.routerId ??
    env.FAILOVER_ROUTER_ID ??
    env.AWS_LAMBDA_LOG_STREAM_NAME ??
    `${hostname()}-${process.pid}`;
  const adminToken = await resolveAdminToken(env);
  // Before the control store: a production router without a token should not touch AWS at all.
  requireAdminToken(config, adminToken);
  const logger = pino({ level: env.LOG_LEVEL ?? "info", base: { service: "failover-router" } });
  // Lambda sets AWS_REGION to where the router runs: the control replica there is the nearest.
  const control = await createControlStore(config, {
    ...(env.AWS_REGION !== undefined ? { nearAwsRegion: env.AWS_REGION } : {}),
  });
  const http = createRuntimeTransport(config);
  const router = createRouter({
    config,
    routerId,
    clock: systemClock,
    transport: http.transport,
    random: seededRandom(randomInt(2 ** 31 - 1)),
    control,
    adminToken,
    logger,
  });
  return {
    router,
    config,
    control,
    close: async () => {
      router.stop();
      await http.close();
    },
  };
}
