import { type Context, Hono } from "hono";
import type { Logger } from "pino";
import { bootstrapSyncStandby, type EnvironmentConfig } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import type { ControlStore } from "../../core/control.ts";
import { directDispatch } from "../../core/direct-context.ts";
import { jsonError } from "../../core/http-errors.ts";
import type { Random } from "../../core/random.ts";
import type { Transport } from "../../core/transport.ts";
import type { InboundState } from "../replication/apply-batch.ts";
import { ReplayGuard } from "../replication/auth/replay-guard.ts";
import { DEVELOPMENT_REPLICATION_KEY } from "../replication/auth/replication-key.ts";
import { requestSigner } from "../replication/auth/request-signer.ts";
import { OrphanedWrites } from "../replication/orphaned-writes.ts";
import { ReplicationStall } from "../replication/replication-stall.ts";
import { Replicator } from "../replication/replicator.ts";
import { SyncStandbyRecord } from "../replication/sync-standby.ts";
import { type Store, StoreUnavailableError } from "../store/store.ts";
import { ControlView } from "./control-view.ts";
import { healthRoutes } from "./health-routes.ts";
import { createIdFactory } from "./ids.ts";
import { itemsRoutes, type WriteAck } from "./items-routes.ts";
import { createRegionMetrics } from "./region-metrics.ts";
import { type RegionStatus, readRegionStatus } from "./region-status.ts";
import { replicationListenerApp } from "./replication-listener.ts";
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
  /**
   * The shared key region-to-region requests are signed with (auth/replication-key.ts); the
   * fixed development key when omitted (tests, the live stack, the simulator).
   */
  replicationKey?: Uint8Array;
  /**
   * Reaches the peer's replication listener (`replicationApp`), by region name. Defaults to
   * `transport`, for callers whose transport already routes replication paths there.
   */
  replicationTransport?: Transport;
}

export interface RegionService {
  /** The client-facing app: items, health, status, metrics. No region-to-region route. */
  app: Hono;
  /** The region-to-region app (/_replication/*), signed requests only: serve it on its own listener. */
  replicationApp: Hono;
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
  const key = deps.replicationKey ?? DEVELOPMENT_REPLICATION_KEY;
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
    transport: deps.replicationTransport ?? deps.transport,
    config: config.replication,
    connectTimeoutMs: config.router.connectTimeoutMs,
    signer: requestSigner(key, regionName, clock, bootId(clock)),
    stall: new ReplicationStall(clock, metrics, deps.logger),
  });
  const orphans = new OrphanedWrites(store, clock);
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
  const items = itemsRoutes({
    regionName,
    store,
    controlView,
    replicator,
    replication: config.replication,
    writes: new SerialQueue(),
    newId: createIdFactory(clock, deps.random),
    clock,
    maxBodyBytes: config.maxBodyBytes,
    writeLimits: config.writeLimits,
    retryAfterS: config.router.retryAfterS,
    metrics,
    onAcknowledged: (ack) => service.onWriteAcknowledged?.(ack),
  });
  app.route("/items", items.app);
  app.notFound((c) => jsonError(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`));
  const onError = (error: Error, c: Context) => {
    c.header("x-region", regionName);
    if (error instanceof StoreUnavailableError) {
      c.header("Retry-After", String(config.router.retryAfterS));
      return jsonError(c, 503, "store_unavailable", error.message);
    }
    deps.logger?.error({ err: error, path: c.req.path }, "unhandled error");
    return jsonError(c, 500, "internal_error", "the region failed to handle this request; see its logs");
  };
  app.onError(onError);
  // The commonest requests, a read of one item and a new item, skip Hono's dispatch (issue 18):
  // the same handlers on a DirectContext, with the header the middleware above adds set from
  // the start.
  const createDirect = { handler: items.createItem };
  directDispatch(
    app,
    (method, path) => {
      if (method === "POST" && path === "/items") return createDirect;
      if (method !== "GET" || !path.startsWith("/items/")) return undefined;
      const id = path.slice(7);
      if (id === "" || id.includes("/")) return undefined;
      return { handler: items.readItem, params: { id } };
    },
    onError,
    { "x-region": regionName },
  );

  const replicationApp = replicationListenerApp({
    regionName,
    routes: replicationRoutes({ regionName, store, controlView, orphans, inbound, clock }),
    auth: { key, guard: new ReplayGuard(clock, config.replicationAuth.windowMs), peerName: peer.name },
    logger: deps.logger,
  });

  const service: RegionService = {
    app,
    replicationApp,
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

let boots = 0;
/**
 * Tells this service's nonces apart from an earlier boot's: the start time plus a counter for
 * services built in the same process at the same instant (tests, the simulator). Not secret:
 * the signature, not the nonce, carries the authentication.
 */
function bootId(clock: Clock): string {
  boots += 1;
  return `${clock.nowMs().toString(36)}-${boots.toString(36)}`;
}
