import { bootstrapSyncStandby, controlReplicas, type EnvironmentConfig } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import type { ControlStore } from "../../core/control.ts";
import { seededRandom } from "../../core/random.ts";
import { controlCallOptions, remoteControlPlane } from "../../core/remote-control-store.ts";
import type { Transport } from "../../core/transport.ts";
import { createRegionService, type RegionService } from "../../regions/service/region-service.ts";
import { DelayedStore, spikeDelayMs } from "../../regions/store/delayed-store.ts";
import type { Store } from "../../regions/store/store.ts";
import { createRouter, type Router } from "../../router/create-router.ts";
import { nodeClock } from "../engine/drifting-clock.ts";
import { subsystemSeed } from "../engine/subsystem-seed.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import type { LatencyTable } from "../latency/latency-table.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import { networkTransport } from "../transport/network-transport.ts";
import type { SimNetwork } from "../transport/sim-network.ts";
import { SimControlPlane } from "./control-replicas.ts";
import { ObservedControlStore } from "./observed-control.ts";
import { ObservedStore } from "./observed-store.ts";

/** The router's admin API is not used in simulation, but production routers refuse to start without a token. */
const SIM_ADMIN_TOKEN = "simulated-admin-token";

export interface RegionNode {
  name: string;
  endpoint: Endpoint;
  /** The region's replication listener: same region and location, its own app (replicationApp). */
  replicationEndpoint: Endpoint;
  store: ObservedStore;
  service: RegionService;
}

export interface RouterNode {
  id: string;
  endpoint: Endpoint;
  router: Router;
  /** Times this router has been (re)started; a restart builds a new router with fresh state. */
  generation: number;
}

/**
 * One active/standby pair: both regions' services, their stores, the shared control record,
 * and the routers in front of them. Active/standby runs one cell; active/active runs one per
 * region, each active where its users are (data partitioned by home region, as the seed's
 * prod-ie for EU users and prod-us for US users), each with its own standby in the other region.
 */
export interface Cell {
  id: string;
  index: number;
  activeAtStart: string;
  config: EnvironmentConfig;
  /** The authoritative record (ground truth for checkers); routers and regions reach it only through `controlPlane`. */
  control: ObservedControlStore;
  /** The record's replicas on the network (a model of a DynamoDB MRSC table). */
  controlPlane: SimControlPlane;
  regions: Map<string, RegionNode>;
  routers: Map<string, RouterNode>;
}

export interface SystemOptions {
  clock: VirtualClock;
  network: SimNetwork;
  config: EnvironmentConfig;
  topology: "active-standby" | "active-active";
  /** Routers to run in each cell (none when DNS does the failover). */
  routers: readonly { id: string; location: string; awsRegion?: string | undefined }[];
  /** Orders each caller's control replicas nearest first. */
  latencyTable: LatencyTable;
  /** Each router's and region's clock drifts within this bound (0: exact clocks). */
  clockDriftPpm: number;
  seed: number;
  /** Mark the transport raw-capable, so routers take their raw fast path (see Simulation's WireMode). */
  rawTransport: boolean;
}

/**
 * Builds the real system in-process: real region services (createRegionService) on
 * ObservedStores, real routers (createRouter), one control record per cell served by control
 * replicas on the network, all on the virtual clock (each node's own, when clocks drift), seeded
 * randomness, and the simulated network. Nothing here models the router or the regions: it
 * only wires them. They reach the control record only through a client that calls the nearest
 * replica over the network and falls back to the next (core/remote-control-store.ts).
 */
export class SimSystem {
  readonly cells: Cell[] = [];
  private readonly storeDownCount = new Map<string, number>();

  constructor(private readonly options: SystemOptions) {
    const { config, topology } = options;
    const actives = topology === "active-active" ? config.regions.map((r) => r.name) : [config.initialActive];
    actives.forEach((active, index) => {
      this.cells.push(
        this.buildCell(active, index, topology === "active-active" ? `cell-${active}` : "main"),
      );
    });
  }

  start(): void {
    for (const cell of this.cells) {
      for (const region of cell.regions.values()) region.service.start();
      for (const router of cell.routers.values()) router.router.start();
    }
  }

  async stop(): Promise<void> {
    for (const cell of this.cells) {
      for (const router of cell.routers.values()) router.router.stop();
      for (const region of cell.regions.values()) await region.service.stop();
    }
  }

  /** Store faults stack: a store is down while any store-down fault covers its region. */
  setStoreDown(region: string, down: boolean): void {
    const count = (this.storeDownCount.get(region) ?? 0) + (down ? 1 : -1);
    this.storeDownCount.set(region, count);
    for (const cell of this.cells) {
      const node = cell.regions.get(region);
      if (node) node.store.down = count > 0;
    }
  }

  /** A router process dies: it stops and its state is gone (a new one is built on restart). */
  stopRouter(routerId: string): void {
    for (const cell of this.cells) cell.routers.get(routerId)?.router.stop();
  }

  restartRouter(routerId: string): void {
    for (const cell of this.cells) {
      const node = cell.routers.get(routerId);
      if (!node) continue;
      node.router.stop();
      node.generation++;
      node.router = this.makeRouter(cell, node.id, node.endpoint, node.generation);
      const app = node.router.app;
      node.endpoint.fetch = (request, peer) => Promise.resolve(app.fetch(request, { clientAddress: peer }));
      node.router.start();
    }
  }

  private buildCell(active: string, index: number, id: string): Cell {
    const { clock, seed } = this.options;
    const config: EnvironmentConfig = { ...this.options.config, initialActive: active };
    const control = new ObservedControlStore(() => clock.exactMs, {
      activeRegion: active,
      epoch: 1,
      updatedAtMs: clock.nowMs(),
      reason: "simulation start: initialActive",
      syncStandby: bootstrapSyncStandby(config),
    });
    const suffix = id === "main" ? "" : `/${id}`;
    const controlPlane = new SimControlPlane(
      control,
      controlReplicas(config),
      config.control.witness,
      clock,
      this.options.network,
      suffix,
    );
    const cell: Cell = {
      id,
      index,
      activeAtStart: active,
      config,
      control,
      controlPlane,
      regions: new Map(),
      routers: new Map(),
    };
    for (const region of config.regions) {
      const endpoint: Endpoint = {
        id: `${region.name}${suffix}`,
        kind: "region",
        location: region.location,
        name: region.name,
        awsRegion: region.awsRegion,
      };
      // Faults select by kind and name, so they act on both of a region's listeners alike.
      const replicationEndpoint: Endpoint = { ...endpoint, id: `${endpoint.id}#replication` };
      const store = new ObservedStore(region.name, () => clock.nowMs());
      const service = createRegionService({
        config,
        regionName: region.name,
        store: this.withStoreLatency(store, region.name, suffix),
        control: this.controlClient(endpoint, cell),
        clock: this.clockOf(`region:${region.name}${suffix}`),
        transport: this.transportFrom(endpoint, cell),
        replicationTransport: this.transportFrom(endpoint, cell, "replication"),
        random: seededRandom(subsystemSeed(seed, `region:${region.name}${suffix}`)),
      });
      const app = service.app;
      endpoint.fetch = (request) => Promise.resolve(app.fetch(request));
      const replicationApp = service.replicationApp;
      replicationEndpoint.fetch = (request) => Promise.resolve(replicationApp.fetch(request));
      cell.regions.set(region.name, { name: region.name, endpoint, replicationEndpoint, store, service });
    }
    for (const spec of this.options.routers) {
      const endpoint: Endpoint = {
        id: `${spec.id}${suffix}`,
        kind: "router",
        location: spec.location,
        name: spec.id,
        ...(spec.awsRegion !== undefined ? { awsRegion: spec.awsRegion } : {}),
      };
      const router = this.makeRouter(cell, spec.id, endpoint, 1);
      const app = router.app;
      // The router counts failures per client (passive health): it sees the sender's address.
      endpoint.fetch = (request, peer) => Promise.resolve(app.fetch(request, { clientAddress: peer }));
      cell.routers.set(spec.id, { id: spec.id, endpoint, router, generation: 1 });
    }
    return cell;
  }

  private makeRouter(cell: Cell, routerId: string, endpoint: Endpoint, generation: number): Router {
    const suffix = cell.id === "main" ? "" : `/${cell.id}`;
    return createRouter({
      config: cell.config,
      routerId: `${routerId}${suffix}`,
      clock: this.clockOf(`router:${routerId}${suffix}`),
      transport: this.transportFrom(endpoint, cell),
      random: seededRandom(subsystemSeed(this.options.seed, `router:${routerId}${suffix}#${generation}`)),
      // Its own stream: probe phases and jitter come from the seed without shifting forwarding's draws.
      probeRandom: seededRandom(
        subsystemSeed(this.options.seed, `router:${routerId}${suffix}#${generation}:probes`),
      ),
      control: this.controlClient(endpoint, cell),
      adminToken: SIM_ADMIN_TOKEN,
    });
  }

  /** A node's clock: the virtual clock, or its own drifting one (same node, same rate after a restart). */
  /**
   * The store as the region service sees it: behind the scenario's store-latency-spike faults,
   * if any cover this region (only those stores pay for the check), on the true virtual clock.
   */
  private withStoreLatency(store: ObservedStore, region: string, suffix: string): Store {
    const faults = this.options.network.internals.faults;
    if (!faults.hasStoreLatency(region)) return store;
    const { clock, seed } = this.options;
    const random = seededRandom(subsystemSeed(seed, `store-latency:${region}${suffix}`));
    return new DelayedStore(store, clock, () =>
      spikeDelayMs(faults.storeLatencyAt(region, clock.exactMs), () => random.next()),
    );
  }

  private clockOf(node: string): Clock {
    return nodeClock(this.options.clock, this.options.clockDriftPpm, this.options.seed, node);
  }

  /** How code at `from` reaches the control record: its cell's replicas, nearest first, over the network. */
  private controlClient(from: Endpoint, cell: Cell): ControlStore {
    return remoteControlPlane(
      this.transportFrom(from, cell),
      cell.controlPlane.nearestFirst(from.location, this.options.latencyTable),
      controlCallOptions(cell.config.control.lease),
    );
  }

  /**
   * The Transport seam for code running at `from`: a region name resolves within the cell, to
   * the region's client-facing listener or (for a region's replicator) its replication listener,
   * as does a control replica's ("control-us-east-2").
   */
  private transportFrom(
    from: Endpoint,
    cell: Cell,
    listener: "client" | "replication" = "client",
  ): Transport {
    const targetOf = (region: string) => {
      const node = cell.regions.get(region);
      return (
        (listener === "client" ? node?.endpoint : node?.replicationEndpoint) ??
        cell.controlPlane.endpoint(region)
      );
    };
    return networkTransport(this.options.network, from, targetOf, this.options.rawTransport);
  }
}
