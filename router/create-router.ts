import { type Context, Hono } from "hono";
import { type Logger, pino } from "pino";
import type { Registry } from "prom-client";
import { ConfigError } from "../config/config-error.ts";
import type { EnvironmentConfig } from "../config/schema.ts";
import type { Clock } from "../core/clock.ts";
import type { ControlStore } from "../core/control.ts";
import { directDispatch } from "../core/direct-context.ts";
import { jsonError } from "../core/http-errors.ts";
import type { Random } from "../core/random.ts";
import type { Transport } from "../core/transport.ts";
import { adminRoutes } from "./admin/admin-routes.ts";
import { DecisionLog } from "./decision-log.ts";
import { FailoverCoordinator } from "./failover-coordinator.ts";
import { proxyHandler } from "./forward/proxy-handler.ts";
import { requestGuard } from "./forward/request-guard.ts";
import { RetryBudget } from "./forward/retry-budget.ts";
import { healthzRoute } from "./healthz-route.ts";
import { RouterMetrics } from "./metrics.ts";
import { buildStatus, type RouterStatus } from "./router-status.ts";

export interface RouterOptions {
  config: EnvironmentConfig;
  /** Names this router in the control record's reason and in logs, e.g. "edge-us-1". */
  routerId: string;
  clock: Clock;
  transport: Transport;
  random: Random;
  /**
   * Draws health-check phases and jitter; defaults to `random`. The simulator gives it its own
   * stream, so the probes' draws never shift the forwarding code's. null: probes on a fixed grid
   * from start() (unit tests that assert exact decision times).
   */
  probeRandom?: Random | null;
  control: ControlStore;
  /** Bearer token for /_router/*. Required in production. */
  adminToken?: string;
  logger?: Logger;
  registry?: Registry;
}

export interface Router {
  app: Hono;
  /** Starts health checks and control-record refreshes on the injected clock. */
  start(): void;
  stop(): void;
  status(): RouterStatus;
  /** The router's metrics (its registry is served at /metrics). */
  metrics: RouterMetrics;
}

/**
 * The edge router: one Hono app that sends every request to the active region and moves
 * traffic to the standby when the active one fails. Time, randomness and the network come in
 * as parameters, so the simulator runs this same code in virtual time.
 */
export function createRouter(options: RouterOptions): Router {
  const { config, routerId, clock } = options;
  requireAdminToken(config, options.adminToken);
  const logger = (options.logger ?? pino({ level: "silent" })).child({ routerId });
  const metrics = new RouterMetrics(options.registry);
  const decisions = new DecisionLog();
  const coordinator = new FailoverCoordinator({
    config,
    routerId,
    clock,
    transport: options.transport,
    control: options.control,
    logger,
    metrics,
    decisions,
    ...(options.probeRandom === null ? {} : { probeRandom: options.probeRandom ?? options.random }),
  });
  const budget = new RetryBudget(config.router.retry.budgetRatio, config.router.retry.minRetriesPerS);
  const status = () => buildStatus({ config, routerId, clock, coordinator, budget, decisions });

  const app = new Hono();
  // The router's own paths pass the guard as middleware; the proxy's catch-all judges requests itself.
  const guard = requestGuard(metrics);
  app.use("/_router", guard);
  app.use("/_router/*", guard);
  app.use("/metrics", guard);
  app.route("/_router", adminRoutes({ config, coordinator, adminToken: options.adminToken, logger, status }));
  app.get("/healthz", healthzRoute(status));
  app.get("/metrics", async (c) => {
    c.header("content-type", metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  const proxy = proxyHandler({
    config,
    coordinator,
    clock,
    transport: options.transport,
    metrics,
    budget,
    logger,
    random: options.random,
  });
  app.all("*", proxy);
  const onError = (error: Error, c: Context) => {
    logger.error({ err: error, path: c.req.path }, "router error");
    return jsonError(c, 500, "router_error", "the router failed to handle this request; see its logs");
  };
  app.onError(onError);
  // Forwarded requests skip Hono's dispatch: the proxy runs on a DirectContext (issue 18).
  const direct = { handler: proxy };
  directDispatch(
    app,
    (method, path) => (PROXIED_DIRECTLY.has(method) && !servedHere(path) ? direct : undefined),
    onError,
  );

  return {
    app,
    start: () => {
      coordinator.start();
      logger.info({ environment: config.name, regions: config.regions.map((r) => r.name) }, "router started");
    },
    stop: () => coordinator.stop(),
    status,
    metrics,
  };
}

/**
 * Methods the direct path forwards. HEAD (Hono answers it by running GET and dropping the
 * body) and the rest take Hono's path, where the same proxy answers them.
 */
const PROXIED_DIRECTLY: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * Paths Hono may route to the router's own handlers (admin, health, metrics) or their guard:
 * these, in any spelling that starts the same way, take Hono's path.
 */
function servedHere(path: string): boolean {
  return path.startsWith("/_router") || path.startsWith("/healthz") || path.startsWith("/metrics");
}

/** In production the router refuses to start without an admin token (issue 3 (docs/issues.md)). */
export function requireAdminToken(config: EnvironmentConfig, adminToken: string | undefined): void {
  if (config.name !== "production" || adminToken) return;
  throw new ConfigError([
    {
      file: "environment variable FAILOVER_ADMIN_TOKEN",
      field: "",
      reason: "the production router refuses to start without an admin token",
    },
  ]);
}
