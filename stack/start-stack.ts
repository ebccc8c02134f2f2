import type { Logger } from "pino";
import { ConfigError } from "../config/config-error.ts";
import { controlReplicas, type EnvironmentConfig } from "../config/schema.ts";
import { systemClock } from "../core/clock.ts";
import { type ControlStore, MemoryControlStore } from "../core/control.ts";
import { freePort } from "../core/free-port.ts";
import { cryptoRandom } from "../core/random.ts";
import type { ServedApp } from "../core/serve-app.ts";
import type { Transport } from "../core/transport.ts";
import { liveStackReplicationKey } from "../regions/replication/auth/replication-key.ts";
import type { WriteAck } from "../regions/service/items-routes.ts";
import { createRegionService } from "../regions/service/region-service.ts";
import { replicationTopology } from "../regions/service/replication-endpoints.ts";
import { createControlStore, createStore } from "../regions/store/create-store.ts";
import { DelayedStore, type StoreLatency, spikeDelayMs } from "../regions/store/delayed-store.ts";
import { dropLocalTables } from "../regions/store/drop-tables.ts";
import { isLoopbackUrl } from "../regions/store/dynamodb-client.ts";
import { MemoryStore } from "../regions/store/memory-store.ts";
import { createRouter, type Router } from "../router/create-router.ts";
import { createHttpTransport } from "../router/transport/http-transport.ts";
import type { LatencyTable } from "../simulator/latency/latency-table.ts";
import { controlApi } from "./control-api.ts";
import { controlTransport } from "./control-transport.ts";
import { edgeApp } from "./edge-app.ts";
import { FaultManager } from "./fault-manager.ts";
import { FaultError, type StackHandles } from "./faults/live-fault.ts";
import { LiveControlPlane } from "./live-control-plane.ts";
import { LiveRegion } from "./live-region.ts";
import { RegionGate } from "./region-gate.ts";
import { serveOnPort } from "./serve-on-port.ts";
import { StackLinks } from "./stack-links.ts";

export interface StackOptions {
  config: EnvironmentConfig;
  host: string;
  routerPort: number;
  controlPort: number;
  /** One port per region, in config order. */
  regionPorts: [number, number];
  /** Each region's replication listener, in config order (default: free ports). */
  replicationPorts?: [number, number];
  latency: LatencyTable;
  /** Where the load comes from, e.g. "ireland": adds that location's round trip to the router. */
  clientLocation: string;
  /** Where the router runs (default: the initially active region's location); its AWS region is the table's. */
  routerLocation?: string;
  adminToken?: string;
  logger?: Logger;
  /** Told of every write a region acknowledges, as it does (tests check fencing with it). */
  onWriteAcknowledged?: (region: string, ack: WriteAck) => void;
  /** DynamoDB store: drop the prefix's tables before starting (`failover up --fresh`). */
  fresh?: boolean;
}

export interface RunningStack {
  routerUrl: string;
  controlUrl: string;
  regionUrls: Record<string, string>;
  /** Each region's region-to-region (replication) listener. */
  replicationUrls: Record<string, string>;
  config: EnvironmentConfig;
  faults: FaultManager;
  status(): Promise<unknown>;
  close(): Promise<void>;
}

type Closer = () => Promise<void> | void;

/**
 * The whole stack on 127.0.0.1 in one process: the router and both regions, with the latency
 * table's delays on every hop and a control API for faults. The router sits in the active
 * region's location; clients in `clientLocation`. If any part fails to start (a port in use),
 * everything already started is stopped before the error is thrown.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const closers: Closer[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await Promise.resolve(close()).catch(() => {});
  };
  try {
    return await compose(options, closers, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function compose(
  options: StackOptions,
  closers: Closer[],
  closeAll: () => Promise<void>,
): Promise<RunningStack> {
  const { host } = options;
  const replicationPorts = options.replicationPorts ?? (await freePortsBeside(host, options.regionPorts));
  const config = localOnly(options.config, host, options.regionPorts, replicationPorts);
  if (options.fresh && config.store.kind === "dynamodb") await dropLocalTables(config);
  const shutdown = new AbortController();
  closers.push(() => shutdown.abort(new Error("stack stopped")));
  // The one authoritative record (the engine the replicas model), served by control replicas
  // on their own ports: routers and regions reach it only through them.
  const engine: ControlStore =
    config.store.kind === "memory"
      ? new MemoryControlStore()
      : await createControlStore(config, { ensureTables: true });
  closers.push(() => (engine as ControlStore & { close?: () => Promise<void> }).close?.());
  const links = new StackLinks(
    config,
    options.latency,
    options.clientLocation,
    shutdown.signal,
    options.routerLocation,
  );
  const controlPlane = new LiveControlPlane(
    engine,
    controlReplicas(config),
    config.control.witness,
    options.latency,
    systemClock,
    host,
  );
  closers.push(() => controlPlane.close());
  await controlPlane.start();
  const toControl = controlTransport((name) => controlPlane.url(name));
  closers.push(() => toControl.close());
  const replicaLocation = (name: string) =>
    controlPlane.replicas.find((r) => r.name === name)?.location ?? links.routerLocation;
  const controlAt = (caller: string, location: string) =>
    controlPlane.clientAt(
      location,
      links.controlTransport(caller, location, replicaLocation, toControl.transport),
      config.control.lease,
    );
  const http = createHttpTransport(config);
  closers.push(() => http.close());
  const replicationHttp = createHttpTransport(replicationTopology(config));
  closers.push(() => replicationHttp.close());

  const regions = await startRegions(config, options, controlAt, links, replicationHttp.transport, closers);
  const routerTransport = links.routerTransport(http.transport);
  const routerControl = controlAt("router", links.routerLocation);
  let router = makeRouter(config, routerTransport, routerControl, options);
  router.start();
  closers.push(() => router.stop());
  await firstControlRead(router, shutdown.signal);
  const edge = edgeApp(links.client, () => router);
  let routerServed: ServedApp | undefined = await serveOnPort(edge, options.routerPort, host, "--port");
  const routerPort = routerServed.port;
  closers.push(() => routerServed?.close());

  const rebuildRouter = () => {
    router.stop();
    router = makeRouter(config, routerTransport, routerControl, options);
    router.start();
  };
  const handles = stackHandles(regions, links, options, async () => rebuildRouter(), {
    controlPlane,
    routerAwsRegion: options.latency.awsRegionOf(links.routerLocation),
    // The router's process is gone with its AWS region: its port refuses; it comes back fresh.
    setRouterDown: async (down) => {
      if (down) {
        router.stop();
        const served = routerServed;
        routerServed = undefined;
        await served?.close();
      } else if (!routerServed) {
        rebuildRouter();
        routerServed = await serveOnPort(edge, routerPort, host, "--port");
      }
    },
  });
  const faults = new FaultManager(handles, systemClock, (error, fault) =>
    handles.reportError(error, `healing fault ${fault.id} (${fault.kind})`),
  );
  const url = (port: number) => `http://${urlHost(host)}:${port}`;
  const status = async () => ({
    router: router.status(),
    controlPlane: controlPlane.replicas.map(({ name, awsRegion, location, witness, up }) => ({
      name,
      awsRegion,
      location,
      witness,
      up,
    })),
    regions: await Promise.all(
      regions.map(async (r) => ({
        up: r.up,
        url: url(r.port),
        replicationUrl: url(r.replicationPort),
        ...(await r.service.status()),
      })),
    ),
    faults: faults.list(),
  });
  const controlServed = await serveOnPort(
    controlApi(faults, status),
    options.controlPort,
    host,
    "--control-port",
  );
  closers.push(() => controlServed.close());
  // First on the way out: end every wait on a link (a partitioned client link waits up to a
  // minute), then heal the faults so none keeps a timer running (flapping).
  closers.push(async () => {
    shutdown.abort(new Error("stack stopped"));
    await faults.heal().catch((error: unknown) => handles.reportError(error, "healing faults on close"));
  });

  return {
    routerUrl: url(routerPort),
    controlUrl: url(controlServed.port),
    regionUrls: Object.fromEntries(regions.map((r) => [r.name, url(r.port)])),
    replicationUrls: Object.fromEntries(regions.map((r) => [r.name, url(r.replicationPort)])),
    config,
    faults,
    status,
    close: closeAll,
  };
}

/**
 * Both regions, each with its own store, serving behind its gate; replication over its link to
 * the peer's replication listener (`replicationTransport`).
 */
async function startRegions(
  config: EnvironmentConfig,
  options: StackOptions,
  controlAt: (caller: string, location: string) => ControlStore,
  links: StackLinks,
  replicationTransport: Transport,
  closers: Closer[],
): Promise<LiveRegion[]> {
  const regions: LiveRegion[] = [];
  // $FAILOVER_REPLICATION_KEY if set, else the fixed development key: `failover orphans --stack`
  // signs with the same one (the stack listens on loopback only).
  const replicationKey = liveStackReplicationKey(process.env);
  for (const [i, region] of config.regions.entries()) {
    const peer = config.regions[1 - i]!;
    const store =
      config.store.kind === "memory"
        ? new MemoryStore()
        : await createStore(config, region.name, { ensureTables: true });
    closers.push(() => store.close());
    // The store-latency-spike fault's knob: every store call of this region waits that long.
    const storeLatency: StoreLatency = { addedLatencyMs: 0, jitterMs: 0 };
    const service = createRegionService({
      config,
      regionName: region.name,
      store: new DelayedStore(store, systemClock, () => spikeDelayMs(storeLatency, Math.random)),
      control: controlAt(region.name, region.location),
      clock: systemClock,
      transport: links.regionTransport(region.name, peer.name, replicationTransport),
      replicationKey,
      random: cryptoRandom(),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const onAck = options.onWriteAcknowledged;
    if (onAck) service.onWriteAcknowledged = (ack) => onAck(region.name, ack);
    const gate = new RegionGate(region.name, systemClock, Math.random);
    const replicationPort = Number(new URL(region.replicationEndpoint!).port);
    const live = new LiveRegion(
      region.name,
      options.regionPorts[i]!,
      options.host,
      service,
      store,
      gate,
      replicationPort,
      storeLatency,
    );
    regions.push(live);
    closers.push(async () => {
      gate.releaseHung();
      await live.takeDown();
    });
    await live.bringUp();
  }
  return regions;
}

/**
 * Waits (up to 5 s) until the router has read the control record once: the record now lives
 * behind control replicas on the network, so a stack that says it is up has a router that knows
 * the active region and epoch (a failure to read is the router's own to report, not a reason
 * not to start).
 */
async function firstControlRead(router: Router, signal: AbortSignal): Promise<void> {
  const deadlineMs = Date.now() + 5000;
  while (Date.now() < deadlineMs && !signal.aborted) {
    const status = router.status();
    if (status.epoch !== undefined || status.controlError !== undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What live faults may touch: the regions, the links, the router. */
function stackHandles(
  regions: LiveRegion[],
  links: StackLinks,
  options: StackOptions,
  restartRouter: () => Promise<void>,
  domain: {
    controlPlane: LiveControlPlane;
    routerAwsRegion: string | undefined;
    setRouterDown(down: boolean): Promise<void>;
  },
): StackHandles {
  const find = (name: string) => {
    const r = regions.find((x) => x.name === name);
    if (!r) throw new FaultError(`no region "${name}"`);
    return r;
  };
  return {
    regionNames: regions.map((r) => r.name),
    gate: (name) => find(name).gate,
    takeDown: (name) => find(name).takeDown(),
    bringUp: (name) => find(name).bringUp(),
    setStoreDown: (name, down) => {
      const r = find(name);
      if (!(r.store instanceof MemoryStore))
        throw new FaultError("store-down needs the memory store (--store memory)");
      r.store.down = down;
    },
    storeLatency: (name) => find(name).storeLatency,
    setControlSlow: (selector, addedLatencyMs) => domain.controlPlane.setSlow(selector, addedLatencyMs),
    link: (name) => links.get(name),
    linkNames: () => links.names(),
    restartRouter,
    awsRegions: () => ({
      regions: options.config.regions.map((r) => ({ name: r.name, awsRegion: r.awsRegion })),
      router: domain.routerAwsRegion,
      controlReplicas: domain.controlPlane.replicas.map((r) => ({ name: r.name, awsRegion: r.awsRegion })),
    }),
    setControlDown: (awsRegion, down) => domain.controlPlane.setDown(awsRegion, down),
    setRouterDown: (down) => domain.setRouterDown(down),
    reportError: (error, context) => {
      const message = error instanceof Error ? error.message : String(error);
      if (options.logger) options.logger.error({ err: error }, `live stack: ${context}`);
      else process.stderr.write(`live stack: ${context}: ${message}\n`);
    },
  };
}

function makeRouter(
  config: EnvironmentConfig,
  transport: Transport,
  control: ControlStore,
  options: StackOptions,
): Router {
  return createRouter({
    config,
    routerId: "live-edge",
    clock: systemClock,
    transport,
    random: cryptoRandom(),
    control,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/**
 * The environment's topology and policy, none of its resources: regions' endpoints point at the
 * local ports, and its AWS profile and DNS settings are dropped, so a DynamoDB Local store signs
 * with local credentials instead of looking for the environment's profile. A DynamoDB store
 * must be on a loopback endpoint: the live stack never touches AWS.
 */
function localOnly(
  config: EnvironmentConfig,
  host: string,
  ports: [number, number],
  replicationPorts: [number, number],
): EnvironmentConfig {
  if (config.store.kind === "dynamodb" && !(config.store.endpoint && isLoopbackUrl(config.store.endpoint))) {
    throw new ConfigError([
      {
        file: "--dynamodb-endpoint",
        field: "store.endpoint",
        reason: `the live stack runs on a local DynamoDB only (e.g. http://127.0.0.1:8000); got ${config.store.endpoint ?? "none (AWS)"}`,
      },
    ]);
  }
  const { aws: _aws, dns: _dns, ...rest } = config;
  return {
    ...rest,
    regions: config.regions.map((r, i) => ({
      ...r,
      endpoint: `http://${urlHost(host)}:${ports[i]}`,
      replicationEndpoint: `http://${urlHost(host)}:${replicationPorts[i]}`,
    })),
  };
}

/** Two free ports for the replication listeners, distinct from the regions' own. */
async function freePortsBeside(host: string, taken: [number, number]): Promise<[number, number]> {
  const ports = new Set<number>();
  while (ports.size < 2) {
    const port = await freePort(host);
    if (!taken.includes(port)) ports.add(port);
  }
  return [...ports] as [number, number];
}

/** An IPv6 address goes in brackets in a URL (RFC 3986 §3.2.2): http://[::1]:8080. */
function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
