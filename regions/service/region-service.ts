import { Hono } from "hono";
import type { Logger } from "pino";
import type { Clock } from "../../core/clock.ts";
import type { ControlStore } from "../../core/control.ts";
import { jsonError } from "../../core/http-errors.ts";
import type { Random } from "../../core/random.ts";
import type { Transport } from "../../core/transport.ts";
import { bootstrapSyncStandby, type EnvironmentConfig } from "../config/schema.ts";
import type { InboundState } from "../replication/apply-batch.ts";
import { OrphanedWrites } from "../replication/orphaned-writes.ts";
import { Replicator } from "../replication/replicator.ts";
import { SyncStandbyRecord } from "../replication/sync-standby.ts";
import { type Store, StoreUnavailableError } from "../store/store.ts";
import { ControlView } from "./control-view.ts";
import { healthRoutes } from "./health-routes.ts";
import { createIdFactory } from "./ids.ts";
import { itemsRoutes, type WriteAck } from "./items-routes.ts";
import { createRegionMetrics } from "./region-metrics.ts";
import { type RegionStatus, readRegionStatus } from "./region-status.ts";
import { replicationRoutes } from "./replication-routes.ts";
import { SerialQueue } from "./serial-queue.ts";

export interface RegionServiceDeps {
  config: EnvironmentConfig;
  regionName: string;
  store: Store;
  control: ControlStore;
  clock: Clock;
  /** Reaches the peer region (replication). */
  transport: Transport;
  /** Randomness for ULIDs: cryptoRandom() in production, a derived seed in simulation. */
  random: Random;
  logger?: Logger;
}

export interface RegionService {
  app: Hono;
  /** Starts the replication loop on the injected clock. */
  start(): void;
  stop(): Promise<void>;
  status(): Promise<RegionStatus>;
  /** Set to be told of every write acknowledged to a client (the simulator's invariant checker). */
  onWriteAcknowledged: ((ack: WriteAck) => void) | undefined;
}

/** One region's service: the items API, health, status, metrics and replication, as one Hono app. */
export function createRegionService(deps: RegionServiceDeps): RegionService {
  const { config, regionName, store, clock } = deps;
  const peer = config.regions.find((r) => r.name !== regionName);
  if (!config.regions.some((r) => r.name === regionName) || !peer) {
    const names = config.regions.map((r) => r.name).join(", ");
    throw new Error(`region "${regionName}" is not in the ${config.name} environment (${names})`);
  }
  const controlView = new ControlView(
    deps.control,
    regionName,
    config.initialActive,
    clock,
    config.control.lease,
    bootstrapSyncStandby(config),
  );
  const metrics = createRegionMetrics(regionName);
  const syncStandby = new SyncStandbyRecord({
    control: deps.control,
    view: controlView,
    regionName,
    peerName: peer.name,
    clock,
  });
  const replicator = new Replicator({
    syncStandby,
    regionName,
    peerName: peer.name,
    store,
    controlView,
    clock,
    transport: deps.transport,
    config: config.replication,
    connectTimeoutMs: config.router.connectTimeoutMs,
  });
  const orphans = new OrphanedWrites();
  const inbound: InboundState = { senderHead: undefined, lastReceivedAtMs: undefined };
  const statusDeps = {
    regionName,
    store,
    controlView,
    replicator,
    inbound,
    orphans,
    replication: config.replication,
    metrics,
    clock,
  };

  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    // On the finished response's own headers: c.header() after the handler returns makes Hono
    // rebuild the response around its body stream, one more full Response per request.
    c.res.headers.set("x-region", regionName);
  });
  app.route("/", healthRoutes(statusDeps));
  app.route(
    "/items",
    itemsRoutes({
      regionName,
      store,
      controlView,
      replicator,
      replication: config.replication,
      writes: new SerialQueue(),
      newId: createIdFactory(clock, deps.random),
      clock,
      maxBodyBytes: config.maxBodyBytes,
      retryAfterS: config.router.retryAfterS,
      metrics,
      onAcknowledged: (ack) => service.onWriteAcknowledged?.(ack),
    }),
  );
  app.route("/_replication", replicationRoutes({ regionName, store, controlView, orphans, inbound, clock }));
  app.notFound((c) => jsonError(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    c.header("x-region", regionName);
    if (error instanceof StoreUnavailableError) {
      c.header("Retry-After", String(config.router.retryAfterS));
      return jsonError(c, 503, "store_unavailable", error.message);
    }
    deps.logger?.error({ err: error, path: c.req.path }, "unhandled error");
    return jsonError(c, 500, "internal_error", "the region failed to handle this request; see its logs");
  });

  const service: RegionService = {
    app,
    onWriteAcknowledged: undefined,
    start: () => {
      controlView.start();
      replicator.start();
    },
    stop: async () => {
      controlView.stop();
      replicator.stop();
    },
    status: () => readRegionStatus(statusDeps),
  };
  return service;
}
